// Use cases on releases: open, list, show, hotfix swap, notes, cancel, final sign-off.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/plan.h"

namespace captain {

// Opens the standard release of the train `release_day` belongs to (default: the train
// that `now` falls in).
Result<Release> OpenRelease(const App& app, std::optional<Date> release_day, const std::string& by);
Result<std::vector<Release>> ListReleases(const App& app);

struct ReleaseView {
  Release release;
  Train train;
  ReleaseFacts facts;
  std::vector<Plan> plans;  // one per step, in order
};
Result<ReleaseView> ShowRelease(const App& app, const std::string& id);

// `service` empty: set the release candidate; else swap one service to a newer evidenced
// commit (a hotfix), which then needs lower validation again.
Status UpdateCandidate(const App& app, const std::string& id, const std::string& service,
                       const std::string& commit, const std::string& by);
Status AddReleaseNote(const App& app, const std::string& id, const std::string& category,
                      const std::string& text, const std::string& by);
// `service` empty: cancel the whole release; else take one service out of it (its plan says
// opted-out with the reason; the rest of the release goes on).
Status CancelRelease(const App& app, const std::string& id, const std::string& service,
                     const std::string& reason, const std::string& by);
// The release's sign-off: only after prod is deployed and every team with services in prod
// signed off prod.
Status SignOffRelease(const App& app, const std::string& id, const std::string& by);

// Moves a release to `to` with an audit entry (no-op if it is already there).
Status MoveRelease(const App& app, Release& r, ReleaseState to, const std::string& by,
                   const std::string& why);

}  // namespace captain
