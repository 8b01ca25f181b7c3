// Delivering the outbox to Slack: in order per channel, retried with backoff (Retry-After on
// 429), given up on permanent errors, and never twice: each message carries its outbox id in
// Slack metadata, and a message tried before (a crash may have come between sending and
// recording) is looked up in the channel's history before it is sent again.
#pragma once

#include <memory>

#include "app/app.h"
#include "notify/slack_api.h"

namespace captain {

struct FlushOutcome {
  int sent = 0;
  int recovered = 0;  // found already posted
  int retried = 0;    // to be tried again later
  int failed = 0;
  int64_t failed_total = 0;  // every failed message in the outbox
  int64_t pending_total = 0;
};

Result<FlushOutcome> FlushOutbox(const App& app, SlackApi& slack, int limit = 200);

// The Slack client captain.yaml's `slack:` describes; a usage error naming the variable (or
// file) when there is no bot token.
Result<std::unique_ptr<SlackApi>> SlackFromConfig(const Config& c);

}  // namespace captain
