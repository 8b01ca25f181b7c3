// Who is calling the API, and what their roles let them do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace captain {

// Lowercase hex SHA-256 of `text`.
std::string Sha256Hex(const std::string& text);
// Whether `given` equals `secret`, in time that does not depend on where they differ.
bool SameSecret(const std::string& given, const std::string& secret);
// A fresh random token ("cpt_" and 43 URL-safe base64 characters: 256 bits).
std::string NewToken();

struct Caller {
  std::string name;  // the audit actor
  std::vector<std::string> roles;
  bool HasRole(const std::string& role) const;
  bool IsCaptain() const { return HasRole("captain"); }
  // The teams this caller acts for (team:<id> roles).
  std::vector<std::string> Teams() const;
};

// The token of an `Authorization: Bearer <token>` header value; nullopt when malformed.
std::optional<std::string> BearerToken(const std::string& header);
// The caller holding `token`: compared against every configured hash in constant time.
std::optional<Caller> Authenticate(const std::vector<ApiToken>& tokens, const std::string& token);

// What a route needs.
enum class Access {
  kRead,     // any token (or none with server.public_reads)
  kCaptain,  // the captain role
  kTeam,     // a captain, or a team:<id> role for every service the request touches
  kEvidence  // a captain or the ci role
};

}  // namespace captain
