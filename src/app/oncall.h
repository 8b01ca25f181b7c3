// The release captains: who is on call for a train (core/oncall.h's rule over captain.yaml's
// rotation and the swaps recorded), and swaps.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"
#include "core/oncall.h"

namespace captain {

Result<Captains> CaptainsOfTrain(const App& app, const Train& train);
Result<Captains> CaptainsOfRelease(const App& app, const std::string& release_id);

struct OncallRow {
  Train train;
  Captains captains;
};
Result<std::vector<OncallRow>> OncallSchedule(const App& app, Date from, int count);

// Records that `engineer` takes `role` (primary or secondary) for the train released on
// `release_day`; audited with the captains before and after.
Status SwapOncall(const App& app, Date release_day, const std::string& role,
                  const std::string& engineer, const std::string& reason, const std::string& by);

}  // namespace captain
