// When a scheduled deploy step still runs: the plan at its time may skip services for the
// ordinary reasons, but a defect or a health problem reported after it was scheduled stops it.
#pragma once

#include <string>
#include <vector>

#include "core/plan.h"

namespace captain {

// "service:reason" for every service the plan holds back (what a schedule remembers).
std::vector<std::string> HoldsOf(const Plan& plan);
// The holds of `now` that stop a scheduled step: open-defect or unhealthy, and not already
// held for that reason when it was scheduled ("service: reason (detail)"). Empty: it runs.
std::vector<std::string> NewBlockingHolds(const std::vector<std::string>& scheduled_holds,
                                          const Plan& now);

}  // namespace captain
