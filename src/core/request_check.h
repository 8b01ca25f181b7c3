// Verification of an ad-hoc or emergency request: the commit must have passed its scans, be
// signed, and have been deployed to and signed off in the lower regions. Pure.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/model.h"
#include "util/result.h"

namespace captain {

// Every unmet condition, one line each ("vro-cc-app: scan vulnerable in run 42"); empty
// when the request may be scheduled. `history` holds evidence, deployments and sign-offs of
// every release.
std::vector<std::string> VerifyRequest(const Config& c, const ReleaseFacts& history,
                                       const std::string& commit,
                                       const std::vector<std::string>& services, Instant now);

// Changelog text must be non-empty, printable, and at most 4000 bytes.
Status CheckChangelog(const std::string& text);

}  // namespace captain
