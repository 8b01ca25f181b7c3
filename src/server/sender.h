// The daemon's Slack sender: every second it delivers what the outbox holds (app/notify.h),
// holding a lease in the store so that one daemon per database sends.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "app/app_pool.h"
#include "server/log.h"
#include "server/metrics.h"

namespace captain {

class Sender {
 public:
  Sender(AppPool& pool, Metrics& metrics, Log& log, std::string holder)
      : pool_(pool), metrics_(metrics), log_(log), holder_(std::move(holder)) {}
  ~Sender() { Stop(); }
  void Start();
  void Stop();

 private:
  void Loop();
  void RunOnce();
  AppPool& pool_;
  Metrics& metrics_;
  Log& log_;
  std::string holder_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  bool leader_ = false;
  std::string last_problem_;
  std::thread thread_;
};

}  // namespace captain
