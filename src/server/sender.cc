#include "server/sender.h"

#include <algorithm>

namespace captain {

void Sender::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Sender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (leader_) {
    (void)pool_.TakeLease("sender", holder_, 0);
    leader_ = false;
  }
}

void Sender::RunOnce() {
  // Renewed every second; another daemon takes over within server.failover_seconds.
  auto lease =
      pool_.TakeLease("sender", holder_, std::max(2, pool_.config()->server.failover_seconds - 1));
  if (!lease || !*lease) {
    leader_ = false;
    return;
  }
  leader_ = true;
  auto out = pool_.Run([](const App& app) { return OpNotifyFlush(app, {}); }, /*serialize=*/false);
  if (!out) {
    // Said once, not every second.
    if (out.error().Text() != last_problem_) {
      last_problem_ = out.error().Text();
      log_.Warn("slack: messages stay in the outbox", {{"error", last_problem_}});
    }
    return;
  }
  last_problem_.clear();
  const auto& j = out->value;
  metrics_.Outbox(j.value("sent", 0) + j.value("recovered", 0), j.value("failed", 0),
                  j.value("pending_total", int64_t{0}), j.value("failed_total", int64_t{0}));
  if (j.value("failed", 0) > 0) {
    log_.Warn("slack: messages given up (captain notify list --failed)",
              {{"failed", j.value("failed", 0)}});
  }
}

void Sender::Loop() {
  while (true) {
    RunOnce();
    std::unique_lock<std::mutex> lock(mu_);
    if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  }
}

}  // namespace captain
