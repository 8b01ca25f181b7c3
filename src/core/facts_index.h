// The facts of a release, indexed once by service, team and environment, so the rules look
// up what they need instead of scanning every record for every service. Pure.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"

namespace captain {

class FactsIndex {
 public:
  // `naive`: answer every lookup by scanning the records, as the rules once did (tests
  // compare the two).
  explicit FactsIndex(const ReleaseFacts& f, bool naive = false);

  const ReleaseFacts& facts() const { return f_; }

  // Each list in record order; deployments sorted by (at, id).
  std::vector<const Deployment*> Deployments(const std::string& service,
                                             const std::string& env) const;
  std::vector<const Deployment*> DeploymentsOf(const std::string& service) const;
  std::vector<const SignOff*> SignOffsOf(const std::string& team) const;
  std::vector<const EvidenceImage*> ImagesOf(const std::string& service) const;
  std::vector<const OptRecord*> OptsOf(const std::string& team) const;
  std::vector<const Defect*> DefectsOf(const std::string& service) const;
  std::vector<const HealthRecord*> HealthOf(const std::string& service,
                                            const std::string& env) const;
  std::vector<const CandidateSwap*> SwapsOf(const std::string& service) const;
  std::vector<const GateOverride*> OverridesOf(const std::string& service) const;
  std::vector<const ServiceCancel*> CancelsOf(const std::string& service) const;
  bool SignatureDue(const std::string& service) const;
  // The registry's latest check of `img` (its service and ref), or nullptr.
  const RegistryCheck* LatestCheck(const EvidenceImage& img) const;

 private:
  template <typename T>
  using ByKey = std::map<std::string, std::vector<const T*>, std::less<>>;
  using Place = std::pair<std::string, std::string>;

  const ReleaseFacts& f_;
  bool naive_;
  std::map<Place, std::vector<const Deployment*>> deployments_;
  ByKey<Deployment> deployments_of_;
  ByKey<SignOff> signoffs_;
  ByKey<EvidenceImage> images_;
  ByKey<OptRecord> opts_;
  ByKey<Defect> defects_;
  std::map<Place, std::vector<const HealthRecord*>> health_;
  ByKey<CandidateSwap> swaps_;
  ByKey<GateOverride> overrides_;
  ByKey<ServiceCancel> cancels_;
  std::set<std::string, std::less<>> due_;
  std::map<Place, const RegistryCheck*> checks_;  // the latest of each (service, ref)
};

}  // namespace captain
