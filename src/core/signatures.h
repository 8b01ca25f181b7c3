// Signature age: deployed images expire `signature.max_age_days` after signing, so every
// service must be redeployed before then. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/calendar.h"
#include "core/model.h"

namespace captain {

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
};

// The latest deployment of each (service, environment) among `deployments`.
std::vector<Deployment> Running(const std::vector<Deployment>& deployments);

// One row per configured service and environment. `next_deploy` is when the next train
// deploys: an image that expires before the train after it is due for the next one.
std::vector<SignatureAge> SignatureAges(const Config& c, const std::vector<Deployment>& running,
                                        Instant now, Instant next_deploy, Instant following_deploy);

// True if some environment runs `service` with a signature due or expired.
bool SignatureDue(const std::vector<SignatureAge>& ages, const std::string& service);

}  // namespace captain
