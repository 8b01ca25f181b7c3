// Requests from Slack (buttons, slash commands) carry X-Slack-Signature: "v0=" and the hex
// HMAC-SHA256, keyed with the app's signing secret, of "v0:{X-Slack-Request-Timestamp}:{body}".
#pragma once

#include <string>

#include "core/timefmt.h"
#include "util/result.h"

namespace captain {

// The signature Slack would send for this timestamp and body.
std::string SlackSignature(const std::string& secret, const std::string& timestamp,
                           const std::string& body);
// Accepts the request only when both headers are present, the timestamp is within five
// minutes of `now` (either way), and the signature matches (compared in constant time).
Status VerifySlackRequest(const std::string& secret, const std::string& timestamp,
                          const std::string& signature, const std::string& body, Instant now);

}  // namespace captain
