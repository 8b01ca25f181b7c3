#include "core/release_state.h"

#include <algorithm>
#include <set>

namespace captain {

bool IsFinal(ReleaseState s) {
  return s == ReleaseState::kSignedOff || s == ReleaseState::kCancelled ||
         s == ReleaseState::kRolledBack;
}

bool CanTransition(ReleaseState from, ReleaseState to) {
  if (IsFinal(from)) return false;
  if (to == ReleaseState::kCancelled) return true;
  if (to == ReleaseState::kRolledBack) return from >= ReleaseState::kLowerDeployed;
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
    if (std::find(done.begin(), done.end(), TickActionName(action)) != done.end()) continue;
    due.push_back(action);
  }
  return due;
}

std::vector<std::string> TeamsAwaitingLowerSignoff(const Config& c, const ReleaseFacts& f) {
  std::set<std::string> lower;
  for (const auto& e : c.environments) {
    if (e.tier == Tier::kLower) lower.insert(e.name);
  }
  std::set<std::string> teams;
  for (const auto& d : f.deployments) {
    if (lower.count(d.env)) teams.insert(c.FindService(d.service)->team);
  }
  std::vector<std::string> waiting;
  for (const auto& t : teams) {
    bool signed_off = std::any_of(f.signoffs.begin(), f.signoffs.end(), [&](const SignOff& s) {
      return s.team == t && lower.count(s.env);
    });
    if (!signed_off) waiting.push_back(t);
  }
  return waiting;
}

}  // namespace captain
