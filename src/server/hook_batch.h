// ArgoCD's notifications, committed in batches: each request waits until its notification is
// in the store (its answer means it is kept), and all the requests waiting at once share one
// transaction, so a burst costs one commit rather than one per notification.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "app/app_pool.h"
#include "app/argocd.h"

namespace captain {

class HookBatch {
 public:
  explicit HookBatch(AppPool& pool);
  ~HookBatch();
  HookBatch(const HookBatch&) = delete;
  HookBatch& operator=(const HookBatch&) = delete;

  // Blocks until `n` is recorded (or could not be).
  Result<ArgoIngested> Submit(ArgoNotification n);

 private:
  struct Item {
    ArgoNotification n;
    std::promise<Result<ArgoIngested>> done;
  };
  void Run();

  AppPool& pool_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace captain
