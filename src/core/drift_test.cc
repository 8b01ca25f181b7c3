#include "core/drift.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace captain {
namespace {

const char* kConfig = R"(sprint: {anchor: 2026-11-25}
channels: {announce: "#a", on_call: "#oc"}
environments:
  - {name: dev, tier: lower}
  - {name: prod, tier: higher}
teams:
  - {name: vro, channel: "#alerts-platform", platform: true}
  - {name: cc, channel: "#alerts-cc"}
services:
  - {name: svc, team: vro, image: r/svc}
  - {name: cc-app, team: cc, image: r/cc-app}
)";

Deployment Deployed(const std::string& service, const std::string& env, const std::string& tag,
                    int minute) {
  Deployment d;
  d.service = service;
  d.env = env;
  d.new_tag = tag;
  d.at = Instant{std::chrono::minutes{minute}};
  return d;
}

TEST(DriftTest, ComparesRepositoryWithRecordsAndLowerHistory) {
  auto c = LoadConfigString(kConfig, "captain.yaml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::vector<Deployment> history = {
      Deployed("svc", "dev", "aaaaaaa", 1), Deployed("svc", "prod", "aaaaaaa", 2),
      Deployed("svc", "dev", "bbbbbbb", 3), Deployed("cc-app", "dev", "ccccccc", 4)};
  std::vector<RepoTag> repo = {
      {"svc", "dev", "bbbbbbb", ""},
      {"svc", "prod", "fffffff", ""},    // hand-edited, never in dev
      {"cc-app", "dev", "ddddddd", ""},  // drifted
      {"cc-app", "prod", std::nullopt, "deploy/cc-app/values-prod.yaml: missing"}};
  std::vector<AlertSetting> alerts = {
      {"svc", "prod", "on_deployed_slack", {"alerts-platform"}},
      {"cc-app", "prod", "on_deployed_slack", {"#alerts-cc"}},
      {"cc-app", "prod", "on_health_degraded_slack", {"alerts-cc", "alerts-platform"}},
      {"cc-app", "dev", "on_sync_failed_slack", {}}};
  DriftReport r = ComputeDrift(*c, repo, history, alerts);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].status, DriftStatus::kInSync);
  EXPECT_FALSE(r.rows[0].never_in_lower);
  EXPECT_EQ(r.rows[1].status, DriftStatus::kDrift);
  EXPECT_EQ(r.rows[1].recorded_tag, "aaaaaaa");
  EXPECT_TRUE(r.rows[1].never_in_lower);
  EXPECT_EQ(r.rows[2].status, DriftStatus::kDrift);
  EXPECT_EQ(r.rows[3].status, DriftStatus::kUnreadable);
  ASSERT_EQ(r.channels.size(), 2u);
  EXPECT_EQ(r.channels[0].field, "on_health_degraded_slack");
  EXPECT_EQ(r.channels[0].found, "alerts-cc;alerts-platform");
  EXPECT_EQ(r.channels[0].expected, "alerts-cc");
  EXPECT_EQ(r.channels[1].env, "dev");
  EXPECT_FALSE(r.clean());

  DriftReport ok = ComputeDrift(*c, {{"svc", "dev", "bbbbbbb", ""}}, history, {});
  EXPECT_TRUE(ok.clean());
  DriftReport unmanaged = ComputeDrift(*c, {{"cc-app", "prod", "ccccccc", ""}}, history, {});
  EXPECT_EQ(unmanaged.rows[0].status, DriftStatus::kUnmanaged);
  EXPECT_FALSE(unmanaged.rows[0].never_in_lower);
  EXPECT_TRUE(unmanaged.clean());
}

TEST(DriftTest, LowerHistoryCountsAsHavingRunLower) {
  auto c = LoadConfigString(kConfig, "captain.yaml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::vector<RepoTag> repo = {{"svc", "dev", "bbbbbbb", ""}, {"svc", "prod", "aaaaaaa", ""}};
  EXPECT_TRUE(ComputeDrift(*c, repo, {}, {}).rows[1].never_in_lower);
  // aaaaaaa was in dev's file earlier: it passed a lower environment.
  EXPECT_FALSE(
      ComputeDrift(*c, repo, {}, {}, {{"svc", "dev", "aaaaaaa", ""}}).rows[1].never_in_lower);
  // Earlier in prod, or in another service's dev, does not count.
  DriftReport other = ComputeDrift(
      *c, repo, {}, {}, {{"svc", "prod", "aaaaaaa", ""}, {"cc-app", "dev", "aaaaaaa", ""}});
  EXPECT_TRUE(other.rows[1].never_in_lower);
}

TEST(DriftTest, SplitsChannelLists) {
  EXPECT_EQ(SplitChannels("#a; b ,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitChannels(" ; ").empty());
}

}  // namespace
}  // namespace captain
