#include "server/metrics.h"

#include <cstdio>

namespace captain {

const std::vector<double>& Metrics::Buckets() {
  static const std::vector<double> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,   1,    2.5,   5,    10};
  return kBuckets;
}

void Metrics::Request(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  const auto& b = Buckets();
  for (size_t i = 0; i < b.size(); ++i) {
    if (seconds <= b[i]) ++bucket_counts_[i];
  }
  ++duration_count_;
  duration_sum_ += seconds;
}

void Metrics::Outbox(int delivered, int failed, int64_t pending, int64_t failed_total) {
  messages_sent_ += static_cast<uint64_t>(delivered);
  messages_failed_ += static_cast<uint64_t>(failed);
  outbox_pending_ = pending;
  outbox_failed_ = failed_total;
}

void Metrics::DeployStep(const std::string& result) {
  std::lock_guard<std::mutex> lock(mu_);
  ++deploy_steps_[result];
}

namespace {

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP captain_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE captain_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += "captain_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP captain_http_request_duration_seconds Time to answer a request.\n";
  out += "# TYPE captain_http_request_duration_seconds histogram\n";
  const auto& b = Buckets();
  for (size_t i = 0; i < b.size(); ++i) {
    out += "captain_http_request_duration_seconds_bucket{le=\"" + Num(b[i]) + "\"} " +
           std::to_string(bucket_counts_[i]) + "\n";
  }
  out += "captain_http_request_duration_seconds_bucket{le=\"+Inf\"} " +
         std::to_string(duration_count_) + "\n";
  out += "captain_http_request_duration_seconds_sum " + Num(duration_sum_) + "\n";
  out += "captain_http_request_duration_seconds_count " + std::to_string(duration_count_) + "\n";
  out += "# HELP captain_last_tick_timestamp_seconds When the scheduler last ran a tick.\n";
  out += "# TYPE captain_last_tick_timestamp_seconds gauge\n";
  out += "captain_last_tick_timestamp_seconds " + std::to_string(last_tick_.load()) + "\n";
  out += "# HELP captain_deploy_steps_total Deploy and rollback jobs by result.\n";
  out += "# TYPE captain_deploy_steps_total counter\n";
  for (const auto& [result, n] : deploy_steps_) {
    out += "captain_deploy_steps_total{result=\"" + result + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP captain_jobs_running Deploy and rollback jobs running now.\n";
  out += "# TYPE captain_jobs_running gauge\n";
  out += "captain_jobs_running " + std::to_string(jobs_running_.load()) + "\n";
  out += "# HELP captain_slack_messages_total Slack messages delivered and given up.\n";
  out += "# TYPE captain_slack_messages_total counter\n";
  out += "captain_slack_messages_total{result=\"sent\"} " + std::to_string(messages_sent_.load()) +
         "\n";
  out += "captain_slack_messages_total{result=\"failed\"} " +
         std::to_string(messages_failed_.load()) + "\n";
  out += "# HELP captain_outbox_messages Messages in the outbox by state.\n";
  out += "# TYPE captain_outbox_messages gauge\n";
  out +=
      "captain_outbox_messages{state=\"pending\"} " + std::to_string(outbox_pending_.load()) + "\n";
  out +=
      "captain_outbox_messages{state=\"failed\"} " + std::to_string(outbox_failed_.load()) + "\n";
  return out;
}

}  // namespace captain
