// Role × every mutating route: 401 without a token (or with an unknown one), 403 with the
// wrong role or another team's token, and the right token gets past authorization; a change
// it makes is audited under the token's name.
#include <gtest/gtest.h>

#include "server/api.h"
#include "server/routes.h"
#include "testing/daemon.h"

namespace captain::testing {
namespace {

constexpr const char* kHead = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";

struct Case {
  std::string path;
  nlohmann::json body;
  std::string right;               // a token allowed to do it
  std::vector<std::string> wrong;  // tokens refused with 403
  std::string audited;             // the audit action a 2xx records ("": none)
};

TEST(ServeRoles, EveryMutatingRouteByRole) {
  Sandbox box;
  ConfigureServer(box);
  std::string report =
      Slurp(std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/evidence/secrel-run-2026-12-01.json");
  // Tuesday 11:00 ET: the release is open, the opt window too. The scheduler opens it.
  Daemon d(box, "2026-12-01T16:00:00Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  auto opened = d.WaitFor("/api/v1/releases", [](const Reply& r) {
    return r.status == 200 && r.json["releases"].size() == 1;
  });
  ASSERT_EQ(opened.json["releases"].size(), 1u);
  const std::string rel = "/api/v1/releases/2026-12-01";
  const std::vector<std::string> teams_and_reads = {"watcher", "ci-bot", "vro-lead", "cc-lead",
                                                    "ee-lead"};
  std::vector<Case> cases = {
      {"/api/v1/evidence/reports",
       nlohmann::json::parse(report),
       "ci-bot",
       {"watcher", "vro-lead", "cc-lead"},
       "evidence.import"},
      {"/api/v1/evidence/develop",
       {{"commit", kHead}},
       "ci-bot",
       {"watcher", "cc-lead"},
       "evidence.develop"},
      {rel + "/opt",
       {{"team", "cc"}, {"answer", "in"}},
       "cc-lead",
       {"watcher", "ci-bot", "ee-lead", "vro-lead"},
       "opt.in"},
      {rel + "/opt",
       {{"team", "ee"}, {"answer", "out"}, {"late_reason", "asked late"}},
       "alice",
       {"ee-lead", "watcher"},
       "opt.out"},
      {rel + "/defects",
       {{"service", "vro-cc-app"}, {"title", "dates off by one"}},
       "cc-lead",
       {"watcher", "ci-bot", "ee-lead"},
       "defect.open"},
      {"/api/v1/defects/1/resolve",
       nlohmann::json::object(),
       "cc-lead",
       {"watcher", "ci-bot", "ee-lead", "vro-lead"},
       "defect.resolve"},
      {rel + "/health",
       {{"env", "qa"}, {"service", "vro-cc-app"}, {"healthy", false}},
       "cc-lead",
       {"watcher", "ci-bot", "ee-lead"},
       ""},
      {rel + "/signoffs",
       {{"team", "cc"}, {"env", "qa"}},
       "cc-lead",
       {"watcher", "ci-bot", "vro-lead"},
       ""},
      {"/api/v1/requests",
       {{"kind", "adhoc"}, {"commit", kHead}, {"changelog", "fix"}, {"services", {"vro-cc-app"}}},
       "cc-lead",
       {"watcher", "ci-bot", "ee-lead"},
       ""},
      {rel + "/notes",
       {{"category", "bug-fixes"}, {"text", "retries on timeouts"}},
       "alice",
       teams_and_reads,
       "release.note"},
      {rel + "/candidate", {{"commit", kHead}}, "alice", teams_and_reads, ""},
      {rel + "/overrides",
       {{"service", "vro-svc-bip-api"}, {"reason", "accepted"}},
       "alice",
       teams_and_reads,
       ""},
      {rel + "/draft-notes", nlohmann::json::object(), "alice", teams_and_reads, ""},
      {"/api/v1/tick", nlohmann::json::object(), "alice", teams_and_reads, ""},
      {rel + "/deploy", {{"tier", "lower"}}, "alice", teams_and_reads, ""},
      {rel + "/rollback", {{"env", "qa"}, {"reason", "broken"}}, "alice", teams_and_reads, ""},
      {"/api/v1/requests/2026-12-01/approve", nlohmann::json::object(), "alice", teams_and_reads,
       ""},
      {rel + "/signoff", nlohmann::json::object(), "alice", teams_and_reads, ""},
      {"/api/v1/scheduled",
       {{"id", "2026-12-01"}, {"tier", "prod"}, {"at", "2026-12-03T15:40:00Z"}},
       "alice",
       teams_and_reads,
       "deploy.schedule"},
      {"/api/v1/scheduled/1/cancel", nlohmann::json::object(), "alice", teams_and_reads,
       "deploy.schedule-cancel"},
      {"/api/v1/notify/messages/1/retry", nlohmann::json::object(), "alice", teams_and_reads, ""},
      {"/api/v1/oncall/swaps",
       {{"release_day", "2026-12-15"},
        {"role", "primary"},
        {"engineer", "bob"},
        {"reason", "trade"}},
       "alice",
       teams_and_reads,
       "oncall.swap"},
      {"/api/v1/releases",
       {{"release_day", "2026-12-15"}},
       "alice",
       teams_and_reads,
       "release.open"},
      {rel + "/cancel",
       {{"service", "vro-streamlit"}, {"reason", "not ready"}},
       "alice",
       teams_and_reads,
       "release.cancel-service"},
  };
  // Every mutating route is in the table.
  std::set<std::string> covered;
  for (const auto& c : cases) {
    auto m = MatchRoute("POST", c.path);
    ASSERT_NE(m.route, nullptr) << c.path;
    covered.insert(m.route->path);
  }
  for (const auto& r : Routes()) {
    // Slack's calls are signed by Slack, not bearer-authenticated (slack_test.cc).
    if (std::string(r.method) == "POST" && r.kind != RouteKind::kSlackCommand &&
        r.kind != RouteKind::kSlackInteraction && r.kind != RouteKind::kArgoHook) {
      EXPECT_EQ(covered.count(r.path), 1u) << r.path;
    }
  }

  int accepted = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path + " " + c.body.dump().substr(0, 80));
    EXPECT_EQ(d.Send("POST", c.path, "", c.body.dump()).status, 401);
    EXPECT_EQ(d.Send("POST", c.path, "nobody", c.body.dump()).status, 401);
    for (const auto& who : c.wrong) {
      auto r = d.Post(c.path, who, c.body);
      EXPECT_EQ(r.status, 403) << who << ": " << r.body;
      EXPECT_EQ(r.json["error"]["code"], "forbidden") << r.body;
    }
    auto r = d.Post(c.path, c.right, c.body);
    EXPECT_NE(r.status, 401) << r.body;
    EXPECT_NE(r.status, 403) << r.body;
    EXPECT_LT(r.status, 500) << r.body;
    if (!c.audited.empty()) {
      ASSERT_TRUE(r.status == 200 || r.status == 202) << r.body;
      ++accepted;
      auto log = d.Get("/api/v1/audit?action=" + c.audited);
      ASSERT_FALSE(log.json["entries"].empty()) << log.body;
      EXPECT_EQ(log.json["entries"].back()["actor"], c.right) << log.body;
    }
  }
  EXPECT_EQ(accepted, 12);
  // Reads need a token unless server.public_reads; any role may read.
  EXPECT_EQ(d.Send("GET", rel, "").status, 401);
  for (const auto& t : TestTokens()) EXPECT_EQ(d.Get(rel, t.name).status, 200) << t.name;
  EXPECT_EQ(d.Stop(), 0);
}

