// Deploy steps scheduled for a time: the daemon runs each when its time comes, if the plan
// still allows it then (core/scheduled_check.h), and says why when it does not.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/deploy.h"

namespace captain {

// Schedules `args` (a deploy step) for `at`: the step, environment and release are checked
// now, and the step's milestone against `at` (refused, exit 3, when it is earlier).
Result<ScheduledStep> ScheduleDeploy(const App& app, const DeployArgs& args, Instant at);
Status CancelScheduled(const App& app, int64_t id, const std::string& by);
// Runs every pending step whose time has come: deployed as its scheduler (done), refused with
// the reasons posted to the on-call channel and the teams (refused), or failed. A line each.
Result<std::vector<std::string>> RunDueScheduled(const App& app, GitopsRepo& repo);

nlohmann::json ScheduledJson(const ScheduledStep& s);

}  // namespace captain
