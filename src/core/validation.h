// What counts as deployed, validated and held: the one home of these rules, used by the
// plan, the release state, the defect cutoff and request checks alike. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/facts_index.h"
#include "core/model.h"

namespace captain {

// Why a service is not deployed: a plan reason code and words for people.
struct Refusal {
  std::string reason;
  std::string detail;
};

// The deployment of `service` in `env` in force at `t` (every recorded one when nullopt):
// the latest with at <= t, ties broken by record order. Null if there is none.
const Deployment* RunningAt(const FactsIndex& ix, const std::string& service,
                            const std::string& env, std::optional<Instant> t = std::nullopt);

// `service` runs `commit` in `env` now: its latest deployment there is that commit and is not
// a rollback.
bool Runs(const FactsIndex& ix, const std::string& service, const std::string& commit,
          const std::string& env);

// A sign-off validates what was deployed at the moment of signing: `team` signed off `env` at
// a time (no later than `until`, when given) when `service` ran `commit` there.
bool SignedOffWith(const FactsIndex& ix, const std::string& team, const std::string& service,
                   const std::string& commit, const std::string& env,
                   std::optional<Instant> until = std::nullopt);

// Lower validation: such a sign-off in any lower environment.
bool LowerValidated(const Config& c, const FactsIndex& ix, const std::string& team,
                    const std::string& service, const std::string& commit,
                    std::optional<Instant> until = std::nullopt);

// When `service`'s candidate was last swapped by a hotfix in this release, if ever.
std::optional<Instant> LastSwap(const FactsIndex& ix, const std::string& service);

// A rollback in this release that no hotfix has followed holds the service in every step.
std::optional<Refusal> RollbackHold(const FactsIndex& ix, const std::string& service);

// A captain cancelled the service from this release.
std::optional<Refusal> CancelHold(const FactsIndex& ix, const std::string& service);

// The defect cutoff is a snapshot taken at `cutoff`: a defect open then (even if resolved
// later), or no lower validation of the service's commit signed by then, keeps the service
// out of the higher environments. Only a captain's defect-cutoff override given after the
// cutoff puts it back. Nothing before the cutoff.
std::optional<Refusal> CutoffHold(const Config& c, const FactsIndex& ix, const Service& s,
                                  const std::string& commit, Instant cutoff, Instant now);

}  // namespace captain
