#include "notify/catalogue.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

catalogue::Announcement Sample() {
  catalogue::Announcement a;
  a.release = "2026-12-01";
  a.opt_deadline = "2026-12-01 15:00 EST";
  a.lower_deploy = "2026-12-01 15:00 EST";
  a.captains = "<@U0ALICE> (primary)";
  a.platform_services = {"rabbitmq"};
  a.partners = {{"cc", "<!subteam^S0CC>", "in", "by cc-lead"}, {"ee", "", "", ""}};
  return a;
}

int Buttons(const nlohmann::json& blocks) {
  int n = 0;
  for (const auto& b : blocks) {
    if (b["type"] == "actions") n += static_cast<int>(b["elements"].size());
  }
  return n;
}

TEST(Catalogue, TheAnnouncementHasButtonsPerPartnerTeamUntilTheWindowCloses) {
  auto m = catalogue::Announce(Sample());
  EXPECT_EQ(m.key, "announce:2026-12-01");
  EXPECT_EQ(Buttons(m.blocks), 4);
  EXPECT_NE(m.text.find("opt in or out by 2026-12-01 15:00 EST"), std::string::npos);
  std::string text = BlocksAsText(m.blocks);
  EXPECT_NE(text.find("<!subteam^S0CC>: :white_check_mark: in (by cc-lead)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("*ee*: :hourglass: no answer yet"), std::string::npos) << text;
  EXPECT_NE(text.find("[Opt in] [Opt out]"), std::string::npos) << text;
  auto a = Sample();
  a.closed = true;
  auto closed = catalogue::AnnounceUpdate(a);
  EXPECT_EQ(Buttons(closed.blocks), 0);
  EXPECT_EQ(closed.update_key, "announce:2026-12-01");
  EXPECT_TRUE(closed.key.empty());
}

TEST(Catalogue, StepsThreadTheirProgressAndNotesSayASignatureRefresh) {
  catalogue::Step s{"R1", "lower", "dev", "55379fe0123", "alice", "", {{"svc", "aaa", "bbb"}}};
  auto start = catalogue::StepStarted(s);
  EXPECT_EQ(start.key, "step:R1:dev:55379fe");
  EXPECT_NE(BlocksAsText(start.blocks).find("`svc` `aaa` → `bbb`"), std::string::npos);
  EXPECT_EQ(
      catalogue::StepProgress(start.key, "svc-dev", "Synced", "Healthy", "55379fe0").thread_key,
      start.key);
  EXPECT_EQ(catalogue::StepVerified(s, {"svc-dev"}).thread_key, start.key);
  auto refresh = catalogue::ReleaseNotes("R1", {}, true);
  EXPECT_NE(refresh.text.find("signature refresh only"), std::string::npos);
  EXPECT_NE(catalogue::ReleaseNotes("R1", {}, false).text.find("no release notes were recorded"),
            std::string::npos);
  auto notes = catalogue::ReleaseNotes("R1", {{"Bug fixes", {"BGS <retries>"}}}, false);
  EXPECT_NE(BlocksAsText(notes.blocks).find("• BGS &lt;retries&gt;"), std::string::npos);
}

TEST(Catalogue, ValidationRemindersCarryASignOffButton) {
  auto m = catalogue::ValidationReminder("R1", "cc", "<!subteam^S0CC>", "sandbox", "Wed 17:00");
  ASSERT_EQ(Buttons(m.blocks), 1);
  auto value = nlohmann::json::parse(m.blocks.back()["elements"][0]["value"].get<std::string>());
  EXPECT_EQ(value, (nlohmann::json{{"release", "R1"}, {"team", "cc"}, {"env", "sandbox"}}));
}

}  // namespace
}  // namespace captain
