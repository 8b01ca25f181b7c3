// The indexed lookups give the plan the old scans gave: random release histories, every step,
// compared decision by decision.
#include "core/facts_index.h"

#include <gtest/gtest.h>

#include <random>

#include "config/loader.h"
#include "core/plan.h"

namespace captain {
namespace {

class RandomHistory {
 public:
  RandomHistory(const Config& c, uint32_t seed) : c_(c), rng_(seed) {}

  ReleaseFacts Make(const Train& train) {
    ReleaseFacts f;
    f.release.id = FormatDate(train.release_day);
    f.release.release_day = train.release_day;
    Instant t0 = train.When(MilestoneId::kAnnounce);
    auto at = [&] { return t0 + std::chrono::minutes(Pick(0, 3 * 24 * 60)); };
    std::vector<std::string> commits = {Hex(), Hex(), Hex()};
    for (int run = 0; run < 3; ++run) {
      Instant finished = t0 - std::chrono::hours(Pick(1, 48));
      for (const auto& s : c_.services) {
        if (Pick(0, 5) == 0) continue;
        EvidenceImage e;
        e.run_id = "run-" + std::to_string(run);
        e.commit = commits[run];
        e.finished_at = finished;
        e.service = s.name;
        e.ref = s.image + ":" + e.commit.substr(0, 7);
        e.scan = static_cast<ScanResult>(Pick(0, 3) == 0 ? Pick(0, 3) : 0);
        e.is_signed = Pick(0, 6) != 0;
        if (e.is_signed) e.signed_at = finished - std::chrono::hours(Pick(0, 24 * 40));
        f.evidence.push_back(e);
      }
    }
    if (Pick(0, 4)) f.develop = DevelopHead{commits[Pick(0, 2)], t0};
    if (Pick(0, 3) == 0) f.release.candidate_commit = commits[Pick(0, 2)];
    for (const auto& t : c_.teams) {
      for (int i = Pick(0, 2); i > 0; --i) {
        OptRecord o{t.name, "", Pick(0, 1) ? OptAnswer::kIn : OptAnswer::kOut, "x", at(), ""};
        if (Pick(0, 2) == 0) o.service = c_.services[Pick(0, c_.services.size() - 1)].name;
        if (Pick(0, 4) == 0) o.late_reason = "late";
        f.opts.push_back(o);
      }
      for (int i = Pick(0, 3); i > 0; --i) {
        f.signoffs.push_back({t.name, c_.environments[Pick(0, 4)].name, "x", at()});
      }
    }
    int64_t id = 0;
    for (int i = Pick(0, 60); i > 0; --i) {
      Deployment d;
      d.id = ++id;
      d.release_id = f.release.id;
      d.service = c_.services[Pick(0, c_.services.size() - 1)].name;
      d.env = c_.environments[Pick(0, 4)].name;
      d.commit = commits[Pick(0, 2)];
      d.new_tag = d.commit.substr(0, 7);
      d.at = at();
      d.rollback = Pick(0, 8) == 0;
      f.deployments.push_back(d);
    }
    for (int i = Pick(0, 3); i > 0; --i) {
      Defect d;
      d.id = i;
      d.service = c_.services[Pick(0, c_.services.size() - 1)].name;
      d.title = "t";
      d.opened_at = at();
      if (Pick(0, 1)) d.resolved_at = d.opened_at + std::chrono::hours(Pick(1, 30));
      f.defects.push_back(d);
    }
    for (int i = Pick(0, 8); i > 0; --i) {
      f.health.push_back({c_.environments[Pick(3, 4)].name,
                          c_.services[Pick(0, c_.services.size() - 1)].name, Pick(0, 2) != 0,
                          at()});
    }
    for (int i = Pick(0, 2); i > 0; --i) {
      f.swaps.push_back(
          {c_.services[Pick(0, c_.services.size() - 1)].name, commits[Pick(0, 2)], "x", at()});
    }
    for (int i = Pick(0, 2); i > 0; --i) {
      f.overrides.push_back({c_.services[Pick(0, c_.services.size() - 1)].name, "r", "x", at(),
                             Pick(0, 1) ? kOverrideGate : kOverrideCutoff});
    }
    if (Pick(0, 5) == 0) f.cancels.push_back({c_.services[Pick(0, 9)].name, "r", "x", at()});
    for (const auto& s : c_.services) {
      if (Pick(0, 4) == 0) f.signature_due.push_back(s.name);
    }
    return f;
  }
  size_t Pick(size_t lo, size_t hi) { return std::uniform_int_distribution<size_t>(lo, hi)(rng_); }

 private:
  std::string Hex() {
    std::string h;
    for (int i = 0; i < 40; ++i) h += "0123456789abcdef"[Pick(0, 15)];
    return h;
  }
  const Config& c_;
  std::mt19937 rng_;
};

TEST(FactsIndexTest, IndexedPlanEqualsThePlanFromScans) {
  auto config = LoadConfig(std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/captain.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  Train train =
      ComputeTrain(config->calendar, SprintIndexOfDate(config->calendar, *ParseDate("2026-12-01")));
  size_t compared = 0, deployed = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    RandomHistory gen(*config, seed);
    ReleaseFacts f = gen.Make(train);
    Instant now =
        train.When(MilestoneId::kAnnounce) + std::chrono::minutes(gen.Pick(0, 4 * 24 * 60));
    for (const auto& step : StepsOf(*config)) {
      Plan fast = ComputePlan(*config, train, f, step, now);
      Plan slow = ComputePlan(*config, train, f, step, now, /*naive=*/true);
      ASSERT_EQ(fast.decisions.size(), slow.decisions.size());
      EXPECT_EQ(fast.candidate, slow.candidate);
      for (size_t i = 0; i < fast.decisions.size(); ++i) {
        const Decision& a = fast.decisions[i];
        const Decision& b = slow.decisions[i];
        ASSERT_EQ(a.service, b.service);
        EXPECT_EQ(a.deploy, b.deploy) << "seed " << seed << " " << a.service << " " << step.name;
        EXPECT_EQ(a.reason, b.reason) << "seed " << seed << " " << a.service;
        EXPECT_EQ(a.detail, b.detail) << "seed " << seed << " " << a.service;
        EXPECT_EQ(a.commit, b.commit);
        EXPECT_EQ(a.tag, b.tag);
        ++compared;
        deployed += a.deploy;
      }
    }
  }
  // The histories reach both outcomes, so the comparison means something.
  EXPECT_EQ(compared, 300u * 10 * 3);  // lower, prod-test, prod
  EXPECT_GT(deployed, 100u);
  EXPECT_LT(deployed, compared / 2);
}

}  // namespace
}  // namespace captain
