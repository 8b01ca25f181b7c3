#include "core/release_state.h"

#include <algorithm>
#include <set>

#include "core/plan.h"
#include "core/validation.h"

namespace captain {

bool IsFinal(ReleaseState s) {
  return s == ReleaseState::kSignedOff || s == ReleaseState::kCancelled ||
         s == ReleaseState::kRolledBack;
}

bool CanTransition(ReleaseState from, ReleaseState to) {
  if (IsFinal(from)) return false;
  if (to == ReleaseState::kCancelled) return true;
  // A rollback holds one service (see RollbackHold); rolled-back is only read from releases
  // recorded before that, and nothing moves a release there now.
  if (to == ReleaseState::kRolledBack) return false;
  if (to == ReleaseState::kSignedOff) return from == ReleaseState::kProdDeployed;
  return to >= from;  // forward (or staying, e.g. a second deploy of the same step)
}

Status CheckTransition(const Release& r, ReleaseState to) {
  if (CanTransition(r.state, to)) return {};
  return PolicyError("release " + r.id + " is " + std::string(StateName(r.state)) +
                     "; it cannot become " + std::string(StateName(to)));
}

Status CheckOpen(const Release& r) {
  if (IsFinal(r.state)) {
    return PolicyError("release " + r.id + " is " + std::string(StateName(r.state)));
  }
  return {};
}

ReleaseState StateAfterStep(const std::string& step, const std::string& last_higher_env) {
  if (step == "lower") return ReleaseState::kLowerDeployed;
  if (step == last_higher_env) return ReleaseState::kProdDeployed;
  return ReleaseState::kProdTestDeployed;
}

std::string_view TickActionName(TickAction a) {
  switch (a) {
    case TickAction::kAnnounce:
      return "announce";
    case TickAction::kCloseOptWindow:
      return "close-opt-window";
    case TickAction::kValidationReminder:
      return "validation-reminder";
    case TickAction::kDefectCutoff:
      return "defect-cutoff";
  }
  return "unknown";
}

std::vector<TickAction> DueTickActions(const Train& train, Instant now,
                                       const std::vector<std::string>& done) {
  const std::pair<TickAction, MilestoneId> schedule[] = {
      {TickAction::kAnnounce, MilestoneId::kAnnounce},
      {TickAction::kCloseOptWindow, MilestoneId::kOptDeadline},
      {TickAction::kValidationReminder, MilestoneId::kValidationDeadline},
      {TickAction::kDefectCutoff, MilestoneId::kDefectCutoff},
  };
  std::vector<TickAction> due;
  for (auto [action, milestone] : schedule) {
    if (train.When(milestone) > now) continue;
    // The opt window includes its deadline second; it closes after it.
    if (action == TickAction::kCloseOptWindow &&
        OptWindowOpen(train.When(MilestoneId::kOptDeadline), now)) {
      continue;
    }
    if (std::find(done.begin(), done.end(), TickActionName(action)) != done.end()) continue;
    due.push_back(action);
  }
  return due;
}

std::vector<std::string> TeamsAwaitingLowerSignoff(const Config& c, const ReleaseFacts& f) {
  FactsIndex ix(f);
  std::set<std::pair<std::string, std::string>> running;  // (service, commit) running lower
  for (const auto& env : c.LowerEnvironments()) {
    for (const auto& s : c.services) {
      const Deployment* d = RunningAt(ix, s.name, env);
      if (d && !d->rollback && d->release_id == f.release.id) running.insert({s.name, d->commit});
    }
  }
  std::set<std::string> waiting;
  for (const auto& [service, commit] : running) {
    const Service* s = c.FindService(service);
    if (!LowerValidated(c, ix, s->team, service, commit)) {
      waiting.insert(s->team);
    }
  }
  return {waiting.begin(), waiting.end()};
}

}  // namespace captain
