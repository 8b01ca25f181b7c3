#include "server/jobs.h"

#include <chrono>

namespace captain {

nlohmann::json ErrorJson(const Error& e) {
  std::string code;
  switch (e.kind) {
    case ErrorKind::kNotFound:
      code = "not-found";
      break;
    case ErrorKind::kConflict:
      code = "conflict";
      break;
    case ErrorKind::kUnavailable:
      code = "unavailable";
      break;
    case ErrorKind::kDefault:
      code = e.code == ExitCode::kUsage    ? "bad-input"
             : e.code == ExitCode::kPolicy ? "refused"
                                           : "failed";
  }
  return {{"code", code},
          {"message", e.Text()},
          {"field", e.field.empty() ? nlohmann::json() : nlohmann::json(e.field)}};
}

Result<std::string> Jobs::Start(const std::string& kind, const std::string& release, Body body,
                                Done done) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_)
    return Error{"the daemon is stopping", ExitCode::kOther, "", ErrorKind::kUnavailable};
  if (auto it = by_release_.find(release); it != by_release_.end()) {
    return ConflictError("a " + jobs_[it->second].kind + " is already running for release " +
                         release + " (job " + it->second + ")");
  }
  auto stamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::string id = "job-" + std::to_string(stamp) + "-" + std::to_string(++next_);
  jobs_[id] = Job{id, kind, release};
  by_release_[release] = id;
  threads_.emplace_back([this, id, release, body = std::move(body), done = std::move(done)] {
    auto progress = [this, id](const std::string& line) {
      std::lock_guard<std::mutex> l(mu_);
      jobs_[id].progress.push_back(line);
    };
    Result<Document> out = OtherError("the job did not run");
    try {
      out = body(progress);
    } catch (const std::exception& e) {
      out = OtherError(std::string("unexpected failure: ") + e.what());
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      Job& j = jobs_[id];
      if (out) {
        j.state = "succeeded";
        j.result = out->text.empty() ? out->value : nlohmann::json::parse(out->text);
      } else {
        j.state = "failed";
        j.error = ErrorJson(out.error());
      }
      by_release_.erase(release);
    }
    if (done) done(out.ok());
  });
  return id;
}

std::optional<nlohmann::json> Jobs::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  const Job& j = it->second;
  nlohmann::json out = {{"id", j.id},
                        {"kind", j.kind},
                        {"release", j.release},
                        {"state", j.state},
                        {"progress", j.progress}};
  if (!j.result.is_null()) out["result"] = j.result;
  if (!j.error.is_null()) out["error"] = j.error;
  return out;
}

int Jobs::Running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(by_release_.size());
}

void Jobs::JoinAll() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

}  // namespace captain
