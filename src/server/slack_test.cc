// The daemon's Slack sender against a fake Slack on 127.0.0.1: every outbox message arrives
// exactly once, in order per channel, through outages, restarts and a crash between sending
// and recording; permanent errors are given up and shown.
#include <gtest/gtest.h>

#include <set>

#include "notify/slack_signature.h"
#include "testing/daemon.h"
#include "testing/fake_slack.h"
#include "testing/release_flow.h"
#include "testing/slack_checks.h"

namespace captain::testing {
namespace {

const std::vector<std::string> kToken = {"CAPTAIN_SLACK_BOT_TOKEN=xoxb-test-token"};

void Ok(const Run& r) { ExpectOk(r); }

// Tuesday of the release with the command line: announcement, opt-in, window closed, lower
// deploy. Returns the outbox as `notify list --json` shows it.
nlohmann::json Tuesday(const Sandbox& box, const FakeSlack& slack, int timeout = 10,
                       const std::string& more_slack = "") {
  std::ofstream(box.Path("captain.yaml"), std::ios::app)
      << "\nslack:\n  api_base: " << slack.base() << "\n  timeout_seconds: " << timeout << "\n"
      << more_slack;
  ConfigureServer(box);
  TuesdayWithCli(box);
  auto list = box.Captain("2026-12-01T20:06:00Z", {"--json", "notify", "list"});
  return OfKind(nlohmann::json::parse(list.out)["messages"], {"post", "reply"});
}

// The outbox now (the daemon's own ticks may have added messages).
nlohmann::json Outbox(const Sandbox& box) {
  auto list = box.Captain("2026-12-01T20:30:00Z", {"--json", "notify", "list"});
  return nlohmann::json::parse(list.out)["messages"];
}

TEST(Slack, EveryMessageOnceInOrderWithItsOutboxId) {
  Sandbox box;
  FakeSlack slack;
  auto outbox = Tuesday(box, slack);
  ASSERT_GE(outbox.size(), 5u);
  // Nothing is sent by the command line itself.
  EXPECT_TRUE(slack.calls().empty());
  Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", kToken);
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  ASSERT_TRUE(Eventually([&] { return slack.posted().size() >= outbox.size(); })) << Slurp(d.log());
  for (const auto& c : slack.calls()) EXPECT_EQ(c.authorization, "Bearer xoxb-test-token");
  auto posted = slack.posted();
  for (size_t i = 0; i < outbox.size(); ++i) {
    EXPECT_EQ(posted[i]["text"], outbox[i]["text"]);
    EXPECT_EQ(posted[i]["channel"], outbox[i]["channel"]);
    EXPECT_FALSE(posted[i]["blocks"].empty()) << posted[i].dump();  // Block Kit, text fallback
  }
  // In the announce channel: the release notes as the lower deploy begins, then each lower
  // environment's step.
  std::vector<std::string> announce;
  for (const auto& p : posted) {
    if (p["channel"] == "#benefits-vro") announce.push_back(p["text"].get<std::string>());
  }
  ASSERT_GE(announce.size(), 4u) << nlohmann::json(announce).dump(1);
  EXPECT_EQ(announce[0], "Release 2026-12-01: no release notes were recorded before the deploy.");
  EXPECT_EQ(announce[1].rfind("Release 2026-12-01: deploying to dev (", 0), 0u) << announce[1];
  EXPECT_EQ(announce[2].rfind("Release 2026-12-01: deploying to qa (", 0), 0u) << announce[2];
  EXPECT_EQ(announce[3].rfind("Release 2026-12-01: deploying to sandbox (", 0), 0u) << announce[3];
  auto sent = d.WaitFor("/api/v1/notify/messages?pending=true",
                        [](const Reply& r) { return r.json["messages"].empty(); });
  EXPECT_TRUE(sent.json["messages"].empty()) << sent.body;
  EXPECT_EQ(d.Stop(), 0);
  ExpectEachOnceInOrder(Outbox(box), slack);
  EXPECT_EQ(Slurp(d.log()).find("xoxb-test-token"), std::string::npos);
}

TEST(Slack, OutagesRestartsAndKillsLoseNothingAndSendNothingTwice) {
  Sandbox box;
  FakeSlack slack;
  auto outbox = Tuesday(box, slack, /*timeout=*/1);
  ASSERT_GE(outbox.size(), 5u);
  slack.FailNext({500});
  slack.FailNext({503});
  slack.FailNext({429, 1});
  slack.FailNext({0, 0, "", 2500});  // no answer within the 1 s timeout
  slack.FailNext({200, 0, "internal_error"});
  size_t n = outbox.size();
  for (int round = 0; round < 2; ++round) {
    Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", kToken);
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    size_t before = slack.posted().size();
    ASSERT_TRUE(Eventually([&] { return slack.posted().size() > before; })) << Slurp(d.log());
    d.Kill();  // SIGKILL, mid-delivery
  }
  Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", kToken);
  ASSERT_TRUE(Eventually([&] { return slack.posted().size() >= n; }, 60)) << Slurp(d.log());
  // The daemon's own ticks add messages too (the opt window's close): wait for every message
  // the outbox holds, however slow the build, then make sure nothing more comes.
  ASSERT_TRUE(Eventually(
      [&] {
        return slack.posted().size() >= OfKind(Outbox(box), {"post", "reply"}).size();
      },
      60))
      << Slurp(d.log());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(d.Stop(), 0);
  ExpectEachOnceInOrder(Outbox(box), slack);
}

TEST(Slack, ACrashBetweenSendingAndRecordingIsNotSentAgain) {
  Sandbox box;
  FakeSlack slack;
  auto outbox = Tuesday(box, slack);
  std::vector<std::string> env = kToken;
  env.push_back("CAPTAIN_CRASH_AT=notify-after-send:2");
  {
    Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", env);
    ASSERT_TRUE(d.WaitExit(30)) << Slurp(d.log());
  }
  ASSERT_EQ(slack.posted().size(), 2u);
  Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", kToken);
  ASSERT_TRUE(Eventually([&] { return slack.posted().size() >= outbox.size(); })) << Slurp(d.log());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(d.Stop(), 0);
  ExpectEachOnceInOrder(Outbox(box), slack);
  size_t lookups = 0;
  for (const auto& c : slack.calls()) {
    if (c.method == "conversations.history") {
      ++lookups;
      EXPECT_TRUE(c.body.value("include_all_metadata", false));
    }
  }
  EXPECT_EQ(lookups, 1u);
}

TEST(Slack, PermanentErrorsAreGivenUpShownAndRetriedOnRequest) {
  Sandbox box;
  FakeSlack slack;
  slack.RefuseChannel("#benefits-slack-alerts-cc", "channel_not_found");
  auto outbox = Tuesday(box, slack);
  size_t to_cc = 0;
  for (const auto& m : outbox) to_cc += m["channel"] == "#benefits-slack-alerts-cc";
  ASSERT_GT(to_cc, 0u);
  Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", kToken);
  ASSERT_TRUE(Eventually([&] { return slack.posted().size() >= outbox.size() - to_cc; }))
      << Slurp(d.log());
  auto failed = d.WaitFor("/api/v1/notify/messages?failed=true",
                          [&](const Reply& r) { return r.json["messages"].size() == to_cc; });
  ASSERT_EQ(failed.json["messages"].size(), to_cc) << failed.body;
  EXPECT_EQ(failed.json["messages"][0]["error"], "channel_not_found");
  auto metrics = d.WaitFor("/metrics", [&](const Reply& r) {
    return r.body.find("captain_outbox_messages{state=\"failed\"} " + std::to_string(to_cc)) !=
           std::string::npos;
  });
  EXPECT_NE(metrics.body.find("captain_outbox_messages{state=\"failed\"} " + std::to_string(to_cc)),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(d.Stop(), 0);
  // From the command line: listed, retried once the channel exists.
  auto list = box.Captain("2026-12-01T20:20:00Z", {"notify", "list", "--failed"});
  EXPECT_NE(list.out.find("failed (channel_not_found)"), std::string::npos) << list.out;
  int64_t id = failed.json["messages"][0]["id"].get<int64_t>();
  Ok(box.Captain("2026-12-01T20:21:00Z", {"notify", "retry", std::to_string(id), "--by", "alice"}));
  slack.RefuseChannel("#benefits-slack-alerts-cc", "");
  auto flush = RunCaptainEnv(kToken[0], {"--config", box.Path("captain.yaml"), "--now",
                                         "2026-12-01T20:22:00Z", "notify", "flush"});
  ASSERT_EQ(flush.code, 0) << flush.err;
  auto after = Outbox(box);
  std::string state = "missing";
  for (const auto& m : after) {
    if (m["id"] == id) state = m["state"].get<std::string>();
  }
  EXPECT_EQ(state, "sent");
  EXPECT_NE(flush.out.find(" sent, "), std::string::npos) << flush.out;
}

TEST(Slack, AChannelWithOnlyAnIncomingWebhookGetsItsMessagesThere) {
  Sandbox box;
  FakeSlack slack;
  auto outbox = Tuesday(box, slack, 10,
                        "  webhooks:\n"
                        "    \"#benefits-slack-alerts-cc\": {url_env: CAPTAIN_WEBHOOK_CC}\n"
                        "    \"#benefits-slack-alerts-ee\": {url_env: CAPTAIN_WEBHOOK_EE}\n");
  std::vector<std::string> to_cc;
  for (const auto& m : outbox) {
    if (m["channel"] == "#benefits-slack-alerts-cc") to_cc.push_back(m["text"]);
  }
  ASSERT_FALSE(to_cc.empty());
  std::vector<std::string> env = kToken;
  env.push_back("CAPTAIN_WEBHOOK_CC=" + slack.webhook("cc"));
  Daemon d(box, "2026-12-01T20:10:00Z", "serve.log", env);
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  ASSERT_TRUE(Eventually([&] { return slack.webhook_posts().size() >= to_cc.size(); }))
      << Slurp(d.log());
  auto hooks = slack.webhook_posts();
  ASSERT_EQ(hooks.size(), to_cc.size());
  for (size_t i = 0; i < hooks.size(); ++i) {
    EXPECT_EQ(hooks[i]["hook"], "cc");
    EXPECT_EQ(hooks[i]["body"]["text"], to_cc[i]);
    EXPECT_TRUE(hooks[i]["body"]["blocks"].is_array());
    EXPECT_FALSE(hooks[i]["body"].contains("metadata"));  // a webhook takes text and blocks
  }
  for (const auto& p : slack.posted()) EXPECT_NE(p["channel"], "#benefits-slack-alerts-cc");
  EXPECT_EQ(d.Stop(), 0);
}

TEST(Slack, TheSlashCommandIsVerifiedWithTheSigningSecret) {
  Sandbox box;
  ConfigureServer(box);
  Daemon d(box, "2026-12-01T16:00:00Z", "serve.log", {"CAPTAIN_SLACK_SIGNING_SECRET=s3cret"});
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  d.WaitFor("/api/v1/releases",
            [](const Reply& r) { return r.status == 200 && r.json["releases"].size() == 1; });
  std::string body = "command=%2Fcaptain&text=status&user_id=U123&user_name=ana";
  auto post = [&](const std::string& ts, const std::string& sig, const std::string& b) {
    httplib::Client cli("127.0.0.1", d.port());
    httplib::Headers h;
    if (!ts.empty()) h.emplace("X-Slack-Request-Timestamp", ts);
    if (!sig.empty()) h.emplace("X-Slack-Signature", sig);
    auto res = cli.Post("/slack/commands", h, b, "application/x-www-form-urlencoded");
    return res ? std::pair{res->status, res->body} : std::pair{0, std::string()};
  };
  std::string now = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
  auto ok = post(now, SlackSignature("s3cret", now, body), body);
  EXPECT_EQ(ok.first, 200) << ok.second;
  EXPECT_NE(ok.second.find("2026-12-01 (standard): collecting-opt-ins"), std::string::npos)
      << ok.second;
  EXPECT_NE(ok.second.find("\"response_type\":\"ephemeral\""), std::string::npos);
  // A changed byte, another secret, an old timestamp, a missing header: 401.
  EXPECT_EQ(post(now, SlackSignature("s3cret", now, body), body + "x").first, 401);
  EXPECT_EQ(post(now, SlackSignature("other", now, body), body).first, 401);
  std::string old = std::to_string(std::stoll(now) - 600);
  EXPECT_EQ(post(old, SlackSignature("s3cret", old, body), body).first, 401);
  EXPECT_EQ(post("", SlackSignature("s3cret", now, body), body).first, 401);
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace captain::testing
