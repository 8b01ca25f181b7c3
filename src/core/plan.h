// Who ships: the eligibility rules and the deployment plan, pure functions of
// (config, calendar train, recorded facts, now).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/calendar.h"
#include "core/model.h"
#include "core/validation.h"
#include "util/result.h"

namespace captain {

// The plan reason codes of the external contract (one per skipped service).
inline constexpr const char* kOptedOut = "opted-out";
inline constexpr const char* kNoResponse = "no-response";
inline constexpr const char* kNoImage = "no-image";
inline constexpr const char* kScanFailed = "scan-failed";
inline constexpr const char* kUnsigned = "unsigned";
inline constexpr const char* kSignatureExpired = "signature-expired";
inline constexpr const char* kStaleBuild = "stale-build";
inline constexpr const char* kOpenDefect = "open-defect";
inline constexpr const char* kNotValidated = "not-validated";
inline constexpr const char* kUnhealthy = "unhealthy";
inline constexpr const char* kNotRequested = "not-requested";

// A deployment step: "lower" (every lower environment) or one higher environment by name.
struct Step {
  std::string name;
  std::vector<std::string> environments;
};
// The steps in order: lower, then each higher environment.
std::vector<Step> StepsOf(const Config& c);
std::optional<Step> FindStep(const Config& c, const std::string& name);

enum class OptStatus { kIn, kOut, kNoResponse, kPending };
// A service's effective answer: platform services are always in; otherwise the latest
// answer (team-wide or for the service) given before the deadline or accepted late.
OptStatus EffectiveOpt(const Config& c, const FactsIndex& ix, const std::string& service,
                       Instant opt_deadline, Instant now);

// The opt window includes its deadline second ("by 3PM ET at the latest"): an answer stamped
// 15:00:00 counts, and the window closes after it. The tick, opt-ins and the plan all ask this.
bool OptWindowOpen(Instant opt_deadline, Instant t);

// Whether an opt-in/out given at `now` is accepted; after the deadline only with a reason.
Status CheckOptAnswer(const date::time_zone* tz, Instant opt_deadline, Instant now,
                      const std::string& late_reason);

// The commit a service ships in this release: its hotfix swap, else `candidate` (the
// release's, from ReleaseCandidate).
std::string CandidateCommit(const FactsIndex& ix, const std::string& service,
                            const std::string& candidate);
// The release candidate: explicit, else the newest evidenced commit equal to develop's head.
std::string ReleaseCandidate(const ReleaseFacts& f);

// The one recorded commit `prefix` names among `evidence`: a usage error naming the flag when
// it names none (`flag`: "no SecRel evidence…") or several (listing them).
Result<std::string> ResolveCommit(const std::vector<EvidenceImage>& evidence,
                                  const std::string& prefix, const std::string& flag);

// The evidence image of `service` built from `commit` (a full or abbreviated hash).
const EvidenceImage* FindImage(const FactsIndex& ix, const std::string& service,
                               const std::string& commit);

struct Decision {
  std::string service;
  std::string team;
  bool deploy = false;
  std::string reason;  // a reason code when skipped
  std::string detail;  // words for people
  std::string commit;
  std::string tag;
  std::string ref;
  std::string digest;
  std::optional<Instant> signed_at;  // of the image deployed
  std::vector<std::string> environments;
};

struct Plan {
  std::string release_id;
  std::string step;
  std::string candidate;
  std::vector<Decision> decisions;  // in configuration order
};

// `naive`: look facts up by scanning them, as before they were indexed (tests compare).
Plan ComputePlan(const Config& c, const Train& train, const ReleaseFacts& f, const Step& step,
                 Instant now, bool naive = false);
// The same on facts already indexed (several steps of one release share one index).
Plan ComputePlan(const Config& c, const Train& train, const FactsIndex& ix, const Step& step,
                 Instant now);

// What a deploy writes for an image: its reference's tag (or `fallback` if it has none), or
// tag@digest when `images.deploy: digest` is configured.
std::string DeployedValue(const Config& c, const EvidenceImage& img, const std::string& fallback);

// The evidence checks alone (image, scan, signature, staleness) for one service and commit;
// nullopt when they pass, else {reason, detail}.
std::optional<Refusal> CheckEvidence(const Config& c, const FactsIndex& ix,
                                     const std::string& service, const std::string& commit,
                                     bool require_latest, Instant now);

}  // namespace captain
