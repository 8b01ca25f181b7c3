#include "core/request_check.h"

#include <algorithm>

#include "core/plan.h"

namespace captain {

std::vector<std::string> VerifyRequest(const Config& c, const ReleaseFacts& history,
                                       const std::string& commit,
                                       const std::vector<std::string>& services, Instant now) {
  std::vector<std::string> unmet;
  std::vector<std::string> lower;
  for (const auto& e : c.environments) {
    if (e.tier == Tier::kLower) lower.push_back(e.name);
  }
  for (const auto& name : services) {
    const Service* s = c.FindService(name);
    if (!s) {
      unmet.push_back(name + ": not a configured service");
      continue;
    }
    if (auto r = CheckEvidence(c, history, name, commit, /*require_latest=*/false, now)) {
      unmet.push_back(name + ": " + r->reason + ": " + r->detail);
    }
    // Deployed with this commit to every lower region, and signed off there afterwards.
    std::optional<Instant> last_deploy;
    for (const auto& env : lower) {
      const Deployment* deployed = nullptr;
      for (const auto& d : history.deployments) {
        if (d.service == name && d.env == env && !d.commit.empty() &&
            (d.commit.compare(0, commit.size(), commit) == 0 ||
             commit.compare(0, d.commit.size(), d.commit) == 0)) {
          if (!deployed || d.at < deployed->at) deployed = &d;
        }
      }
      if (!deployed) {
        unmet.push_back(name + ": not-validated: never deployed to " + env + " with this commit");
      } else if (!last_deploy || deployed->at > *last_deploy) {
        last_deploy = deployed->at;
      }
    }
    if (!last_deploy) continue;
    bool signed_off = false;
    for (const auto& so : history.signoffs) {
      bool lower_env = std::find(lower.begin(), lower.end(), so.env) != lower.end();
      signed_off = signed_off || (so.team == s->team && lower_env && so.at >= *last_deploy);
    }
    if (!signed_off) {
      unmet.push_back(name + ": not-validated: team " + s->team +
                      " has not signed off lower-region validation since it was deployed");
    }
  }
  return unmet;
}

Status CheckChangelog(const std::string& text) {
  if (text.find_first_not_of(" \t\n") == std::string::npos) {
    return UsageError("--changelog: a changelog summary is required");
  }
  if (text.size() > 4000) return UsageError("--changelog: at most 4000 bytes");
  for (unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
      return UsageError("--changelog: control characters are not allowed");
    }
  }
  return {};
}

}  // namespace captain
