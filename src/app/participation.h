// What teams and captains record during a release: opt-in/out, gate overrides, sign-offs,
// defects and health.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"

namespace captain {

struct OptRequest {
  std::string release_id;
  std::string team;
  std::vector<std::string> services;  // empty: the whole team
  OptAnswer answer = OptAnswer::kIn;
  std::string by;
  std::string late_reason;
};
Status RecordOpt(const App& app, const OptRequest& req);

Status OverrideGate(const App& app, const std::string& release_id, const std::string& service,
                    const std::string& reason, const std::string& by);
// A captain puts back a service the defect cutoff held out of the higher environments.
// Refused before the cutoff, or for a service the cutoff did not hold.
Status OverrideCutoff(const App& app, const std::string& release_id, const std::string& service,
                      const std::string& reason, const std::string& by);
Status RecordSignOff(const App& app, const std::string& release_id, const std::string& team,
                     const std::string& env, const std::string& by);
Result<int64_t> OpenDefect(const App& app, const std::string& release_id,
                           const std::string& service, const std::string& title,
                           const std::string& by);
Status ResolveDefect(const App& app, int64_t id, const std::string& by);
// The service a defect is about (not found: an error).
Result<std::string> DefectService(const App& app, int64_t id);
Status RecordHealth(const App& app, const std::string& release_id, const std::string& env,
                    const std::string& service, bool healthy, const std::string& by);

}  // namespace captain
