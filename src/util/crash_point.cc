#include "util/crash_point.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace captain {

// CAPTAIN_CRASH_AT=name dies the first time `name` is reached; name:N the Nth time.
void CrashPoint(std::string_view name) {
  static const char* at = std::getenv("CAPTAIN_CRASH_AT");
  if (!at) return;
  static std::atomic<int> reached{0};
  std::string_view want = at;
  int nth = 1;
  if (auto colon = want.rfind(':'); colon != std::string_view::npos) {
    nth = std::atoi(std::string(want.substr(colon + 1)).c_str());
    want = want.substr(0, colon);
  }
  if (name != want || ++reached != nth) return;
  // CAPTAIN_CRASH_ONCE=FILE: of several processes, only the first to get here dies (the one
  // that creates FILE), killed with SIGKILL; the others go on, as a daemon taking over from a
  // dead one would.
  if (const char* once = std::getenv("CAPTAIN_CRASH_ONCE"); once && *once) {
    int fd = ::open(once, O_CREAT | O_EXCL | O_WRONLY, 0600);
    if (fd < 0) return;
    ::close(fd);
    ::kill(::getpid(), SIGKILL);
  }
  _exit(137);
}

bool FailPoint(std::string_view name) {
  static const char* at = std::getenv("CAPTAIN_FAIL_AT");
  return at && name == at;
}

}  // namespace captain
