#include "server/scheduler.h"

#include <algorithm>

namespace captain {

namespace {

// How often the lease is renewed, and how long it lasts: a dead leader's lease lapses and
// another daemon sees it within failover_seconds.
int RenewSeconds(const Config& c) { return std::max(1, c.server.failover_seconds / 3); }
int LeaseSeconds(const Config& c) {
  return std::max(2, c.server.failover_seconds - RenewSeconds(c));
}

}  // namespace

void Scheduler::Start() {
  Renew();
  keeper_ = std::thread([this] { KeepLease(); });
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (keeper_.joinable()) keeper_.join();
  // Hand the lease over at once: another daemon need not wait for it to expire.
  std::lock_guard<std::mutex> lock(mu_);
  if (leader_) {
    (void)pool_.TakeLease("scheduler", holder_, 0);
    leader_ = false;
  }
}

bool Scheduler::Renew() {
  auto lease = pool_.TakeLease("scheduler", holder_, LeaseSeconds(*pool_.config()));
  std::lock_guard<std::mutex> lock(mu_);
  if (!lease) {
    log_.Warn("scheduler: cannot take the lease", {{"error", lease.error().Text()}});
    // Unsure: a leader stops acting until it can renew again.
    leader_ = false;
    return false;
  }
  if (*lease != leader_) {
    leader_ = *lease;
    newly_leader_ = leader_;
    log_.Info(leader_ ? "scheduler: this daemon runs the ticks"
                      : "scheduler: another daemon runs the ticks");
  }
  return leader_;
}

void Scheduler::KeepLease() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto every = std::chrono::seconds(RenewSeconds(*pool_.config()));
      if (wake_.wait_for(lock, every, [this] { return stop_; })) return;
    }
    bool was;
    {
      std::lock_guard<std::mutex> lock(mu_);
      was = leader_;
    }
    if (Renew() && !was) wake_.notify_all();
  }
}

bool Scheduler::RunOnce() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    newly_leader_ = false;
    if (!leader_) return false;
  }
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
    // A daemon that has just taken the lease over ticks at once.
    if (wake_.wait_for(lock, std::chrono::seconds(period),
                       [this] { return stop_ || newly_leader_; }) &&
        stop_) {
      return;
    }
  }
}

}  // namespace captain
