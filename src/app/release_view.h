// How releases, plans, audit entries and signature ages are shown (JSON and text).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/releases.h"
#include "core/signatures.h"
#include "store/store.h"

namespace captain {

// What a view shows: every service, or one team's; every environment, or one.
struct ViewFilter {
  std::string team;
  std::string env;
  bool Shows(const std::string& service_team) const { return team.empty() || team == service_team; }
};

// The JSON documents of plans, release views and signature ages, written straight to text
// (they run to thousands of services).
std::string PlanJson(const Plan& p, const ViewFilter& f = {});
// Grouped by team, in configuration order.
std::string PlanText(const Config& c, const Plan& p, const ViewFilter& f = {});
std::string ReleaseViewJson(const Config& c, const ReleaseView& v, Instant now,
                            const ViewFilter& f = {});
std::string ReleaseViewText(const Config& c, const ReleaseView& v, Instant now,
                            const ViewFilter& f = {});
nlohmann::json AuditJson(const AuditEntry& e);
std::string AuditText(const AuditEntry& e);
std::string SignaturesJson(const std::vector<SignatureAge>& ages);
std::string SignaturesText(const std::vector<SignatureAge>& ages);

}  // namespace captain
