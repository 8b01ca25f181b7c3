// The daemon's clock-driven loop: every server.tick_seconds it runs the same tick as
// `captain tick`, holding a lease in the store so that one daemon per database acts. The lease
// is renewed by its own thread (a long deploy does not let it lapse) and lasts so that another
// daemon takes over within server.failover_seconds of this one dying.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "app/app_pool.h"
#include "server/api.h"
#include "server/log.h"
#include "server/metrics.h"

namespace captain {

class Scheduler {
 public:
  Scheduler(AppPool& pool, Metrics& metrics, Log& log, Readiness& ready, std::string holder)
      : pool_(pool), metrics_(metrics), log_(log), ready_(ready), holder_(std::move(holder)) {}
  ~Scheduler() { Stop(); }
  void Start();
  // Finishes the tick in progress, then returns.
  void Stop();
  // One round: take (or keep) the lease, tick if held. Returns whether it ticked.
  bool RunOnce();

 private:
  void Loop();
  void KeepLease();
  // Takes or renews the lease; whether this daemon holds it.
  bool Renew();
  // Every daemon (leader or not) checks that the GitOps remote answers, for /readyz.
  void CheckGitops();
  AppPool& pool_;
  Metrics& metrics_;
  Log& log_;
  Readiness& ready_;
  std::chrono::steady_clock::time_point last_gitops_check_{};
  std::string holder_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;          // guarded by mu_
  bool leader_ = false;        // guarded by mu_
  bool newly_leader_ = false;  // guarded by mu_: tick at once
  std::thread thread_;
  std::thread keeper_;
};

}  // namespace captain
