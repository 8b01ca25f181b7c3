#include "core/plan.h"

#include <algorithm>

#include "core/image_ref.h"

namespace captain {
namespace {

std::string Days(std::chrono::seconds s) {
  return std::to_string(std::chrono::duration_cast<std::chrono::hours>(s).count() / 24);
}

// The lower step has begun: from then on the release promotes what it deployed there.
bool LowerStarted(const Config& c, const ReleaseFacts& f) {  // one pass, once per plan
  for (const auto& d : f.deployments) {
    if (!d.rollback && c.IsLower(d.env)) return true;
  }
  return false;
}

// `standard`: a request was verified against lower-region validation when it was made, so
// only a standard release checks lower validation and the defect cutoff here.
std::optional<Refusal> CheckHigher(const Config& c, const Train& train, const FactsIndex& ix,
                                   const Service& s, const std::string& commit, const Step& step,
                                   bool standard, Instant now) {
  for (const Defect* d : ix.DefectsOf(s.name)) {
    if (d->open()) {
      return Refusal{kOpenDefect, "defect #" + std::to_string(d->id) + " is open: " + d->title};
    }
  }
  if (standard) {
    if (auto held = CutoffHold(c, ix, s, commit, train.When(MilestoneId::kDefectCutoff), now)) {
      return held;
    }
    for (const auto& env : c.LowerEnvironments()) {
      if (!Runs(ix, s.name, commit, env)) {
        return Refusal{kNotValidated, "not running " + commit.substr(0, 12) + " in " + env};
      }
    }
    if (!LowerValidated(c, ix, s.team, s.name, commit)) {
      return Refusal{kNotValidated, "team " + s.team + " has not signed off lower validation of " +
                                        commit.substr(0, 12) + " since it was deployed"};
    }
  }
  // Each higher environment follows the one before it only once that one is healthy and
  // signed off.
  const Environment* previous = nullptr;
  for (const auto& e : c.environments) {
    if (e.name == step.name) break;
    if (e.tier == Tier::kHigher) previous = &e;
  }
  if (!previous) return std::nullopt;
  if (!Runs(ix, s.name, commit, previous->name)) {
    return Refusal{kNotValidated, "not deployed to " + previous->name + " yet"};
  }
  const HealthRecord* latest = nullptr;
  for (const HealthRecord* h : ix.HealthOf(s.name, previous->name)) {
    if (!latest || h->at >= latest->at) latest = h;
  }
  if (latest && !latest->healthy) {
    return Refusal{kUnhealthy,
                   "unhealthy in " + previous->name + " since " + FormatUtc(latest->at)};
  }
  if (!SignedOffWith(ix, s.team, s.name, commit, previous->name)) {
    return Refusal{kNotValidated, "team " + s.team + " has not signed off " + previous->name +
                                      " since it was deployed there"};
  }
  return std::nullopt;
}

}  // namespace

std::string DeployedValue(const Config& c, const EvidenceImage& img, const std::string& fallback) {
  auto ref = ParseImageRef(img.ref);
  std::string tag = ref && !ref->tag.empty() ? ref->tag : fallback;
  if (c.deploy_digest && !img.digest.empty())
    return tag.empty() ? img.digest : tag + "@" + img.digest;
  return tag;
}

std::vector<Step> StepsOf(const Config& c) {
  std::vector<Step> steps;
  Step lower{"lower", {}};
  for (const auto& e : c.environments) {
    if (e.tier == Tier::kLower) lower.environments.push_back(e.name);
  }
  if (!lower.environments.empty()) steps.push_back(lower);
  for (const auto& e : c.environments) {
    if (e.tier == Tier::kHigher) steps.push_back({e.name, {e.name}});
  }
  return steps;
}

std::optional<Step> FindStep(const Config& c, const std::string& name) {
  for (auto& s : StepsOf(c)) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

OptStatus EffectiveOpt(const Config& c, const FactsIndex& ix, const std::string& service,
                       Instant opt_deadline, Instant now) {
  const Service* s = c.FindService(service);
  if (!s) return OptStatus::kOut;
  const Team* t = c.FindTeam(s->team);  // s is configured: its team is too
  if (t && t->platform) return OptStatus::kIn;
  const OptRecord* latest = nullptr;
  for (const OptRecord* o : ix.OptsOf(s->team)) {
    if (!(o->service.empty() || o->service == service)) continue;
    if (!OptWindowOpen(opt_deadline, o->at) && o->late_reason.empty()) continue;
    // The latest answer wins; at the same moment a per-service answer beats a team-wide one,
    // and between answers of the same kind the one recorded last (answers come in order).
    if (!latest || o->at > latest->at ||
        (o->at == latest->at && (!o->service.empty() || latest->service.empty()))) {
      latest = o;
    }
  }
  if (latest) return latest->answer == OptAnswer::kIn ? OptStatus::kIn : OptStatus::kOut;
  return OptWindowOpen(opt_deadline, now) ? OptStatus::kPending : OptStatus::kNoResponse;
}

bool OptWindowOpen(Instant opt_deadline, Instant t) { return t <= opt_deadline; }

Status CheckOptAnswer(const date::time_zone* tz, Instant opt_deadline, Instant now,
                      const std::string& late_reason) {
  if (OptWindowOpen(opt_deadline, now) || !late_reason.empty()) return {};
  return PolicyError("the opt-in deadline passed at " + FormatLocal(opt_deadline, tz) +
                     "; a captain may accept a late answer with --late-reason");
}

std::string ReleaseCandidate(const ReleaseFacts& f) {
  if (!f.release.candidate_commit.empty()) return f.release.candidate_commit;
  if (!f.develop) return "";
  const EvidenceImage* newest = nullptr;
  for (const auto& e : f.evidence) {
    if (SameCommit(e.commit, f.develop->commit)) return e.commit;
    if (!newest || e.finished_at > newest->finished_at) newest = &e;
  }
  // develop moved past the newest SecRel run: that run is the candidate, and stale.
  return newest ? newest->commit : "";
}

std::string CandidateCommit(const FactsIndex& ix, const std::string& service,
                            const std::string& candidate) {
  const CandidateSwap* latest = nullptr;
  for (const CandidateSwap* s : ix.SwapsOf(service)) {
    if (!latest || s->at >= latest->at) latest = s;
  }
  return latest ? latest->commit : candidate;
}

Result<std::string> ResolveCommit(const std::vector<EvidenceImage>& evidence,
                                  const std::string& prefix, const std::string& flag) {
  std::vector<std::string> matches;
  for (const auto& e : evidence) {
    if (SameCommit(e.commit, prefix) &&
        std::find(matches.begin(), matches.end(), e.commit) == matches.end()) {
      matches.push_back(e.commit);
    }
  }
  if (matches.empty()) return PolicyError("no SecRel evidence for commit " + prefix);
  if (matches.size() > 1) {
    std::sort(matches.begin(), matches.end());
    std::string list;
    for (const auto& m : matches) list += "\n  " + m;
    return FieldError(flag, "'" + prefix + "' is ambiguous; it matches " +
                                std::to_string(matches.size()) +
                                " recorded commits (give more digits):" + list);
  }
  return matches.front();
}

const EvidenceImage* FindImage(const FactsIndex& ix, const std::string& service,
                               const std::string& commit) {
  const EvidenceImage* best = nullptr;
  for (const EvidenceImage* e : ix.ImagesOf(service)) {
    if (!SameCommit(e->commit, commit)) continue;
    if (!best || e->finished_at > best->finished_at) best = e;  // the newest run wins
  }
  return best;
}

// What the registry said of the image at its latest check (evidence verify, a deploy's
// re-check): the SecRel report's claim stands only where the registry agrees.
static std::optional<Refusal> CheckRegistry(const FactsIndex& ix, const EvidenceImage& img) {
  const RegistryCheck* latest = ix.LatestCheck(img);
  if (!latest) return std::nullopt;
  const std::string why = "registry, " + FormatUtc(latest->checked_at) + ": " + latest->detail;
  if (latest->verdict == "ok") {
    if (!img.digest.empty() && !latest->digest.empty() && latest->digest != img.digest &&
        latest->image_digest != img.digest) {
      return Refusal{kStaleBuild, "registry, " + FormatUtc(latest->checked_at) + ": " + img.ref +
                                      " now points at " + latest->digest + ", not the scanned " +
                                      img.digest};
    }
    return std::nullopt;
  }
  if (latest->verdict == "stale-build") return Refusal{kStaleBuild, why};
  if (latest->verdict == "unsigned" || latest->verdict == "bad-signature" ||
      latest->verdict == "signature-mismatch") {
    return Refusal{kUnsigned, why};
  }
  return Refusal{kNoImage, why};  // no-image, registry-unreachable: never eligible
}

std::optional<Refusal> CheckEvidence(const Config& c, const FactsIndex& ix,
                                     const std::string& service, const std::string& commit,
                                     bool require_latest, Instant now) {
  const ReleaseFacts& f = ix.facts();
  if (commit.empty()) {
    return Refusal{kNoImage, f.develop ? "no SecRel evidence recorded"
                                       : "develop's head is not recorded (evidence develop)"};
  }
  const EvidenceImage* img = FindImage(ix, service, commit);
  if (!img) return Refusal{kNoImage, "no image built from " + commit.substr(0, 12)};
  if (img->scan == ScanResult::kGateError) {
    bool overridden = false;
    for (const GateOverride* o : ix.OverridesOf(service))
      overridden = overridden || o->kind == kOverrideGate;
    if (!overridden) {
      return Refusal{kScanFailed,
                     "scan gate error in run " + img->run_id + " (a captain may override)"};
    }
  } else if (img->scan != ScanResult::kPassed) {
    return Refusal{kScanFailed,
                   "scan " + std::string(ScanName(img->scan)) + " in run " + img->run_id};
  }
  if (!img->is_signed || !img->signed_at)
    return Refusal{kUnsigned, "image " + img->ref + " is not signed"};
  auto expires = *img->signed_at + std::chrono::hours{24 * c.signature.max_age_days};
  if (expires <= now) {
    return Refusal{kSignatureExpired, "signed " + FormatUtc(*img->signed_at) + ", expired " +
                                          Days(now - expires) + " days ago"};
  }
  if (require_latest && f.develop && !SameCommit(img->commit, f.develop->commit)) {
    return Refusal{kStaleBuild, "develop moved to " + f.develop->commit.substr(0, 12) +
                                    " since the scan of " + img->commit.substr(0, 12)};
  }
  return CheckRegistry(ix, *img);
}

Plan ComputePlan(const Config& c, const Train& train, const ReleaseFacts& f, const Step& step,
                 Instant now, bool naive) {
  return ComputePlan(c, train, FactsIndex(f, naive), step, now);
}

Plan ComputePlan(const Config& c, const Train& train, const FactsIndex& ix, const Step& step,
                 Instant now) {
  const ReleaseFacts& f = ix.facts();
  Plan plan;
  plan.release_id = f.release.id;
  plan.step = step.name;
  plan.candidate = ReleaseCandidate(f);
  bool standard = f.release.kind == ReleaseKind::kStandard;
  bool higher = step.name != "lower";
  bool lower_started = LowerStarted(c, f);
  Instant deadline = train.When(MilestoneId::kOptDeadline);
  for (const auto& s : c.services) {
    Decision d;
    d.service = s.name;
    d.team = s.team;
    d.commit = CandidateCommit(ix, s.name, plan.candidate);
    std::optional<Refusal> refusal = CancelHold(ix, s.name);
    if (refusal) {
    } else if (standard) {
      switch (EffectiveOpt(c, ix, s.name, deadline, now)) {
        case OptStatus::kIn:
          break;
        case OptStatus::kOut:
          refusal = Refusal{kOptedOut, "team " + s.team + " opted out"};
          break;
        case OptStatus::kPending:
          refusal = Refusal{kNoResponse, "no answer yet; the deadline is " + FormatUtc(deadline)};
          break;
        case OptStatus::kNoResponse:
          refusal = Refusal{kNoResponse, "no answer by the deadline counts as opted out"};
          break;
      }
      if (refusal && ix.SignatureDue(s.name)) {
        refusal.reset();
        d.detail = "pulled in: its running signature is due for refresh";
      }
    } else if (std::find(f.release.requested_services.begin(), f.release.requested_services.end(),
                         s.name) == f.release.requested_services.end()) {
      refusal = Refusal{kNotRequested, "not named in the request"};
    }
    if (!refusal) refusal = RollbackHold(ix, s.name);
    if (!refusal) {
      // develop's head is checked once, before the lower deploy; from then on the release
      // promotes what it validated. A hotfix or request names its own commit.
      bool latest = standard && !higher && !lower_started && !LastSwap(ix, s.name);
      refusal = CheckEvidence(c, ix, s.name, d.commit, latest, now);
    }
    if (!refusal && higher) refusal = CheckHigher(c, train, ix, s, d.commit, step, standard, now);
    if (!d.commit.empty()) d.tag = d.commit.substr(0, static_cast<size_t>(c.tag_length));
    if (const EvidenceImage* img = FindImage(ix, s.name, d.commit)) {
      d.commit = img->commit;
      d.ref = img->ref;
      d.digest = img->digest;
      d.signed_at = img->signed_at;
      d.tag = DeployedValue(c, *img, d.tag);
    }
    if (refusal) {
      d.deploy = false;
      d.reason = std::move(refusal->reason);
      d.detail = std::move(refusal->detail);
    } else {
      d.deploy = true;
      d.environments = step.environments;
    }
    plan.decisions.push_back(std::move(d));
  }
  return plan;
}

}  // namespace captain
