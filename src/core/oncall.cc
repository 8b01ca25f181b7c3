#include "core/oncall.h"

namespace captain {

Captains CaptainsOf(const OncallRules& rules, const CalendarRules& calendar, const Train& train,
                    const std::vector<OncallSwap>& swaps) {
  Captains c{"", "", "none"};
  if (!rules.engineers.empty()) {
    int64_t first = SprintIndexOfDate(calendar, rules.first_sprint.value_or(calendar.anchor));
    int64_t n = static_cast<int64_t>(rules.engineers.size());
    int64_t k = ((train.index - first) % n + n) % n;
    c = {rules.engineers[k], rules.engineers[(k + 1) % n], "rotation"};
  }
  for (const auto& a : rules.assignments) {
    if (a.release_day == train.release_day) c = {a.primary, a.secondary, "assignment"};
  }
  for (const auto& s : swaps) {
    if (s.release_day != train.release_day) continue;
    (s.role == "primary" ? c.primary : c.secondary) = s.engineer;
    c.source = "swap";
  }
  return c;
}

}  // namespace captain
