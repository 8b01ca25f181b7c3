#include "util/crash_point.h"

#include <unistd.h>

#include <cstdlib>

namespace captain {

void CrashPoint(std::string_view name) {
  static const char* at = std::getenv("CAPTAIN_CRASH_AT");
  if (at && name == at) _exit(137);
}

bool FailPoint(std::string_view name) {
  static const char* at = std::getenv("CAPTAIN_FAIL_AT");
  return at && name == at;
}

}  // namespace captain
