// Slack into captain, through `captain serve`: the announcement's buttons (block_actions
// payloads, with the values of the buttons captain itself posted) and the /captain slash
// command, for a user of the team, a user of another team, a member of a mapped user group and
// an unknown user. Every call is signed with the signing secret.
#include <gtest/gtest.h>

#include "notify/slack_signature.h"
#include "testing/daemon.h"
#include "testing/fake_slack.h"

namespace captain::testing {
namespace {

const char* kSecret = "s3cret-signing";

class SlackIn : public ::testing::Test {
 protected:
  void SetUp() override {
    slack_.SetGroupMembers("S0EEDEVS", {"U0EEDEV"});
    std::ofstream(box_.Path("captain.yaml"), std::ios::app)
        << "\nslack:\n  api_base: " << slack_.base()
        << "\n  users:\n"
           "    U0CCLEAD: {name: cc-lead, roles: [\"team:cc\"]}\n"
           "    U0ALICE: {name: alice, roles: [captain]}\n"
           "  groups:\n"
           "    S0EEDEVS: {name: ee-devs, roles: [\"team:ee\"]}\n";
    ConfigureServer(box_);
    daemon_ = std::make_unique<Daemon>(
        box_, "2026-12-01T14:30:00Z", "serve.log",
        std::vector<std::string>{"CAPTAIN_SLACK_BOT_TOKEN=xoxb-t",
                                 std::string("CAPTAIN_SLACK_SIGNING_SECRET=") + kSecret});
    ASSERT_GT(daemon_->port(), 0) << Slurp(daemon_->log());
    bool announced = Eventually([&] { return !Announcement().is_null(); });
    ASSERT_TRUE(announced) << Slurp(daemon_->log());
  }
  void TearDown() override {
    if (daemon_) {
      EXPECT_EQ(daemon_->Stop(), 0);
    }
  }

  // The announcement as Slack received it (null until it is posted).
  nlohmann::json Announcement() const {
    for (const auto& p : slack_.posted()) {
      if (p["text"].get<std::string>().find("is on its way") != std::string::npos) return p;
    }
    return nullptr;
  }
  // The value of the announcement's `action` button for `team`, as captain posted it.
  std::string ButtonValue(const std::string& action, const std::string& team) const {
    nlohmann::json a = Announcement();  // kept: the loop must not outlive it
    for (const auto& b : a["blocks"]) {
      if (b["type"] != "actions" || b["block_id"] != "opt:" + team) continue;
      for (const auto& e : b["elements"]) {
        if (e["action_id"] == action) return e["value"].get<std::string>();
      }
    }
    return "";
  }

  std::pair<int, std::string> Signed(const std::string& path, const std::string& body,
                                     const std::string& secret = kSecret) const {
    std::string now = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
    httplib::Client cli("127.0.0.1", daemon_->port());
    httplib::Headers h = {{"X-Slack-Request-Timestamp", now},
                          {"X-Slack-Signature", SlackSignature(secret, now, body)}};
    auto res = cli.Post(path.c_str(), h, body, "application/x-www-form-urlencoded");
    return res ? std::pair{res->status, res->body} : std::pair{0, std::string()};
  }

  // A block_actions payload as Slack sends it when `user` clicks button `action`.
  std::pair<int, std::string> Click(const std::string& user, const std::string& name,
                                    const std::string& action, const std::string& value) const {
    auto a = Announcement();
    nlohmann::json payload = {
        {"type", "block_actions"},
        {"user", {{"id", user}, {"username", name}, {"name", name}, {"team_id", "T0VRO"}}},
        {"api_app_id", "A0CAPTAIN"},
        {"team", {{"id", "T0VRO"}, {"domain", "vro"}}},
        {"container",
         {{"type", "message"}, {"message_ts", a["ts"]}, {"channel_id", a["channel_id"]}}},
        {"channel", {{"id", a["channel_id"]}, {"name", "benefits-vro-on-call"}}},
        {"message", {{"ts", a["ts"]}, {"text", a["text"]}}},
        {"response_url", "https://hooks.slack.com/actions/T0VRO/1/abc"},
        {"trigger_id", "1.2.3"},
        {"actions",
         {{{"action_id", action},
           {"block_id", "opt:x"},
           {"type", "button"},
           {"value", value},
           {"action_ts", "1764600000.000100"}}}}};
    return Signed("/slack/interactions",
                  "payload=" + httplib::detail::encode_query_param(payload.dump()));
  }

  std::pair<int, std::string> Command(const std::string& user, const std::string& name,
                                      const std::string& text) const {
    std::string body =
        "token=x&team_id=T0VRO&team_domain=vro&channel_id=C0ONCALL"
        "&channel_name=benefits-vro-on-call&user_id=" +
        user + "&user_name=" + name +
        "&command=%2Fcaptain&text=" + httplib::detail::encode_query_param(text) +
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=1";
    return Signed("/slack/commands", body);
  }

  // The opt answers recorded: (actor, action, subject).
  std::vector<std::string> Opts() const {
    auto r = daemon_->Get("/api/v1/audit?action=opt.", "alice");
    std::vector<std::string> out;
    for (const auto& e : r.json["entries"]) {
      out.push_back(e["actor"].get<std::string>() + " " + e["action"].get<std::string>() + " " +
                    e["subject"].get<std::string>());
    }
    return out;
  }

  // The ephemeral answers `user` received.
  std::vector<std::string> EphemeralsTo(const std::string& user) const {
    std::vector<std::string> out;
    for (const auto& e : slack_.ephemerals()) {
      if (e["user"] == user) out.push_back(e["text"]);
    }
    return out;
  }

