// The daemon's Prometheus metrics (text exposition format 0.0.4).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace captain {

class Metrics {
 public:
  void Request(const std::string& route, int status, double seconds);
  void DeployStep(const std::string& result);  // "done", "failed"
  void TickDone(int64_t unix_seconds) { last_tick_ = unix_seconds; }
  void JobsRunning(int n) { jobs_running_ = n; }
  // One sender round: messages delivered and given up, and the outbox's pending and failed.
  void Outbox(int delivered, int failed, int64_t pending, int64_t failed_total);
  std::string Render() const;

 private:
  static const std::vector<double>& Buckets();
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;  // guarded by mu_
  std::vector<uint64_t> bucket_counts_ = std::vector<uint64_t>(Buckets().size(), 0);
  uint64_t duration_count_ = 0;
  double duration_sum_ = 0;
  std::map<std::string, uint64_t> deploy_steps_;  // guarded by mu_
  std::atomic<int64_t> last_tick_{0};
  std::atomic<int> jobs_running_{0};
  std::atomic<uint64_t> messages_sent_{0};
  std::atomic<uint64_t> messages_failed_{0};
  std::atomic<int64_t> outbox_pending_{0};
  std::atomic<int64_t> outbox_failed_{0};
};

}  // namespace captain
