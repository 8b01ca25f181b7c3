// Signature age: deployed images expire `signature.max_age_days` after signing, so every
// service must be redeployed before then. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/calendar.h"
#include "core/model.h"

namespace captain {

// What a captain needs to know of a running image's signature, judged against the next train
// (the first whose prod deploy is still ahead) and the one after it:
//   ok       still valid at the prod deploy of the train after next: the next train may skip it
//   due      valid at the next train's prod deploy but not at the following one's: it must ship
//            in the next train (`must_ship_in`); a standard release pulls it in
//   warn     expires before the next train's prod deploy, or within signature.warn_days: only
//            an ad-hoc or emergency deploy refreshes it in time
//   expired  already expired
//   unknown  nothing captain deployed runs there
enum class SignatureStatus { kOk, kWarn, kDue, kExpired, kUnknown };
std::string_view SignatureStatusName(SignatureStatus s);

struct SignatureAge {
  std::string service;
  std::string env;
  std::string tag;
  std::optional<Instant> signed_at;
  std::optional<Instant> expires_at;
  long days_left = 0;  // whole days until expiry (negative: past it)
  SignatureStatus status = SignatureStatus::kUnknown;
  std::string must_ship_in;  // due: the next train's release id; warn/expired: "adhoc"
};

// The latest deployment of each (service, environment) among `deployments`.
std::vector<Deployment> Running(const std::vector<Deployment>& deployments);

// One row per configured service and environment, judged against train `next` and the one
// after it (`following`).
std::vector<SignatureAge> SignatureAges(const Config& c, const std::vector<Deployment>& running,
                                        Instant now, const Train& next, const Train& following);

// Fills `a`'s expiry, days left, status and must_ship_in for a signature made at `signed_at`:
// the one rule behind both functions here.
void JudgeSignature(const Config& c, Instant signed_at, Instant now, const Train& next,
                    const Train& following, SignatureAge& a);

// The same services from each service's oldest running signature (`oldest`: service and its
// earliest signed_at in any environment); a status only grows more urgent as expiry nears,
// so the oldest decides.
std::vector<std::string> DueServices(const Config& c,
                                     const std::vector<std::pair<std::string, Instant>>& oldest,
                                     Instant now, const Train& next, const Train& following);

}  // namespace captain
