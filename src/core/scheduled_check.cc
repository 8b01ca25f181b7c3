#include "core/scheduled_check.h"

#include <algorithm>

namespace captain {

std::vector<std::string> HoldsOf(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& d : plan.decisions) {
    if (!d.deploy) out.push_back(d.service + ":" + d.reason);
  }
  return out;
}

std::vector<std::string> NewBlockingHolds(const std::vector<std::string>& scheduled_holds,
                                          const Plan& now) {
  std::vector<std::string> out;
  for (const auto& d : now.decisions) {
    if (d.deploy || (d.reason != kOpenDefect && d.reason != kUnhealthy)) continue;
    std::string hold = d.service + ":" + d.reason;
    if (std::find(scheduled_holds.begin(), scheduled_holds.end(), hold) != scheduled_holds.end()) {
      continue;
    }
    out.push_back(d.service + ": " + d.reason + (d.detail.empty() ? "" : " (" + d.detail + ")"));
  }
  return out;
}

}  // namespace captain
