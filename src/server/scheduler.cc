#include "server/scheduler.h"

#include <algorithm>

namespace captain {

void Scheduler::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Hand the lease over at once: another daemon need not wait for it to expire.
  if (leader_) {
    (void)pool_.TakeLease("scheduler", holder_, 0);
    leader_ = false;
  }
}

bool Scheduler::RunOnce() {
  int period = pool_.config()->server.tick_seconds;
  // The lease outlives a few missed rounds, so a stalled leader is replaced, not raced.
  auto lease = pool_.TakeLease("scheduler", holder_, 3 * period + 2);
  if (!lease) {
    log_.Warn("scheduler: cannot take the lease", {{"error", lease.error().Text()}});
    return false;
  }
  if (*lease != leader_) {
    leader_ = *lease;
    log_.Info(leader_ ? "scheduler: this daemon runs the ticks"
                      : "scheduler: another daemon runs the ticks");
  }
  if (!leader_) return false;
  auto done = pool_.Run([](const App& app) { return OpTick(app, {}); }, /*serialize=*/true);
  if (!done) {
    log_.Warn("tick failed", {{"error", done.error().Text()}});
    return false;
  }
  metrics_.TickDone(pool_.clock().Now().time_since_epoch().count());
  for (const auto& line : done->value["done"]) {
    log_.Info("tick: " + line.get<std::string>());
  }
  // Deploy steps scheduled for now or earlier.
  auto ran = pool_.Run([](const App& app) { return OpRunScheduled(app, {}); }, /*serialize=*/false);
  if (!ran) {
    log_.Warn("scheduled steps failed", {{"error", ran.error().Text()}});
    return true;
  }
  for (const auto& line : ran->value["ran"]) {
    log_.Info(line.get<std::string>());
  }
  return true;
}

void Scheduler::CheckGitops() {
  auto now = std::chrono::steady_clock::now();
  int every = std::min(30, 2 * pool_.config()->server.tick_seconds);
  if (now - last_gitops_check_ < std::chrono::seconds(every)) return;
  last_gitops_check_ = now;
  auto out = pool_.Run([](const App& app) { return OpCheckGitops(app, {}); }, false);
  if (!out) return;
  bool reachable = out->value.value("reachable", false);
  if (reachable != ready_.gitops_ok) {
    if (reachable) {
      log_.Info("the GitOps remote answers again");
    } else {
      log_.Warn("the GitOps remote does not answer", {{"error", out->value["error"]}});
    }
  }
  ready_.SetGitops(reachable, reachable ? "" : out->value["error"].get<std::string>());
}

void Scheduler::Loop() {
  while (true) {
    RunOnce();
    CheckGitops();
    int period = pool_.config()->server.tick_seconds;
    std::unique_lock<std::mutex> lock(mu_);
    if (wake_.wait_for(lock, std::chrono::seconds(period), [this] { return stop_; })) return;
  }
}

}  // namespace captain
