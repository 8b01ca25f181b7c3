#include "core/plan.h"

#include <algorithm>

namespace captain {
namespace {

bool CommitMatches(const std::string& full, const std::string& given) {
  return !given.empty() && full.compare(0, given.size(), given) == 0;
}

std::string Days(std::chrono::seconds s) {
  return std::to_string(std::chrono::duration_cast<std::chrono::hours>(s).count() / 24);
}

// Time a service's candidate last changed (a hotfix), if ever.
std::optional<Instant> SwappedAt(const ReleaseFacts& f, const std::string& service) {
  std::optional<Instant> at;
  for (const auto& s : f.swaps) {
    if (s.service == service && (!at || s.at > *at)) at = s.at;
  }
  return at;
}

// A sign-off by `team` in one of `envs`, given after the service's last hotfix.
bool SignedOff(const ReleaseFacts& f, const std::string& team, const std::string& service,
               const std::vector<std::string>& envs) {
  auto swapped = SwappedAt(f, service);
  for (const auto& s : f.signoffs) {
    if (s.team != team) continue;
    if (std::find(envs.begin(), envs.end(), s.env) == envs.end()) continue;
    if (swapped && s.at <= *swapped) continue;
    return true;
  }
  return false;
}

// Deployed (in this release, with its current candidate) to every one of `envs`.
bool DeployedTo(const ReleaseFacts& f, const std::string& service, const std::string& commit,
                const std::vector<std::string>& envs) {
  for (const auto& env : envs) {
    bool found = false;
    for (const auto& d : f.deployments) {
      found = found || (d.service == service && d.env == env && CommitMatches(d.commit, commit));
    }
    if (!found) return false;
  }
  return true;
}

// `check_lower`: a request was verified against lower-region validation when it was made,
// so only a standard release checks it here.
std::optional<Refusal> CheckHigher(const Config& c, const ReleaseFacts& f, const Service& s,
                                   const std::string& commit, const Step& step, bool check_lower) {
  for (const auto& d : f.defects) {
    if (d.service == s.name && d.open()) {
      return Refusal{kOpenDefect, "defect #" + std::to_string(d.id) + " is open: " + d.title};
    }
  }
  std::vector<std::string> lower;
  for (const auto& e : c.environments) {
    if (e.tier == Tier::kLower) lower.push_back(e.name);
  }
  if (check_lower && !DeployedTo(f, s.name, commit, lower)) {
    return Refusal{kNotValidated, "not deployed to every lower environment with this commit"};
  }
  if (check_lower && !SignedOff(f, s.team, s.name, lower)) {
    return Refusal{kNotValidated, "team " + s.team + " has not signed off lower validation"};
  }
  // Each higher environment follows the one before it only once that one is healthy and
  // signed off.
  const Environment* previous = nullptr;
  for (const auto& e : c.environments) {
    if (e.name == step.name) break;
    if (e.tier == Tier::kHigher) previous = &e;
  }
  if (!previous) return std::nullopt;
  if (!DeployedTo(f, s.name, commit, {previous->name})) {
    return Refusal{kNotValidated, "not deployed to " + previous->name + " yet"};
  }
  std::optional<HealthRecord> latest;
  for (const auto& h : f.health) {
    if (h.service == s.name && h.env == previous->name && (!latest || h.at >= latest->at)) {
      latest = h;
    }
  }
  if (latest && !latest->healthy) {
    return Refusal{kUnhealthy,
                   "unhealthy in " + previous->name + " since " + FormatUtc(latest->at)};
  }
  if (!SignedOff(f, s.team, s.name, {previous->name})) {
    return Refusal{kNotValidated, "team " + s.team + " has not signed off " + previous->name};
  }
  return std::nullopt;
}

}  // namespace

std::string TagOf(const std::string& ref, const std::string& fallback) {
  auto slash = ref.rfind('/');
  auto colon = ref.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return fallback;
  auto at = ref.find('@', colon);
  return ref.substr(colon + 1, at == std::string::npos ? std::string::npos : at - colon - 1);
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

OptStatus EffectiveOpt(const Config& c, const ReleaseFacts& f, const std::string& service,
                       Instant opt_deadline, Instant now) {
  const Service* s = c.FindService(service);
  if (!s) return OptStatus::kOut;
  const Team* t = c.FindTeam(s->team);
  if (t && t->platform) return OptStatus::kIn;
  const OptRecord* latest = nullptr;
  for (const auto& o : f.opts) {
    if (o.team != s->team || !(o.service.empty() || o.service == service)) continue;
    if (o.at > opt_deadline && o.late_reason.empty()) continue;
    // The latest answer wins; at the same moment a per-service answer beats a team-wide one.
    if (!latest || o.at > latest->at || (o.at == latest->at && !o.service.empty())) latest = &o;
  }
  if (latest) return latest->answer == OptAnswer::kIn ? OptStatus::kIn : OptStatus::kOut;
  return now < opt_deadline ? OptStatus::kPending : OptStatus::kNoResponse;
}

Status CheckOptAnswer(const date::time_zone* tz, Instant opt_deadline, Instant now,
                      const std::string& late_reason) {
  if (now <= opt_deadline || !late_reason.empty()) return {};
  return PolicyError("the opt-in deadline passed at " + FormatLocal(opt_deadline, tz) +
                     "; a captain may accept a late answer with --late-reason");
}

std::string ReleaseCandidate(const ReleaseFacts& f) {
  if (!f.release.candidate_commit.empty()) return f.release.candidate_commit;
  if (!f.develop) return "";
  for (const auto& e : f.evidence) {
    if (CommitMatches(e.commit, f.develop->commit) || CommitMatches(f.develop->commit, e.commit)) {
      return e.commit;
    }
  }
  return "";
}

std::string CandidateCommit(const ReleaseFacts& f, const std::string& service) {
  const CandidateSwap* latest = nullptr;
  for (const auto& s : f.swaps) {
    if (s.service == service && (!latest || s.at >= latest->at)) latest = &s;
  }
  return latest ? latest->commit : ReleaseCandidate(f);
}

const EvidenceImage* FindImage(const ReleaseFacts& f, const std::string& service,
                               const std::string& commit) {
  const EvidenceImage* best = nullptr;
  for (const auto& e : f.evidence) {
    if (e.service != service || !CommitMatches(e.commit, commit)) continue;
    if (!best || e.finished_at > best->finished_at) best = &e;  // the newest run wins
  }
  return best;
}

std::optional<Refusal> CheckEvidence(const Config& c, const ReleaseFacts& f,
                                     const std::string& service, const std::string& commit,
                                     bool require_latest, Instant now) {
  if (commit.empty())
    return Refusal{kNoImage, "no candidate commit (no evidence for develop's head)"};
  const EvidenceImage* img = FindImage(f, service, commit);
  if (!img) return Refusal{kNoImage, "no image built from " + commit.substr(0, 12)};
  if (img->scan == ScanResult::kGateError) {
    bool overridden = false;
    for (const auto& o : f.overrides) overridden = overridden || o.service == service;
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
  if (require_latest && f.develop && !CommitMatches(img->commit, f.develop->commit) &&
      !CommitMatches(f.develop->commit, img->commit)) {
    return Refusal{kStaleBuild, "develop moved to " + f.develop->commit.substr(0, 12) +
                                    " since the scan of " + img->commit.substr(0, 12)};
  }
  return std::nullopt;
}

Plan ComputePlan(const Config& c, const Train& train, const ReleaseFacts& f, const Step& step,
                 Instant now) {
  Plan plan;
  plan.release_id = f.release.id;
  plan.step = step.name;
  plan.candidate = ReleaseCandidate(f);
  bool standard = f.release.kind == ReleaseKind::kStandard;
  bool higher = step.name != "lower";
  Instant deadline = train.When(MilestoneId::kOptDeadline);
  for (const auto& s : c.services) {
    Decision d;
    d.service = s.name;
    d.team = s.team;
    d.commit = CandidateCommit(f, s.name);
    auto skip = [&](std::string reason, std::string detail) {
      d.deploy = false;
      d.reason = std::move(reason);
      d.detail = std::move(detail);
    };
    std::optional<Refusal> refusal;
    if (standard) {
      switch (EffectiveOpt(c, f, s.name, deadline, now)) {
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
      bool due = std::find(f.signature_due.begin(), f.signature_due.end(), s.name) !=
                 f.signature_due.end();
      if (refusal && due) {
        refusal.reset();
        d.detail = "pulled in: its running signature is due for refresh";
      }
    } else if (std::find(f.release.requested_services.begin(), f.release.requested_services.end(),
                         s.name) == f.release.requested_services.end()) {
      refusal = Refusal{kNotRequested, "not named in the request"};
    }
    if (!refusal) {
      // A standard release ships develop's head; a hotfix or request names its own commit.
      bool latest = standard && !SwappedAt(f, s.name);
      refusal = CheckEvidence(c, f, s.name, d.commit, latest, now);
    }
    if (!refusal && higher) refusal = CheckHigher(c, f, s, d.commit, step, standard);
    if (!d.commit.empty()) d.tag = d.commit.substr(0, static_cast<size_t>(c.tag_length));
    if (const EvidenceImage* img = FindImage(f, s.name, d.commit)) {
      d.commit = img->commit;
      d.ref = img->ref;
      d.digest = img->digest;
      d.tag = TagOf(img->ref, d.tag);
    }
    if (refusal) {
      skip(refusal->reason, refusal->detail);
    } else {
      d.deploy = true;
      d.environments = step.environments;
    }
    plan.decisions.push_back(std::move(d));
  }
  return plan;
}

}  // namespace captain
