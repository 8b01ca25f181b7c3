#include "core/validation.h"

#include <algorithm>

#include "core/plan.h"

namespace captain {

const Deployment* RunningAt(const std::vector<Deployment>& ds, const std::string& service,
                            const std::string& env, std::optional<Instant> t) {
  const Deployment* best = nullptr;
  for (const auto& d : ds) {
    if (d.service != service || d.env != env || (t && d.at > *t)) continue;
    if (!best || d.at > best->at || (d.at == best->at && d.id >= best->id)) best = &d;
  }
  return best;
}

bool Runs(const std::vector<Deployment>& ds, const std::string& service, const std::string& commit,
          const std::string& env) {
  const Deployment* d = RunningAt(ds, service, env);
  return d && !d->rollback && SameCommit(d->commit, commit);
}

bool SignedOffWith(const std::vector<Deployment>& ds, const std::vector<SignOff>& signoffs,
                   const std::string& team, const std::string& service, const std::string& commit,
                   const std::string& env, std::optional<Instant> until) {
  for (const auto& s : signoffs) {
    if (s.team != team || s.env != env || (until && s.at > *until)) continue;
    const Deployment* d = RunningAt(ds, service, env, s.at);
    if (d && !d->rollback && SameCommit(d->commit, commit)) return true;
  }
  return false;
}

bool LowerValidated(const Config& c, const std::vector<Deployment>& ds,
                    const std::vector<SignOff>& signoffs, const std::string& team,
                    const std::string& service, const std::string& commit,
                    std::optional<Instant> until) {
  for (const auto& env : c.LowerEnvironments()) {
    if (SignedOffWith(ds, signoffs, team, service, commit, env, until)) return true;
  }
  return false;
}

std::optional<Instant> LastSwap(const ReleaseFacts& f, const std::string& service) {
  std::optional<Instant> at;
  for (const auto& s : f.swaps) {
    if (s.service == service && (!at || s.at > *at)) at = s.at;
  }
  return at;
}

std::optional<Refusal> RollbackHold(const ReleaseFacts& f, const std::string& service) {
  const Deployment* last = nullptr;
  for (const auto& d : f.deployments) {
    if (d.service == service && d.rollback && (!last || d.at >= last->at)) last = &d;
  }
  if (!last) return std::nullopt;
  auto swapped = LastSwap(f, service);
  if (swapped && *swapped > last->at) return std::nullopt;
  return Refusal{kNotValidated, "rolled back in " + last->env + " at " + FormatUtc(last->at) +
                                    " by " + last->by +
                                    "; held until a hotfix (release update --service)"};
}

std::optional<Refusal> CancelHold(const ReleaseFacts& f, const std::string& service) {
  for (const auto& c : f.cancels) {
    if (c.service == service) {
      return Refusal{kOptedOut, "cancelled from this release by " + c.by + ": " + c.reason};
    }
  }
  return std::nullopt;
}

std::optional<Refusal> CutoffHold(const Config& c, const ReleaseFacts& f, const Service& s,
                                  const std::string& commit, Instant cutoff, Instant now) {
  if (now < cutoff) return std::nullopt;
  for (const auto& o : f.overrides) {
    if (o.service == s.name && o.kind == kOverrideCutoff && o.at >= cutoff) return std::nullopt;
  }
  const std::string put_back = "; only a captain's override (override --cutoff) puts it back";
  for (const auto& d : f.defects) {
    if (d.service != s.name || d.opened_at > cutoff) continue;
    if (d.resolved_at && *d.resolved_at <= cutoff) continue;
    std::string when =
        d.resolved_at ? " (resolved " + FormatUtc(*d.resolved_at) + ", too late)" : "";
    return Refusal{kOpenDefect, "defect #" + std::to_string(d.id) +
                                    " was open at the defect cutoff " + FormatUtc(cutoff) + when +
                                    put_back};
  }
  if (!LowerValidated(c, f.deployments, f.signoffs, s.team, s.name, commit, cutoff)) {
    return Refusal{kNotValidated, "team " + s.team + " had not signed off lower validation of " +
                                      commit.substr(0, 12) + " by the defect cutoff " +
                                      FormatUtc(cutoff) + put_back};
  }
  return std::nullopt;
}

}  // namespace captain
