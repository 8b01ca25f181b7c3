#include "core/request_check.h"

#include <algorithm>

#include "core/plan.h"
#include "core/validation.h"
#include "util/text.h"

namespace captain {

std::vector<std::string> VerifyRequest(const Config& c, const ReleaseFacts& history,
                                       const std::string& commit,
                                       const std::vector<std::string>& services, Instant now) {
  std::vector<std::string> unmet;
  FactsIndex ix(history);
  for (const auto& name : services) {
    const Service* s = c.FindService(name);
    if (!s) {
      unmet.push_back(name + ": not a configured service");
      continue;
    }
    if (auto r = CheckEvidence(c, ix, name, commit, /*require_latest=*/false, now)) {
      unmet.push_back(name + ": " + r->reason + ": " + r->detail);
    }
    // Deployed with this commit to every lower region, and signed off there while it ran.
    bool everywhere = true;
    for (const auto& env : c.LowerEnvironments()) {
      auto ran = ix.Deployments(name, env);
      bool deployed = std::any_of(ran.begin(), ran.end(), [&](const Deployment* d) {
        return !d->rollback && SameCommit(d->commit, commit);
      });
      if (!deployed) {
        unmet.push_back(name + ": not-validated: never deployed to " + env + " with this commit");
        everywhere = false;
      }
    }
    if (everywhere && !LowerValidated(c, ix, s->team, name, commit)) {
      unmet.push_back(name + ": not-validated: team " + s->team +
                      " has not signed off lower-region validation while this commit ran there");
    }
  }
  return unmet;
}

Status CheckChangelog(const std::string& text) {
  if (text.find_first_not_of(" \t\n") == std::string::npos) {
    return FieldError("changelog", "a changelog summary is required");
  }
  if (text.size() > 4000) return FieldError("changelog", "at most 4000 bytes");
  if (!IsUtf8(text)) return FieldError("changelog", "not valid UTF-8");
  for (unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f) {
      return FieldError("changelog", "control characters are not allowed");
    }
  }
  return {};
}

}  // namespace captain
