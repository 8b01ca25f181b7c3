// The release captains of a train: the sprint's on-call engineers, primary and secondary.
// From the rotation (engineers in order, one step per sprint), an explicit assignment for a
// train, or a swap recorded later (the latest wins).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"

namespace captain {

struct OncallAssignment {
  Date release_day;
  std::string primary;
  std::string secondary;
};

struct OncallRules {
  std::vector<std::string> engineers;  // the rotation, in order; empty: no rotation
  std::optional<Date> first_sprint;    // the sprint start whose primary is engineers[0]
  std::vector<OncallAssignment> assignments;
  std::vector<std::string> admins;  // act as captains of every release
  bool captains_only = false;       // the captain role acts only on its own releases
};

// A swap recorded at run time: `role` is "primary" or "secondary".
struct OncallSwap {
  Date release_day;
  std::string role;
  std::string engineer;
  std::string reason;
  std::string by;
  Instant at;
};

struct Captains {
  std::string primary;  // "" when nobody is named
  std::string secondary;
  std::string source;  // rotation, assignment, swap, or none
  bool Includes(const std::string& name) const { return name == primary || name == secondary; }
};

// `swaps` in the order they were recorded.
Captains CaptainsOf(const OncallRules& rules, const CalendarRules& calendar, const Train& train,
                    const std::vector<OncallSwap>& swaps);

}  // namespace captain
