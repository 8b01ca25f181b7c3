// How trains are shown: the contract's JSON and the human table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/calendar.h"

namespace captain {

// {"sprint_start", "release_day", "milestones": {name: "…Z"}, "moved": [...]}
nlohmann::json TrainJson(const Train& t);
nlohmann::json ScheduleJson(const std::vector<Train>& trains, const std::string& timezone);
std::string ScheduleText(const std::vector<Train>& trains, const date::time_zone* tz);

}  // namespace captain