TEST(ServeApi, ErrorsAndLimits) {
  Sandbox box;
  ConfigureServer(box, "  max_body_bytes: 4096\n");
  Daemon d(box, "2026-12-01T16:00:00Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  const std::string rel = "/api/v1/releases/2026-12-01";
  d.WaitFor("/api/v1/releases",
            [](const Reply& r) { return r.status == 200 && r.json["releases"].size() == 1; });
  // 400 naming the field; a malformed body changes nothing.
  auto bad = d.Post(rel + "/opt", "cc-lead", {{"team", "cc"}, {"answer", "maybe"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["field"], "answer") << bad.body;
  auto torn = d.Send("POST", rel + "/opt", "cc-lead", "{\"team\": \"cc\", \"answer\": \"in\"");
  EXPECT_EQ(torn.status, 400);
  EXPECT_EQ(torn.json["error"]["code"], "bad-input");
  EXPECT_TRUE(d.Get("/api/v1/audit?action=opt.in").json["entries"].empty());
  // 404 for an unknown release, 405 for a known path with another method.
  auto missing = d.Get("/api/v1/releases/2030-01-01");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json["error"]["code"], "not-found");
  EXPECT_EQ(d.Send("GET", rel + "/opt", "alice").status, 405);
  // 413 over server.max_body_bytes.
  auto big = d.Send("POST", rel + "/notes", "alice", std::string(8192, ' ') + "{}");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.json["error"]["code"], "too-large");
  // 422 refused by policy, with the CLI's reason.
  auto early = d.Post(rel + "/deploy", "alice", {{"tier", "prod"}});
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(early.json["error"]["code"], "refused");
  // A deploy with bad input is answered at once, not as a failed job.
  auto typo = d.Post(rel + "/deploy", "alice", {{"tier", "lowr"}});
  EXPECT_EQ(typo.status, 400);
  EXPECT_EQ(typo.json["error"]["field"], "tier");
  // Operations.
  EXPECT_EQ(d.Send("GET", "/healthz", "").status, 200);
  auto ready = d.Send("GET", "/readyz", "");
  EXPECT_EQ(ready.status, 200) << ready.body;
  auto metrics = d.Send("GET", "/metrics", "");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("captain_http_requests_total{route=\"opt\",status=\"400\"} 2"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("captain_last_tick_timestamp_seconds 17"), std::string::npos);
  // /readyz follows the GitOps remote: 503 while it does not answer, 200 once it does again.
  ASSERT_EQ(std::rename(box.Path("remote.git").c_str(), box.Path("moved.git").c_str()), 0);
  auto down = d.WaitFor(
      "/readyz", [](const Reply& r) { return r.status == 503; }, 15);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_NE(down.json["checks"]["gitops"], "ok");
  ASSERT_EQ(std::rename(box.Path("moved.git").c_str(), box.Path("remote.git").c_str()), 0);
  auto up = d.WaitFor(
      "/readyz", [](const Reply& r) { return r.status == 200; }, 15);
  EXPECT_EQ(up.status, 200) << up.body;
  // The log never holds a token.
  EXPECT_EQ(d.Stop(), 0);
  EXPECT_EQ(Slurp(d.log()).find("token-"), std::string::npos);
}

}  // namespace
}  // namespace captain::testing