  Sandbox box_;
  FakeSlack slack_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(SlackIn, ButtonsActForTheUsersTeamAndUpdateTheAnnouncementInPlace) {
  auto a = Announcement();
  // The announcement carries Block Kit: a header, and Opt in / Opt out per partner team.
  EXPECT_EQ(a["blocks"][0]["type"], "header");
  ASSERT_FALSE(ButtonValue("opt_in", "cc").empty()) << a.dump();
  ASSERT_FALSE(ButtonValue("opt_out", "ee").empty());
  EXPECT_TRUE(ButtonValue("opt_in", "vro").empty());  // the platform team is always in
  // The ee team is mentioned by its user group.
  EXPECT_NE(a["blocks"].dump().find("<!subteam^S0EEDEVS>"), std::string::npos);

  // cc's lead opts cc in.
  auto ok = Click("U0CCLEAD", "cc.lead", "opt_in", ButtonValue("opt_in", "cc"));
  EXPECT_EQ(ok.first, 200) << ok.second;
  // cc's lead cannot answer for ee; an unknown user cannot answer at all.
  EXPECT_EQ(Click("U0CCLEAD", "cc.lead", "opt_out", ButtonValue("opt_out", "ee")).first, 200);
  EXPECT_EQ(Click("U0NOBODY", "who", "opt_in", ButtonValue("opt_in", "ee")).first, 200);
  // A member of ee's user group opts ee out.
  EXPECT_EQ(Click("U0EEDEV", "ee.dev", "opt_out", ButtonValue("opt_out", "ee")).first, 200);

  EXPECT_EQ(Opts(), (std::vector<std::string>{"slack:U0CCLEAD (cc-lead) opt.in cc",
                                              "slack:U0EEDEV (ee.dev) opt.out ee"}));
  ASSERT_TRUE(Eventually([&] { return slack_.ephemerals().size() == 4; }));
  auto lead = EphemeralsTo("U0CCLEAD");
  ASSERT_EQ(lead.size(), 2u);
  EXPECT_NE(lead[0].find("Recorded: team cc is in"), std::string::npos) << lead[0];
  EXPECT_NE(lead[1].find("Refused"), std::string::npos) << lead[1];
  EXPECT_NE(lead[1].find("team ee"), std::string::npos) << lead[1];
  auto nobody = EphemeralsTo("U0NOBODY");
  ASSERT_EQ(nobody.size(), 1u);
  EXPECT_NE(nobody[0].find("does not know your Slack user (U0NOBODY)"), std::string::npos);

  // The announcement is updated in place after each recorded answer: same channel and ts.
  ASSERT_TRUE(Eventually([&] { return slack_.updates().size() == 2; }));
  for (const auto& u : slack_.updates()) {
    EXPECT_EQ(u["ts"], a["ts"]);
    EXPECT_EQ(u["channel"], a["channel_id"]);
  }
  std::string last = slack_.updates().back()["blocks"].dump();
  EXPECT_NE(last.find(":white_check_mark: in"), std::string::npos) << last;
  EXPECT_NE(last.find(":no_entry_sign: out"), std::string::npos) << last;
  EXPECT_NE(last.find("by slack:U0CCLEAD (cc-lead)"), std::string::npos) << last;
}

TEST_F(SlackIn, TheSlashCommandActsForTheUsersTeamOnly) {
  auto help = Command("U0CCLEAD", "cc.lead", "help");
  EXPECT_NE(help.second.find("/captain opt in TEAM"), std::string::npos) << help.second;
  auto in = Command("U0CCLEAD", "cc.lead", "opt in cc vro-cc-app");
  EXPECT_EQ(in.first, 200);
  EXPECT_NE(in.second.find("Recorded: team cc is in (vro-cc-app) for release 2026-12-01"),
            std::string::npos)
      << in.second;
  auto other = Command("U0CCLEAD", "cc.lead", "opt out ee");
  EXPECT_NE(other.second.find("Refused"), std::string::npos) << other.second;
  auto unknown = Command("U0NOBODY", "who", "opt in cc");
  EXPECT_NE(unknown.second.find("does not know your Slack user"), std::string::npos);
  auto typo = Command("U0CCLEAD", "cc.lead", "opt maybe cc");
  EXPECT_NE(typo.second.find("Usage: /captain opt in TEAM"), std::string::npos) << typo.second;
  auto signoff = Command("U0CCLEAD", "cc.lead", "signoff cc dev");
  EXPECT_NE(signoff.second.find("Refused"), std::string::npos) << signoff.second;  // not deployed
  EXPECT_EQ(Opts(), (std::vector<std::string>{"slack:U0CCLEAD (cc-lead) opt.in vro-cc-app"}));
}

TEST_F(SlackIn, UnsignedOrMissignedInteractionsDoNothing) {
  std::string body =
      "payload=" +
      httplib::detail::encode_query_param(nlohmann::json{
          {"type", "block_actions"},
          {"user", {{"id", "U0CCLEAD"}}},
          {"actions", {{{"action_id", "opt_in"}, {"value", ButtonValue("opt_in", "cc")}}}}}
                                              .dump());
  EXPECT_EQ(Signed("/slack/interactions", body, "another-secret").first, 401);
  httplib::Client cli("127.0.0.1", daemon_->port());
  auto res = cli.Post("/slack/interactions", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_TRUE(Opts().empty());
}

}  // namespace
}  // namespace captain::testing
