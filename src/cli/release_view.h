// How releases, plans, audit entries and signature ages are shown (JSON and text).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/releases.h"
#include "core/signatures.h"
#include "store/store.h"

namespace captain {

nlohmann::json PlanJson(const Plan& p);
std::string PlanText(const Plan& p);
nlohmann::json ReleaseViewJson(const Config& c, const ReleaseView& v, Instant now);
std::string ReleaseViewText(const Config& c, const ReleaseView& v, Instant now);
nlohmann::json AuditJson(const AuditEntry& e);
std::string AuditText(const AuditEntry& e);
nlohmann::json SignaturesJson(const std::vector<SignatureAge>& ages);
std::string SignaturesText(const std::vector<SignatureAge>& ages);

}  // namespace captain
