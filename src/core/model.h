// The recorded facts of the release train, as plain values. The store loads them; the rules
// read them; nothing here does I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/timefmt.h"

namespace captain {

enum class ReleaseKind { kStandard, kAdhoc, kEmergency };
enum class ReleaseState {
  kCollecting,  // collecting opt-ins
  kOptClosed,   // opt window closed
  kLowerDeployed,
  kValidated,
  kProdTestDeployed,
  kProdDeployed,
  kSignedOff,
  kCancelled,
  kRolledBack,
};
enum class ScanResult { kPassed, kVulnerable, kGateError, kNotRun };
enum class OptAnswer { kIn, kOut };

std::string_view KindName(ReleaseKind k);
std::optional<ReleaseKind> ParseKind(std::string_view s);
std::string_view StateName(ReleaseState s);
std::optional<ReleaseState> ParseState(std::string_view s);
std::string_view ScanName(ScanResult r);
std::optional<ScanResult> ParseScan(std::string_view s);

struct Release {
  std::string id;  // "2026-12-01" style for standard trains, "adhoc-…"/"emergency-…" otherwise
  ReleaseKind kind = ReleaseKind::kStandard;
  Date release_day;
  ReleaseState state = ReleaseState::kCollecting;
  std::string candidate_commit;  // empty: newest evidenced commit equal to develop's head
  std::vector<std::string> requested_services;  // ad-hoc/emergency only
  std::string changelog;                        // ad-hoc/emergency only
  std::optional<Instant> scheduled_at;          // ad-hoc/emergency only
  bool approved = false;                        // ad-hoc/emergency: a captain approved it
  std::string created_by;
  Instant created_at;
};

struct OptRecord {
  std::string team;
  std::string service;  // empty: the whole team
  OptAnswer answer = OptAnswer::kIn;
  std::string by;
  Instant at;
  std::string late_reason;  // set when a captain accepted it after the deadline
};

struct EvidenceImage {
  std::string run_id;
  std::string commit;
  std::string branch;
  Instant finished_at;
  std::string service;
  std::string ref;     // registry/repo:tag
  std::string digest;  // sha256:…
  ScanResult scan = ScanResult::kNotRun;
  bool is_signed = false;
  std::optional<Instant> signed_at;
};

// What the registry said of an image the release would ship (captain evidence verify, or a
// deploy's re-check): `verdict` is ok, no-image, stale-build, unsigned, bad-signature,
// signature-mismatch or registry-unreachable.
struct RegistryCheck {
  std::string service;
  std::string ref;           // as the SecRel report named it
  std::string digest;        // what the tag resolved to ("" when it did not)
  std::string image_digest;  // the platform's image, when the tag is an index
  std::string verdict;
  std::string revision;
  std::optional<Instant> signed_at;
  std::string detail;
  Instant checked_at;
  std::string keys;  // which signature.public_keys it was checked with (a fingerprint)
};

struct DevelopHead {
  std::string commit;
  Instant at;
};

// A captain's reasoned exception for one service: a scan gate error accepted
// (kGateError), or a service held at the defect cutoff put back (kDefectCutoff).
inline constexpr const char* kOverrideGate = "gate-error";
inline constexpr const char* kOverrideCutoff = "defect-cutoff";
struct GateOverride {
  std::string service;
  std::string reason;
  std::string by;
  Instant at;
  std::string kind = kOverrideGate;
};

// A service a captain took out of a release (the rest of the release goes on).
struct ServiceCancel {
  std::string service;
  std::string reason;
  std::string by;
  Instant at;
};

// A service whose candidate was swapped to a newer commit (a hotfix).
struct CandidateSwap {
  std::string service;
  std::string commit;
  std::string by;
  Instant at;
};

struct SignOff {
  std::string team;
  std::string env;
  std::string by;
  Instant at;
};

struct Defect {
  int64_t id = 0;
  std::string release_id;
  std::string service;
  std::string title;
  std::string opened_by;
  Instant opened_at;
  std::optional<Instant> resolved_at;
  std::string resolved_by;
  bool open() const { return !resolved_at.has_value(); }
};

struct HealthRecord {
  std::string env;
  std::string service;
  bool healthy = true;
  Instant at;
};

// What is (or was) running: one service's tag in one environment, as captain deployed it.
struct Deployment {
  int64_t id = 0;
  std::string release_id;
  std::string env;
  std::string service;
  std::string commit;  // source commit of the image
  std::string old_tag;
  std::string new_tag;
  std::optional<Instant> signed_at;  // signature time of the image deployed
  std::string gitops_commit;
  std::string by;
  Instant at;
  bool rollback = false;  // a rollback restored new_tag; the service is held in this release
};

struct ReleaseNote {
  std::string category;  // one of kNoteCategories
  std::string text;
  std::string by;
  Instant at;
};

inline constexpr std::string_view kNoteCategories[] = {
    "new-features", "bug-fixes", "performance", "security", "configuration", "signature-refresh"};
bool IsNoteCategory(std::string_view c);

// A deploy step recorded before its push and finished after it, so that a crash in between
// is reconciled with the GitOps remote instead of being applied twice or lost.
struct DeployIntent {
  std::string id;  // also the commit's Captain-Deploy trailer
  std::string release_id;
  std::string env;
  std::string step;
  std::string changes;  // JSON list of {service, file, key, old_tag, new_tag, commit, signed_at}
  std::string by;
  Instant created_at;
  std::string state = "pending";  // pending, done, abandoned
  std::string gitops_commit;
};

inline constexpr std::string_view kRootCauses[] = {"RC VRO", "RC LHDI", "RC Partner Team",
                                                   "External VA"};

// A deploy step a captain scheduled for a time; the daemon runs it then if the plan still
// allows it. `holds` are the services the plan held back when it was scheduled, with their
// reasons ("service:reason").
struct ScheduledStep {
  int64_t id = 0;
  std::string release_id;
  std::string step;
  std::string env;  // empty: every environment of the step
  Instant at;
  std::string by;
  Instant created_at;
  std::vector<std::string> holds;
  std::string state = "pending";  // pending, done, refused, failed, cancelled
  std::string detail;
  std::optional<Instant> finished_at;
};

// An incident report, opened by a rollback.
struct Incident {
  int64_t id = 0;
  std::string release_id;
  std::string env;
  std::string title;
  std::string reported_by_team;
  std::string description;
  std::string replication;
  bool non_functional = false;
  bool blocker = false;
  std::string root_cause;  // one of kRootCauses
  std::vector<std::string> services;
  std::string gitops_commit;
  std::string opened_by;
  Instant opened_at;
};

// Everything the rules need to know about one release.
struct ReleaseFacts {
  Release release;
  std::vector<OptRecord> opts;
  std::vector<EvidenceImage> evidence;  // images of every commit the release may use
  std::optional<DevelopHead> develop;
  std::vector<GateOverride> overrides;
  std::vector<ServiceCancel> cancels;
  std::vector<CandidateSwap> swaps;
  std::vector<SignOff> signoffs;
  std::vector<Defect> defects;
  std::vector<HealthRecord> health;
  std::vector<Deployment> deployments;  // of this release
  std::vector<ReleaseNote> notes;
  std::vector<RegistryCheck> registry_checks;  // of this release, oldest first
  // Services whose running image's signature is due: a standard release takes them even
  // without an opt-in, so no signature outlives signature.max_age_days.
  std::vector<std::string> signature_due;
};

// True if `s` is a full (40) or abbreviated (7..39) lower-case hex commit hash.
bool IsCommitHash(std::string_view s);
// The one rule for "the same commit": both given and one is a prefix of the other (a full
// hash and its abbreviation, or two abbreviations of one hash).
bool SameCommit(std::string_view a, std::string_view b);

}  // namespace captain
