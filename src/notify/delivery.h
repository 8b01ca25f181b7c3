// What to do with an outbox message after Slack answered: sent, retry later, or give up.
#pragma once

#include <string>

#include "notify/slack_api.h"

namespace captain {

enum class Verdict { kSent, kRetry, kFailed };

struct Delivery {
  Verdict verdict = Verdict::kRetry;
  std::string ts;       // kSent: Slack's id of the message
  std::string channel;  // kSent: the channel id Slack answered with
  std::string error;    // kRetry, kFailed: why
  int retry_in_seconds = 0;
};

// Exponential backoff for the `attempt`-th try (1, 2, 4 … seconds, at most 300).
int BackoffSeconds(int attempt);
// Slack errors that no retry cures (channel_not_found, invalid_auth, …).
bool IsPermanent(const std::string& slack_error);
// Network errors and 5xx retry with backoff; 429 after its Retry-After; a permanent Slack
// error fails; after `max_attempts` anything fails.
Delivery Judge(const SlackAnswer& a, int attempt, int max_attempts = 20);

}  // namespace captain
