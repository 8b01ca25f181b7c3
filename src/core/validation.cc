#include "core/validation.h"

#include <algorithm>

#include "core/plan.h"

namespace captain {

const Deployment* RunningAt(const FactsIndex& ix, const std::string& service,
                            const std::string& env, std::optional<Instant> t) {
  auto list = ix.Deployments(service, env);  // sorted by (at, id)
  if (!t) return list.empty() ? nullptr : list.back();
  auto after = std::upper_bound(list.begin(), list.end(), *t,
                                [](Instant when, const Deployment* d) { return when < d->at; });
  return after == list.begin() ? nullptr : *(after - 1);
}

bool Runs(const FactsIndex& ix, const std::string& service, const std::string& commit,
          const std::string& env) {
  const Deployment* d = RunningAt(ix, service, env);
  return d && !d->rollback && SameCommit(d->commit, commit);
}

bool SignedOffWith(const FactsIndex& ix, const std::string& team, const std::string& service,
                   const std::string& commit, const std::string& env,
                   std::optional<Instant> until) {
  for (const SignOff* s : ix.SignOffsOf(team)) {
    if (s->env != env || (until && s->at > *until)) continue;
    const Deployment* d = RunningAt(ix, service, env, s->at);
    if (d && !d->rollback && SameCommit(d->commit, commit)) return true;
  }
  return false;
}

bool LowerValidated(const Config& c, const FactsIndex& ix, const std::string& team,
                    const std::string& service, const std::string& commit,
                    std::optional<Instant> until) {
  for (const auto& env : c.LowerEnvironments()) {
    if (SignedOffWith(ix, team, service, commit, env, until)) return true;
  }
  return false;
}

std::optional<Instant> LastSwap(const FactsIndex& ix, const std::string& service) {
  std::optional<Instant> at;
  for (const CandidateSwap* s : ix.SwapsOf(service)) {
    if (!at || s->at > *at) at = s->at;
  }
  return at;
}

std::optional<Refusal> RollbackHold(const FactsIndex& ix, const std::string& service) {
  const Deployment* last = nullptr;
  for (const Deployment* d : ix.DeploymentsOf(service)) {
    if (d->rollback) last = d;  // sorted by time: the last one wins
  }
  if (!last) return std::nullopt;
  auto swapped = LastSwap(ix, service);
  if (swapped && *swapped > last->at) return std::nullopt;
  return Refusal{kNotValidated, "rolled back in " + last->env + " at " + FormatUtc(last->at) +
                                    " by " + last->by +
                                    "; held until a hotfix (release update --service)"};
}

std::optional<Refusal> CancelHold(const FactsIndex& ix, const std::string& service) {
  for (const ServiceCancel* c : ix.CancelsOf(service)) {
    return Refusal{kOptedOut, "cancelled from this release by " + c->by + ": " + c->reason};
  }
  return std::nullopt;
}

std::optional<Refusal> CutoffHold(const Config& c, const FactsIndex& ix, const Service& s,
                                  const std::string& commit, Instant cutoff, Instant now) {
  if (now < cutoff) return std::nullopt;
  for (const GateOverride* o : ix.OverridesOf(s.name)) {
    if (o->kind == kOverrideCutoff && o->at >= cutoff) return std::nullopt;
  }
  const std::string put_back = "; only a captain's override (override --cutoff) puts it back";
  for (const Defect* d : ix.DefectsOf(s.name)) {
    if (d->opened_at > cutoff) continue;
    if (d->resolved_at && *d->resolved_at <= cutoff) continue;
    std::string when =
        d->resolved_at ? " (resolved " + FormatUtc(*d->resolved_at) + ", too late)" : "";
    return Refusal{kOpenDefect, "defect #" + std::to_string(d->id) +
                                    " was open at the defect cutoff " + FormatUtc(cutoff) + when +
                                    put_back};
  }
  if (!LowerValidated(c, ix, s.team, s.name, commit, cutoff)) {
    return Refusal{kNotValidated, "team " + s.team + " had not signed off lower validation of " +
                                      commit.substr(0, 12) + " by the defect cutoff " +
                                      FormatUtc(cutoff) + put_back};
  }
  return std::nullopt;
}

}  // namespace captain
