// ArgoCD into captain through `captain serve`, with the bodies the shipped
// argocd-notifications templates produce: the hook's secret, the application mapped to its
// service and environment, degraded health into the plan's `unhealthy`, alerts in the owning
// team's channel, progress in the deploy step's Slack thread, and the step verified only once
// every application it changed is Synced and Healthy at the step's GitOps commit.
#include <gtest/gtest.h>

#include "testing/argocd_template.h"
#include "testing/cli_fixture.h"
#include "testing/daemon.h"
#include "testing/fake_slack.h"

namespace captain::testing {
namespace {

const std::string kId = "2026-12-01";
const char* kSecret = "argo-hook-secret";

class ArgoTest : public CliTest {
 protected:
  // Tuesday to Thursday's prod-test deploy, from the command line.
  void ToProdTest() {
    std::ofstream(box.Path("captain.yaml"), std::ios::app)
        << "\nslack:\n  api_base: " << slack_.base() << "\nargocd:\n  verify_timeout_minutes: 45\n";
    ConfigureServer(box);
    DeployLower();
    for (const char* team : {"vro", "cc"}) {
      Ok("2026-12-02T15:00:00Z", {"signoff", "--release", kId, "--team", team, "--env", "qa",
                                  "--by", std::string(team) + "-lead"});
    }
    Ok("2026-12-03T14:00:00Z", {"tick"});
    Ok("2026-12-03T15:01:00Z", {"deploy", kId, "--tier", "prod-test", "--by", "alice"});
  }

  void Start() {
    daemon_ = std::make_unique<Daemon>(
        box, "2026-12-03T15:05:00Z", "serve.log",
        std::vector<std::string>{"CAPTAIN_SLACK_BOT_TOKEN=xoxb-t",
                                 std::string("CAPTAIN_ARGOCD_WEBHOOK_SECRET=") + kSecret});
    ASSERT_GT(daemon_->port(), 0) << Slurp(daemon_->log());
  }
  void TearDown() override {
    if (daemon_) {
      EXPECT_EQ(daemon_->Stop(), 0);
    }
  }

  // POSTs what template `name` sends for the application, with `secret`.
  std::pair<int, nlohmann::json> Notify(const std::string& name, const nlohmann::json& app,
                                        const std::string& secret = kSecret) {
    std::string body = RenderArgoTemplate(name, app);
    httplib::Client cli("127.0.0.1", daemon_->port());
    httplib::Headers h;
    if (!secret.empty()) h.emplace("Authorization", "Bearer " + secret);
    auto res = cli.Post("/hooks/argocd", h, body, "application/json");
    if (!res) return {0, nullptr};
    if (res->status == 202) ++accepted_;
    return {res->status, nlohmann::json::parse(res->body, nullptr, false)};
  }

  // Waits until every accepted notification is applied to the store (they are journaled and
  // answered first, applied a moment later).
  void Applied() {
    bool all = Eventually([&] {
      return daemon_->Get("/api/v1/argocd/apps", "watcher").json.value("events", -1) == accepted_;
    });
    ASSERT_TRUE(all) << Slurp(daemon_->log());
  }

  nlohmann::json Watch(const std::string& env) {
    auto r = daemon_->Get("/api/v1/argocd/apps?release=" + kId, "watcher");
    for (const auto& w : r.json["watches"]) {
      if (w["env"] == env) return w;
    }
    return nullptr;
  }

