// captain drift: reads the GitOps repository and compares it with captain's records.
#pragma once

#include "app/app.h"
#include "core/drift.h"
#include "gitops/git_repo.h"

namespace captain {

Result<DriftReport> CheckDrift(const App& app, GitopsRepo& repo);

}  // namespace captain
