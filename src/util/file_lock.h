// An exclusive advisory lock on a file (flock), held for the object's lifetime and released by
// the kernel if the process dies. captain uses one per GitOps work dir, so that two captain
// processes (a deploy and the daemon, two people on one machine) never move its branch at the
// same time.
#pragma once

#include <chrono>
#include <string>

#include "util/result.h"

namespace captain {

class FileLock {
 public:
  // Creates `path` if needed and locks it, waiting up to `wait` for another holder; `what`
  // names the thing locked in the error ("the gitops work dir …").
  static Result<FileLock> Acquire(const std::string& path, std::chrono::milliseconds wait,
                                  const std::string& what);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace captain
