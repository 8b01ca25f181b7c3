#include "server/hook_batch.h"

namespace captain {

namespace {
constexpr size_t kMaxBatch = 512;
}  // namespace

HookBatch::HookBatch(AppPool& pool) : pool_(pool), thread_([this] { Run(); }) {}

HookBatch::~HookBatch() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Result<ArgoIngested> HookBatch::Submit(ArgoNotification n) {
  std::future<Result<ArgoIngested>> f;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return Error{"captain is stopping", ExitCode::kOther, "", ErrorKind::kUnavailable};
    queue_.push_back(Item{std::move(n), {}});
    f = queue_.back().done.get_future();
  }
  cv_.notify_one();
  return f.get();
}

void HookBatch::Run() {
  for (;;) {
    std::vector<Item> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<ArgoNotification> list;
    list.reserve(batch.size());
    for (const auto& i : batch) list.push_back(i.n);
    std::vector<ArgoIngested> ids;
    auto out = pool_.Run(
        [&](const App& app) -> Result<Document> {
          auto done = IngestArgo(app, list);
          if (!done) return done.error();
          ids = std::move(*done);
          return Document{};
        },
        /*serialize=*/true);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (out) {
        batch[i].done.set_value(ids[i]);
      } else {
        batch[i].done.set_value(out.error());
      }
    }
  }
}

}  // namespace captain
