#include "core/facts_index.h"

#include <algorithm>

namespace captain {
namespace {

bool Earlier(const Deployment* a, const Deployment* b) {
  return a->at != b->at ? a->at < b->at : a->id < b->id;
}

template <typename T, typename Pred>
std::vector<const T*> Filter(const std::vector<T>& all, Pred keep) {
  std::vector<const T*> out;
  for (const auto& x : all) {
    if (keep(x)) out.push_back(&x);
  }
  return out;
}

template <typename Map, typename Key>
auto Lookup(const Map& m, const Key& k) -> typename Map::mapped_type {
  auto it = m.find(k);
  return it == m.end() ? typename Map::mapped_type{} : it->second;
}

}  // namespace

FactsIndex::FactsIndex(const ReleaseFacts& f, bool naive) : f_(f), naive_(naive) {
  if (naive_) return;
  for (const auto& d : f.deployments) {
    deployments_[{d.service, d.env}].push_back(&d);
    deployments_of_[d.service].push_back(&d);
  }
  for (auto& [place, list] : deployments_) std::stable_sort(list.begin(), list.end(), Earlier);
  for (auto& [service, list] : deployments_of_) std::stable_sort(list.begin(), list.end(), Earlier);
  for (const auto& s : f.signoffs) signoffs_[s.team].push_back(&s);
  for (const auto& e : f.evidence) images_[e.service].push_back(&e);
  for (const auto& o : f.opts) opts_[o.team].push_back(&o);
  for (const auto& d : f.defects) defects_[d.service].push_back(&d);
  for (const auto& h : f.health) health_[{h.service, h.env}].push_back(&h);
  for (const auto& s : f.swaps) swaps_[s.service].push_back(&s);
  for (const auto& o : f.overrides) overrides_[o.service].push_back(&o);
  for (const auto& c : f.cancels) cancels_[c.service].push_back(&c);
  due_.insert(f.signature_due.begin(), f.signature_due.end());
  for (const auto& c : f.registry_checks) checks_[{c.service, c.ref}] = &c;  // oldest first
}

const RegistryCheck* FactsIndex::LatestCheck(const EvidenceImage& img) const {
  if (!naive_) {
    auto it = checks_.find(Place{img.service, img.ref});
    return it == checks_.end() ? nullptr : it->second;
  }
  const RegistryCheck* latest = nullptr;
  for (const auto& c : f_.registry_checks) {
    if (c.service == img.service && c.ref == img.ref) latest = &c;
  }
  return latest;
}

std::vector<const Deployment*> FactsIndex::Deployments(const std::string& service,
                                                       const std::string& env) const {
  if (!naive_) return Lookup(deployments_, Place{service, env});
  auto out = Filter(f_.deployments,
                    [&](const Deployment& d) { return d.service == service && d.env == env; });
  std::stable_sort(out.begin(), out.end(), Earlier);
  return out;
}

std::vector<const Deployment*> FactsIndex::DeploymentsOf(const std::string& service) const {
  if (!naive_) return Lookup(deployments_of_, service);
  auto out = Filter(f_.deployments, [&](const Deployment& d) { return d.service == service; });
  std::stable_sort(out.begin(), out.end(), Earlier);
  return out;
}

std::vector<const SignOff*> FactsIndex::SignOffsOf(const std::string& team) const {
  if (!naive_) return Lookup(signoffs_, team);
  return Filter(f_.signoffs, [&](const SignOff& s) { return s.team == team; });
}

std::vector<const EvidenceImage*> FactsIndex::ImagesOf(const std::string& service) const {
  if (!naive_) return Lookup(images_, service);
  return Filter(f_.evidence, [&](const EvidenceImage& e) { return e.service == service; });
}

std::vector<const OptRecord*> FactsIndex::OptsOf(const std::string& team) const {
  if (!naive_) return Lookup(opts_, team);
  return Filter(f_.opts, [&](const OptRecord& o) { return o.team == team; });
}

std::vector<const Defect*> FactsIndex::DefectsOf(const std::string& service) const {
  if (!naive_) return Lookup(defects_, service);
  return Filter(f_.defects, [&](const Defect& d) { return d.service == service; });
}

std::vector<const HealthRecord*> FactsIndex::HealthOf(const std::string& service,
                                                      const std::string& env) const {
  if (!naive_) return Lookup(health_, Place{service, env});
  return Filter(f_.health,
                [&](const HealthRecord& h) { return h.service == service && h.env == env; });
}

std::vector<const CandidateSwap*> FactsIndex::SwapsOf(const std::string& service) const {
  if (!naive_) return Lookup(swaps_, service);
  return Filter(f_.swaps, [&](const CandidateSwap& s) { return s.service == service; });
}

std::vector<const GateOverride*> FactsIndex::OverridesOf(const std::string& service) const {
  if (!naive_) return Lookup(overrides_, service);
  return Filter(f_.overrides, [&](const GateOverride& o) { return o.service == service; });
}

std::vector<const ServiceCancel*> FactsIndex::CancelsOf(const std::string& service) const {
  if (!naive_) return Lookup(cancels_, service);
  return Filter(f_.cancels, [&](const ServiceCancel& c) { return c.service == service; });
}

bool FactsIndex::SignatureDue(const std::string& service) const {
  if (!naive_) return due_.count(service) > 0;
  return std::find(f_.signature_due.begin(), f_.signature_due.end(), service) !=
         f_.signature_due.end();
}

}  // namespace captain
