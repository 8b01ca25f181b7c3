// Deploy and rollback jobs: started by a request, run on their own thread, one per release
// at a time; their progress and result are read back by id.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/ops.h"

namespace captain {

class Jobs {
 public:
  // What a job runs: the operation, reporting progress lines.
  using Body = std::function<Result<Document>(const Progress& progress)>;
  using Done = std::function<void(bool ok)>;

  ~Jobs() { JoinAll(); }
  // Starts a job for `release`, or a conflict error when one is running for it. Returns the
  // job's id.
  Result<std::string> Start(const std::string& kind, const std::string& release, Body body,
                            Done done);
  // {"id", "kind", "release", "state": running|succeeded|failed, "progress": [...],
  //  "result": {...}, "error": {...}}; nullopt for an unknown id.
  std::optional<nlohmann::json> Get(const std::string& id) const;
  int Running() const;
  // Refuses new jobs and waits for the running ones to finish.
  void JoinAll();

 private:
  struct Job {
    std::string id, kind, release, state = "running";
    std::vector<std::string> progress;
    nlohmann::json result, error;
  };
  mutable std::mutex mu_;
  std::map<std::string, Job> jobs_;                // guarded by mu_
  std::map<std::string, std::string> by_release_;  // running job per release; guarded by mu_
  std::vector<std::thread> threads_;               // guarded by mu_
  bool stopping_ = false;                          // guarded by mu_
  int next_ = 0;                                   // guarded by mu_
};

// The {"error": {...}} object of an error (shared with the HTTP answers).
nlohmann::json ErrorJson(const Error& e);

}  // namespace captain
