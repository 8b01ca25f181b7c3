#include "util/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace captain {
namespace {

Error IoError(const std::string& path, const std::string& what) {
  return OtherError(path + ": cannot " + what + ": " + std::strerror(errno));
}

// Closes a descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// The file a write to `path` should replace: the target when `path` is a symlink.
std::string WriteTarget(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return path;
  std::string target(real);
  std::free(real);
  return target;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "write");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status SyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return IoError(dir, "sync the directory");
  return {};
}

Status WriteTemp(int fd, const std::string& tmp, std::string_view contents, mode_t mode) {
  if (auto st = WriteAll(fd, contents, tmp); !st) return st;
  if (::fchmod(fd, mode) != 0) return IoError(tmp, "set the mode");
  if (::fsync(fd) != 0) return IoError(tmp, "sync");
  return {};
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return IoError(path, "open");
  std::string out;
  std::vector<char> buf(1 << 16);
  while (true) {
    ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path, "read");
    if (n == 0) return out;
    out.append(buf.data(), static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      return UsageError(path + ": larger than " + std::to_string(max_bytes >> 20) +
                        " MiB; refused");
    }
  }
}

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  std::string target = WriteTarget(path);
  mode_t mode = 0644;
  struct stat st;
  if (::stat(target.c_str(), &st) == 0) mode = st.st_mode & 07777;
  std::string dir = DirName(target);
  std::string tmp = target + ".tmp.XXXXXX";
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) return IoError(tmp, "create a temporary file");
  Status written = WriteTemp(fd.get(), tmp, contents, mode);
  if (written && ::close(fd.release()) != 0) written = IoError(tmp, "close");
  if (written && ::rename(tmp.c_str(), target.c_str()) != 0) written = IoError(target, "replace");
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  return SyncDir(dir);
}

}  // namespace captain
