#include "app/notify.h"

#include <cstdlib>
#include <set>

#include "notify/delivery.h"
#include "util/crash_point.h"
#include "util/file.h"

namespace captain {
namespace {

constexpr const char* kEventType = "captain_outbox";

nlohmann::json PostArgs(const OutboxMessage& m) {
  nlohmann::json args = {{"channel", m.channel}, {"text", m.text}, {"unfurl_links", false}};
  if (!m.blocks.empty()) {
    args["blocks"] = nlohmann::json::parse(m.blocks, nullptr, /*allow_exceptions=*/false);
    if (args["blocks"].is_discarded()) args.erase("blocks");
  }
  if (m.user.empty()) {
    args["metadata"] = {{"event_type", kEventType},
                        {"event_payload", {{"outbox_id", m.id}, {"release", m.release_id}}}};
  } else {
    args["user"] = m.user;
  }
  return args;
}

// The id of channel `name` ("#team-alerts"): learned from an earlier answer, else looked up
// (conversations.list) and kept. "" when Slack has no such channel.
Result<std::string> ResolveChannel(const App& app, SlackApi& slack, const std::string& name) {
  if (name.rfind('#', 0) != 0) return name;  // already an id
  auto known = app.store.ChannelId(name);
  if (!known) return known.error();
  if (!known->empty()) return *known;
  std::string cursor;
  for (int page = 0; page < 50; ++page) {
    nlohmann::json args = {{"types", "public_channel,private_channel"}, {"limit", 1000}};
    if (!cursor.empty()) args["cursor"] = cursor;
    SlackAnswer a = slack.Call("conversations.list", args);
    if (!a.reached || a.http_status != 200 || !a.body.value("ok", false)) {
      return OtherError("cannot list Slack channels to find " + name);
    }
    for (const auto& c : a.body.value("channels", nlohmann::json::array())) {
      if ("#" + c.value("name", "") != name) continue;
      std::string id = c.value("id", "");
      if (auto st = app.store.SetChannelId(name, id); !st) return st.error();
      return id;
    }
    cursor = a.body.value("response_metadata", nlohmann::json::object()).value("next_cursor", "");
    if (cursor.empty()) break;
  }
  return std::string();
}

// Slack's id of `m` if an earlier try posted it; nullopt if not; an error if Slack could not
// be asked.
Result<std::optional<std::string>> FindPosted(const App& app, SlackApi& slack,
                                              const OutboxMessage& m) {
  auto resolved = ResolveChannel(app, slack, m.channel);
  if (!resolved) return resolved.error();
  const std::string& channel = *resolved;
  if (channel.empty()) return std::optional<std::string>{};
  int64_t oldest = m.created_at.time_since_epoch().count() - 3600;
  SlackAnswer a = slack.Call("conversations.history", {{"channel", channel},
                                                       {"oldest", std::to_string(oldest)},
                                                       {"include_all_metadata", true},
                                                       {"limit", 1000}});
  if (!a.reached || a.http_status != 200 || !a.body.value("ok", false)) {
    return OtherError("cannot read the history of " + m.channel + " to check message #" +
                      std::to_string(m.id));
  }
  for (const auto& msg : a.body.value("messages", nlohmann::json::array())) {
    const auto& meta = msg.value("metadata", nlohmann::json::object());
    if (meta.value("event_type", "") != kEventType) continue;
    const auto& payload = meta.value("event_payload", nlohmann::json::object());
    if (payload.value("outbox_id", int64_t{-1}) == m.id) {
      return std::optional<std::string>{msg.value("ts", "")};
    }
  }
  return std::optional<std::string>{};
}

}  // namespace

namespace {

// What a message needs before it can go: the message it updates or replies to.
struct Parent {
  bool wait = false;    // that message is not sent yet
  std::string failure;  // set: this message cannot go
  std::string channel;  // the parent's channel (name or id)
  std::string ts;       // the parent's Slack id ("" when there is none to use)
};

Result<Parent> ParentOf(const App& app, const OutboxMessage& m) {
  Parent p;
  const std::string& key = m.update_key.empty() ? m.thread_key : m.update_key;
  if (key.empty()) return p;
  auto found = app.store.FindMessage(key);
  if (!found) return found.error();
  if (!*found || (*found)->state == "failed" || (*found)->slack_ts.empty()) {
    // A reply whose thread never started goes to the channel; an update has nothing to do.
    bool pending = *found && (*found)->state == "pending";
    if (pending) {
      p.wait = true;
    } else if (!m.update_key.empty()) {
      p.failure = "message " + key + " was never posted; nothing to update";
    }
    return p;
  }
  p.channel = (*found)->channel;
  p.ts = (*found)->slack_ts;
  return p;
}

}  // namespace

Result<FlushOutcome> FlushOutbox(const App& app, SlackApi& slack, int limit) {
  FlushOutcome out;
  auto pending = app.store.PendingMessages(limit);
  if (!pending) return pending.error();
  std::set<std::string> held;  // channels whose earlier message waits: the later ones wait too
  for (const auto& m : *pending) {
    if (held.count(m.channel)) continue;
    Instant now = app.Now();
    if (m.next_at > now) {
      held.insert(m.channel);
      continue;
    }
    auto parent = ParentOf(app, m);
    if (!parent) return parent.error();
    if (parent->wait) {
      held.insert(m.channel);
      continue;
    }
    if (!parent->failure.empty()) {
      if (auto st = app.store.MarkFailed(m.id, parent->failure); !st) return st.error();
      ++out.failed;
      continue;
    }
    std::string webhook_env = app.config.slack.WebhookEnv(m.channel);
    bool unknown_outcome = m.attempts > 0 && m.error.empty();
    if (!webhook_env.empty() && unknown_outcome) {
      // Tried, and nothing recorded after: a crash may have come after Slack took it, and a
      // webhook's channel cannot be read back to check.
      if (auto st = app.store.MarkFailed(
              m.id,
              "may have been posted before captain stopped; an incoming webhook cannot "
              "be checked, so `captain notify retry " +
                  std::to_string(m.id) + "` sends it again");
          !st) {
        return st.error();
      }
      ++out.failed;
      continue;
    }
    if (m.attempts > 0 && webhook_env.empty() && m.update_key.empty() && m.user.empty()) {
      auto posted = FindPosted(app, slack, m);
      if (!posted) {
        auto st = app.store.MarkRetry(m.id, now + std::chrono::seconds(BackoffSeconds(m.attempts)),
                                      posted.error().message);
        if (!st) return st.error();
        held.insert(m.channel);
        ++out.retried;
        continue;
      }
      if (*posted) {
        if (auto st = app.store.MarkSent(m.id, **posted, now); !st) return st.error();
        ++out.recovered;
        continue;
      }
    }
    int attempt = m.attempts + 1;
    // Counted before the call: after a crash the next sender knows to look before sending.
    auto claimed =
        app.store.MarkAttempt(m.id, attempt, now + std::chrono::seconds(BackoffSeconds(attempt)));
    if (!claimed) return claimed.error();
    if (!*claimed) {
      // Another daemon's sender (its lease lapsed mid-flush) counted this attempt first and is
      // sending it: leave the message, and the rest of its channel, to it.
      held.insert(m.channel);
      continue;
    }
    SlackAnswer answer;
    nlohmann::json args = PostArgs(m);
    if (!webhook_env.empty()) {
      const char* url = std::getenv(webhook_env.c_str());
      if (!url || !*url) {
        if (auto st = app.store.MarkFailed(m.id, "no incoming-webhook URL in $" + webhook_env);
            !st) {
          return st.error();
        }
        ++out.failed;
        continue;
      }
      args.erase("channel");
      args.erase("metadata");
      answer = slack.PostWebhook(url, args);
    } else if (!m.update_key.empty()) {
      auto channel = ResolveChannel(app, slack, parent->channel);
      if (!channel) return channel.error();
      args["channel"] = *channel;
      args["ts"] = parent->ts;
      answer = slack.Call("chat.update", args);
    } else if (!m.user.empty()) {
      answer = slack.Call("chat.postEphemeral", args);
    } else {
      if (!parent->ts.empty()) args["thread_ts"] = parent->ts;
      answer = slack.Call("chat.postMessage", args);
      CrashPoint("notify-after-send");  // the case the history lookup above recovers
    }
    Delivery d = Judge(answer, attempt);
    switch (d.verdict) {
      case Verdict::kSent:
        if (!d.channel.empty() && m.channel.rfind('#', 0) == 0 && m.update_key.empty()) {
          if (auto st = app.store.SetChannelId(m.channel, d.channel); !st) return st.error();
        }
        if (auto st = app.store.MarkSent(m.id, d.ts, app.Now()); !st) return st.error();
        ++out.sent;
        break;
      case Verdict::kRetry:
        if (auto st = app.store.MarkRetry(
                m.id, app.Now() + std::chrono::seconds(d.retry_in_seconds), d.error);
            !st) {
          return st.error();
        }
        held.insert(m.channel);
        ++out.retried;
        break;
      case Verdict::kFailed:
        if (auto st = app.store.MarkFailed(m.id, d.error); !st) return st.error();
        ++out.failed;
        break;
    }
  }
  auto failed = app.store.CountMessages("failed");
  if (!failed) return failed.error();
  auto waiting = app.store.CountMessages("pending");
  if (!waiting) return waiting.error();
  out.failed_total = *failed;
  out.pending_total = *waiting;
  return out;
}

Result<std::unique_ptr<SlackApi>> SlackFromConfig(const Config& c) {
  std::string token;
  if (!c.slack.bot_token_file.empty()) {
    auto text = ReadFile(c.ResolvePath(c.slack.bot_token_file), 4096);
    if (!text) return Error{"slack.bot_token_file: " + text.error().message, ExitCode::kUsage};
    token = *text;
    while (!token.empty() &&
           (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
      token.pop_back();
    }
  } else if (const char* v = std::getenv(c.slack.bot_token_env.c_str()); v && *v) {
    token = v;
  }
  if (token.empty()) {
    return UsageError("no Slack bot token: set $" + c.slack.bot_token_env +
                      " (or slack.bot_token_file in " + c.source + ")");
  }
  return MakeCurlSlackApi(c.slack.api_base, token, c.slack.timeout_seconds);
}

}  // namespace captain
