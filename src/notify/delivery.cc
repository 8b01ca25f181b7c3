#include "notify/delivery.h"

#include <algorithm>
#include <set>

namespace captain {

int BackoffSeconds(int attempt) {
  int n = std::clamp(attempt, 1, 10) - 1;
  return std::min(300, 1 << n);
}

bool IsPermanent(const std::string& e) {
  static const std::set<std::string> kPermanent = {
      "channel_not_found",   "invalid_auth",      "not_authed",        "account_inactive",
      "token_revoked",       "token_expired",     "no_permission",     "missing_scope",
      "not_in_channel",      "is_archived",       "msg_too_long",      "no_text",
      "invalid_blocks",      "invalid_arguments", "restricted_action", "channel_is_archived",
      "user_not_in_channel", "no_service",        "invalid_payload",   "message_not_found",
      "cant_update_message", "edit_window_closed"};
  return kPermanent.count(e) > 0;
}

Delivery Judge(const SlackAnswer& a, int attempt, int max_attempts) {
  Delivery d;
  auto retry = [&](std::string why, int seconds) {
    d.verdict = attempt >= max_attempts ? Verdict::kFailed : Verdict::kRetry;
    d.error = attempt >= max_attempts
                  ? why + " (gave up after " + std::to_string(attempt) + " tries)"
                  : std::move(why);
    d.retry_in_seconds = seconds;
    return d;
  };
  if (!a.reached) return retry("network: " + a.network_error, BackoffSeconds(attempt));
  if (a.http_status == 429) {
    return retry("rate limited (429)",
                 a.retry_after_seconds > 0 ? a.retry_after_seconds : BackoffSeconds(attempt));
  }
  if (a.http_status >= 500) {
    return retry("Slack answered " + std::to_string(a.http_status), BackoffSeconds(attempt));
  }
  if (!a.body.is_object()) {
    return retry("Slack answered " + std::to_string(a.http_status) + " without JSON",
                 BackoffSeconds(attempt));
  }
  if (a.body.value("ok", false)) {
    d.verdict = Verdict::kSent;
    d.ts = a.body.value("ts", "");
    d.channel = a.body.value("channel", "");
    return d;
  }
  std::string error = a.body.value("error", "unknown_error");
  if (error == "ratelimited") return retry(error, std::max(1, a.retry_after_seconds));
  if (IsPermanent(error) || a.http_status >= 400) {
    d.verdict = Verdict::kFailed;
    d.error = error;
    return d;
  }
  return retry(error, BackoffSeconds(attempt));
}

}  // namespace captain
