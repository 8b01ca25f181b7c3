// Plans and release views for one team or environment, and text grouped by team.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/cli_fixture.h"

namespace captain {
namespace {

using nlohmann::json;
using ViewFilterTest = testing::CliTest;

TEST_F(ViewFilterTest, TeamAndEnvironmentFilters) {
  const std::string id = "2026-12-01";
  Import("2026-12-01T12:00:00Z", "run1.json",
         testing::Report("run-1", testing::kHead, testing::AllScans()));
  Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", testing::kHead, "--by", "ci"});
  Ok("2026-12-01T14:05:00Z", {"tick"});
  Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", id, "--team", "cc", "--by", "bob"});
  Ok("2026-12-01T20:05:00Z", {"tick"});
  Ok("2026-12-01T20:10:00Z", {"deploy", id, "--tier", "lower", "--env", "dev", "--by", "al"});

  json cc = Ok("2026-12-01T20:11:00Z", {"plan", id, "--tier", "lower", "--team", "cc"});
  ASSERT_EQ(cc["services"].size(), 1u);
  EXPECT_EQ(cc["services"][0]["service"], "vro-cc-app");
  json ee = Ok("2026-12-01T20:11:00Z", {"release", "show", id, "--team", "ee", "--env", "dev"});
  ASSERT_EQ(ee["services"].size(), 2u);
  for (const auto& s : ee["services"]) {
    EXPECT_EQ(s["team"], "ee");
    EXPECT_TRUE(s["eligibility"].contains("lower"));
    EXPECT_FALSE(s["eligibility"].contains("prod"));
  }
  json dev = Ok("2026-12-01T20:11:00Z", {"release", "show", id, "--env", "dev"});
  size_t deployed = 0;
  for (const auto& s : dev["services"]) {
    for (auto it = s["environments"].begin(); it != s["environments"].end(); ++it) {
      EXPECT_EQ(it.key(), "dev");
      ++deployed;
    }
  }
  EXPECT_EQ(deployed, 8u);

  auto text = box.Captain("2026-12-01T20:11:00Z", {"plan", id, "--tier", "prod"});
  ASSERT_EQ(text.code, 0) << text.err;
  auto vro = text.out.find("team vro: 0 of 7 deploy");
  auto team_cc = text.out.find("team cc: 0 of 1 deploy");
  ASSERT_NE(vro, std::string::npos) << text.out;
  ASSERT_NE(team_cc, std::string::npos) << text.out;
  EXPECT_LT(vro, team_cc);
  Exits(2, "2026-12-01T20:11:00Z", {"plan", id, "--tier", "lower", "--team", "nope"});
  Exits(2, "2026-12-01T20:11:00Z", {"release", "show", id, "--env", "staging"});
}

}  // namespace
}  // namespace captain