  FakeSlack slack_;
  std::unique_ptr<Daemon> daemon_;
  int accepted_ = 0;
};

TEST_F(ArgoTest, AlertsHealthAndAStepVerifiedOnlyWhenEveryApplicationIsHealthy) {
  ToProdTest();
  Start();
  nlohmann::json watch = Watch("prod-test");
  ASSERT_FALSE(watch.is_null());
  EXPECT_EQ(watch["state"], "watching");
  const std::string commit = watch["gitops_commit"];
  std::vector<std::string> services = watch["services"];
  ASSERT_GE(services.size(), 3u);

  // Refused: no secret, another secret, a body the template would never send.
  auto app = ArgoApp("vro-cc-app-prod-test", "Synced", "Healthy", commit, "Succeeded", "ok");
  EXPECT_EQ(Notify("captain-sync-succeeded", app, "").first, 401);
  EXPECT_EQ(Notify("captain-sync-succeeded", app, "wrong").first, 401);
  {
    httplib::Client cli("127.0.0.1", daemon_->port());
    auto res = cli.Post("/hooks/argocd", {{"Authorization", std::string("Bearer ") + kSecret}},
                        R"({"app": "x", "event": "exploded"})", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_NE(res->body.find("\"field\":\"event\""), std::string::npos) << res->body;
  }

  // Every application but vro-cc-app and vro-svc-bgs-api syncs and is healthy.
  for (const auto& s : services) {
    if (s == "vro-cc-app" || s == "vro-svc-bgs-api") continue;
    auto r = Notify("captain-deployed",
                    ArgoApp(s + "-prod-test", "Synced", "Healthy", commit, "Succeeded", "done"));
    EXPECT_EQ(r.first, 202);
    EXPECT_EQ(r.second["service"], s);
    EXPECT_EQ(r.second["env"], "prod-test");
  }
  // vro-cc-app's sync fails; vro-svc-bgs-api is degraded.
  EXPECT_EQ(Notify("captain-sync-failed",
                   ArgoApp("vro-cc-app-prod-test", "OutOfSync", "Missing", commit, "Failed",
                           "one or more objects failed to apply: \"deployment\" is invalid"))
                .first,
            202);
  EXPECT_EQ(
      Notify("captain-health-degraded", ArgoApp("vro-svc-bgs-api-prod-test", "Synced", "Degraded",
                                                commit, "", "Deployment has 0/2 ready pods"))
          .first,
      202);
  // An application captain does not know is kept, unmatched.
  auto stray = Notify("captain-sync-succeeded",
                      ArgoApp("grafana", "Synced", "Healthy", "abc1234def", "Succeeded", ""));
  EXPECT_EQ(stray.first, 202);
  EXPECT_TRUE(stray.second["service"].is_null());

  Applied();
  EXPECT_EQ(Watch("prod-test")["state"], "watching");
  // The plan's `unhealthy` comes from the cluster.
  auto prod = Plan("2026-12-03T15:06:00Z", kId, "prod");
  EXPECT_EQ(prod["vro-svc-bgs-api"], "unhealthy") << Detail("vro-svc-bgs-api");
  EXPECT_NE(prod["rabbitmq"], "unhealthy");

  // Both recover: the step is verified.
  for (const char* s : {"vro-cc-app", "vro-svc-bgs-api"}) {
    EXPECT_EQ(Notify("captain-deployed", ArgoApp(std::string(s) + "-prod-test", "Synced", "Healthy",
                                                 commit, "Succeeded", "done"))
                  .first,
              202);
  }
  Applied();
  watch = Watch("prod-test");
  EXPECT_EQ(watch["state"], "verified") << watch.dump();
  EXPECT_NE(Plan("2026-12-03T15:07:00Z", kId, "prod")["vro-svc-bgs-api"], "unhealthy");
  auto audit = Ok("2026-12-03T15:08:00Z", {"audit", "--release", kId, "--action", "deploy."});
  int verified = 0;
  for (const auto& e : audit["entries"]) verified += e["action"] == "deploy.verified";
  EXPECT_EQ(verified, 1);

  // Slack: the alerts in each owning team's channel; progress and the verification in the
  // thread of the step's message.
  size_t expected_replies = services.size() + 2 + 1;  // every report, and the verification
  ASSERT_TRUE(Eventually([&] {
    size_t replies = 0;
    for (const auto& p : slack_.posted()) replies += p["thread_ts"] != "";
    return replies >= expected_replies + 3;
  })) << Slurp(daemon_->log());
  std::string start_ts;
  std::vector<std::string> alerts_cc, alerts_vro;
  for (const auto& p : slack_.posted()) {
    std::string text = p["text"];
    if (text.rfind("Release 2026-12-01: deploying to prod-test", 0) == 0) start_ts = p["ts"];
    if (text.rfind("ArgoCD: ", 0) == 0) {
      (p["channel"] == "#benefits-slack-alerts-cc" ? alerts_cc : alerts_vro).push_back(text);
      EXPECT_TRUE(p["channel"] == "#benefits-slack-alerts-cc" ||
                  p["channel"] == "#benefits-slack-alerts-platform")
          << p.dump();
    }
  }
  ASSERT_FALSE(start_ts.empty());
  ASSERT_EQ(alerts_cc.size(), 1u);
  EXPECT_NE(alerts_cc[0].find("vro-cc-app-prod-test (vro-cc-app in prod-test) sync failed"),
            std::string::npos)
      << alerts_cc[0];
  ASSERT_EQ(alerts_vro.size(), 1u);
  EXPECT_NE(alerts_vro[0].find("health Degraded: Deployment has 0/2 ready pods"), std::string::npos)
      << alerts_vro[0];
  // The lower environments had no ArgoCD report for 45 minutes: each is flagged in its own
  // step's thread; everything else is in the prod-test step's thread.
  size_t replies = 0, flagged = 0;
  std::string last_reply;
  for (const auto& p : slack_.posted()) {
    if (p["thread_ts"] == "") continue;
    std::string text = p["text"];
    if (text.find("not verified after 45 minutes") != std::string::npos) {
      EXPECT_NE(p["thread_ts"], start_ts) << text;
      ++flagged;
      continue;
    }
    EXPECT_EQ(p["thread_ts"], start_ts) << p.dump();
    ++replies;
    last_reply = text;
  }
  EXPECT_EQ(flagged, 3u);
  EXPECT_EQ(replies, expected_replies);
  EXPECT_NE(last_reply.find("prod-test verified"), std::string::npos) << last_reply;
}

TEST_F(ArgoTest, AStepNotVerifiedInTimeIsFlagged) {
  ToProdTest();
  Start();
  const std::string commit = Watch("prod-test")["gitops_commit"];
  EXPECT_EQ(Notify("captain-deployed",
                   ArgoApp("rabbitmq-prod-test", "Synced", "Healthy", commit, "Succeeded", "done"))
                .first,
            202);
  Applied();
  ASSERT_EQ(daemon_->Stop(), 0);
  daemon_.reset();
  // 45 minutes after the deploy, the next tick flags the step, naming who is still waited for.
  auto tick = Ok("2026-12-03T15:47:00Z", {"tick"});
  EXPECT_NE(tick.dump().find("prod-test: not verified in time"), std::string::npos) << tick.dump();
  auto list = Ok("2026-12-03T15:48:00Z", {"notify", "list"});
  std::string flagged;
  for (const auto& m : list["messages"]) {
    if (m["text"].get<std::string>().find("not verified after 45 minutes") != std::string::npos) {
      flagged = m["text"];
      EXPECT_EQ(m["kind"], "reply");
    }
  }
  EXPECT_NE(flagged.find("vro-cc-app"), std::string::npos) << flagged;
  EXPECT_EQ(flagged.find("rabbitmq,"), std::string::npos) << flagged;
}

TEST_F(ArgoTest, AJournaledNotificationSurvivesTheDaemonBeingKilled) {
  ToProdTest();
  // The daemon dies before it applies anything: what it answered is in its journal.
  daemon_ = std::make_unique<Daemon>(
      box, "2026-12-03T15:05:00Z", "serve.log",
      std::vector<std::string>{std::string("CAPTAIN_ARGOCD_WEBHOOK_SECRET=") + kSecret,
                               "CAPTAIN_CRASH_AT=argocd-before-apply"});
  ASSERT_GT(daemon_->port(), 0);
  auto r = Notify("captain-health-degraded", ArgoApp("vro-svc-bgs-api-prod-test", "Synced",
                                                     "Degraded", "abc1234", "", "0/2 ready"));
  EXPECT_TRUE(r.first == 202 || r.first == 0);  // the crash may beat the answer
  ASSERT_TRUE(daemon_->WaitExit(20));
  daemon_.reset();
  Start();  // replays the dead daemon's journal before it listens
  auto apps = daemon_->Get("/api/v1/argocd/apps", "watcher");
  EXPECT_EQ(apps.json["events"], 1) << apps.body;
  EXPECT_EQ(Plan("2026-12-03T15:06:00Z", kId, "prod")["vro-svc-bgs-api"], "unhealthy");
  // Replayed once: a third start finds nothing more to apply.
  ASSERT_EQ(daemon_->Stop(), 0);
  Start();
  EXPECT_EQ(daemon_->Get("/api/v1/argocd/apps", "watcher").json["events"], 1);
}

}  // namespace
}  // namespace captain::testing
