// Automation by time: everything due at `now` that has not happened yet, once.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"
#include "core/plan.h"
#include "core/signatures.h"

namespace captain {

// Applies every due step (open the current train's release at its announce time, announce,
// close the opt window recording no-response, remind about sign-offs, apply the defect
// cutoff). Running it twice, or late, ends in the same state. Returns what it did.
Result<std::vector<std::string>> Tick(const App& app);

Result<Plan> PlanRelease(const App& app, const std::string& id, const std::string& step);

// Signature age of everything captain has deployed, judged against the next trains.
Result<std::vector<SignatureAge>> Signatures(const App& app);

}  // namespace captain
