// Fault injection for crash-safety tests: CrashPoint("name") ends the process at once
// (exit 137, no clean-up) when the environment variable CAPTAIN_CRASH_AT equals "name" ("name:N":
// the Nth time). With CAPTAIN_CRASH_ONCE=FILE only the first process to get there dies, by SIGKILL.
#pragma once

#include <string_view>

namespace captain {

void CrashPoint(std::string_view name);

// True when the environment variable CAPTAIN_FAIL_AT equals "name": the caller then fails the
// step as if its resource had (a database that stays locked, say).
bool FailPoint(std::string_view name);

}  // namespace captain
