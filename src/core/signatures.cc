#include "core/signatures.h"

#include <map>
#include <set>
#include <string_view>

namespace captain {

std::string_view SignatureStatusName(SignatureStatus s) {
  switch (s) {
    case SignatureStatus::kOk:
      return "ok";
    case SignatureStatus::kWarn:
      return "warn";
    case SignatureStatus::kDue:
      return "due";
    case SignatureStatus::kExpired:
      return "expired";
    case SignatureStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::vector<Deployment> Running(const std::vector<Deployment>& deployments) {
  std::map<std::pair<std::string, std::string>, Deployment> latest;
  for (const auto& d : deployments) {
    auto key = std::make_pair(d.service, d.env);
    auto it = latest.find(key);
    if (it == latest.end() || d.at > it->second.at ||
        (d.at == it->second.at && d.id > it->second.id)) {
      latest[key] = d;
    }
  }
  std::vector<Deployment> out;
  for (auto& [k, d] : latest) out.push_back(d);
  return out;
}

void JudgeSignature(const Config& c, Instant signed_at, Instant now, const Train& next,
                    const Train& following, SignatureAge& a) {
  a.expires_at = signed_at + std::chrono::hours{24 * c.signature.max_age_days};
  auto left = std::chrono::floor<std::chrono::hours>(*a.expires_at - now).count();
  a.days_left = left >= 0 ? left / 24 : -((-left + 23) / 24);
  if (*a.expires_at <= now) {
    a.status = SignatureStatus::kExpired;
  } else if (*a.expires_at <= next.When(MilestoneId::kHigherDeploy) ||
             a.days_left <= c.signature.warn_days) {
    a.status = SignatureStatus::kWarn;
  } else if (*a.expires_at <= following.When(MilestoneId::kHigherDeploy)) {
    a.status = SignatureStatus::kDue;
  } else {
    a.status = SignatureStatus::kOk;
  }
  a.must_ship_in.clear();
  if (a.status == SignatureStatus::kDue) a.must_ship_in = FormatDate(next.release_day);
  if (a.status == SignatureStatus::kWarn || a.status == SignatureStatus::kExpired) {
    a.must_ship_in = "adhoc";
  }
}

std::vector<std::string> DueServices(const Config& c,
                                     const std::vector<std::pair<std::string, Instant>>& oldest,
                                     Instant now, const Train& next, const Train& following) {
  std::vector<std::string> out;
  for (const auto& [service, signed_at] : oldest) {
    SignatureAge a;
    JudgeSignature(c, signed_at, now, next, following, a);
    if (a.status != SignatureStatus::kOk) out.push_back(service);
  }
  return out;
}

std::vector<SignatureAge> SignatureAges(const Config& c, const std::vector<Deployment>& running,
                                        Instant now, const Train& next, const Train& following) {
  std::map<std::pair<std::string_view, std::string_view>, const Deployment*> by_place;
  for (const auto& d : running) by_place[{d.service, d.env}] = &d;
  std::vector<SignatureAge> out;
  out.reserve(c.services.size() * c.environments.size());
  for (const auto& s : c.services) {
    for (const auto& e : c.environments) {
      SignatureAge a;
      a.service = s.name;
      a.env = e.name;
      if (auto it = by_place.find({s.name, e.name}); it != by_place.end()) {
        a.tag = it->second->new_tag;
        a.signed_at = it->second->signed_at;
      }
      if (a.signed_at) JudgeSignature(c, *a.signed_at, now, next, following, a);
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace captain
