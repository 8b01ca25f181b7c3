// The release state machine and the time-driven steps of a train. Pure.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/calendar.h"
#include "core/model.h"
#include "util/result.h"

namespace captain {

// Whether a release may move from `from` to `to` (forward along the policy's order, or to
// cancelled / rolled back).
bool CanTransition(ReleaseState from, ReleaseState to);
Status CheckTransition(const Release& r, ReleaseState to);
// Refused (policy) once a release is final: cancelled, signed off or rolled back.
Status CheckOpen(const Release& r);
bool IsFinal(ReleaseState s);

// The state a release reaches when a deploy step completes.
ReleaseState StateAfterStep(const std::string& step, const std::string& last_higher_env);

// Teams with services deployed to a lower environment by this release that have not signed
// off lower validation yet (sorted). The release is validated when none is left.
std::vector<std::string> TeamsAwaitingLowerSignoff(const Config& c, const ReleaseFacts& f);

// Time-driven steps of a standard release, each done once.
enum class TickAction { kAnnounce, kCloseOptWindow, kValidationReminder, kDefectCutoff };
std::string_view TickActionName(TickAction a);
// The steps due at `now` that are not in `done`, in order.
std::vector<TickAction> DueTickActions(const Train& train, Instant now,
                                       const std::vector<std::string>& done);

}  // namespace captain
