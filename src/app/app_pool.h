// Apps for concurrent callers (the daemon's request threads, its jobs and scheduler): each
// gets its own store connection and the configuration current when it started.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/ops.h"

namespace captain {

class AppPool {
 public:
  // Opens one connection to check the database exists (it is never created here).
  static Result<std::unique_ptr<AppPool>> Open(std::shared_ptr<const Config> config,
                                               std::string db_path, const Clock& clock,
                                               const Clock* wall);
  ~AppPool();

  // Runs `fn` with an App on a free connection (opening one if none is free). Calls with
  // `serialize` run one at a time in this process: the read-then-write use cases.
  Result<Document> Run(const std::function<Result<Document>(const App&)>& fn, bool serialize);
  // What a view depends on besides its request: the latest change (audit id), the
  // configuration in use, and the clock's second. Two reads of the same version agree.
  struct ViewVersion {
    std::string data;  // audit id and configuration
    int64_t second = 0;
  };
  Result<ViewVersion> Version();
  // Whether the database answers (for /readyz).
  Status Ping();
  // A named lease, taken on the wall clock (see Store::TakeLease).
  Result<bool> TakeLease(const std::string& name, const std::string& holder, int seconds);

  std::shared_ptr<const Config> config() const;
  void SetConfig(std::shared_ptr<const Config> config);
  const Clock& clock() const { return clock_; }

 private:
  AppPool(std::shared_ptr<const Config> config, std::string db_path, const Clock& clock,
          const Clock* wall);
  struct Conn;
  Result<std::unique_ptr<Conn>> Acquire();
  void Release(std::unique_ptr<Conn> c);

  std::string db_path_;
  const Clock& clock_;
  const Clock* wall_;
  mutable std::mutex mu_;
  std::shared_ptr<const Config> config_;     // guarded by mu_
  std::vector<std::unique_ptr<Conn>> free_;  // guarded by mu_
  std::mutex write_mu_;
};

}  // namespace captain
