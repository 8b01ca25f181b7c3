// Ad-hoc and emergency deployment requests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"

namespace captain {

struct RequestArgs {
  ReleaseKind kind = ReleaseKind::kAdhoc;
  std::string commit;
  std::string changelog;
  std::vector<std::string> services;
  std::string by;
  std::optional<Instant> at;  // requested deployment time
};

// Verifies the request against the evidence and lower-region validation; a failure lists
// every unmet condition (exit 3). On success the request is recorded, awaiting approval.
Result<Release> CreateRequest(const App& app, const RequestArgs& args);
// A captain approves a request and (re)schedules it.
Status ApproveRequest(const App& app, const std::string& id, std::optional<Instant> at,
                      const std::string& by);

}  // namespace captain
