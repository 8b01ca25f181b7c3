// A prod deploy scheduled for a time: the daemon runs it then when the plan allows it, and
// refuses it (saying why on Slack) when a defect was opened in between.
#include <gtest/gtest.h>

#include "testing/daemon.h"
#include "testing/release_flow.h"

namespace captain::testing {
namespace {

constexpr const char* kId = kFlowRelease;

void Ok(const Run& r) { ExpectOk(r); }

// The release through Wednesday's lower validation, with the command line.
void ThroughWednesday(const Sandbox& box) {
  TuesdayWithCli(box);
  for (const char* team : {"vro", "cc"}) {
    Ok(box.Captain("2026-12-02T15:00:00Z", {"signoff", "--release", kId, "--team", team, "--env",
                                            "qa", "--by", std::string(team) + "-lead"}));
  }
}

// Thursday: the cutoff, prod-test and its sign-offs.
void ThroughProdTest(const Sandbox& box, std::vector<std::string> teams = {"vro", "cc"}) {
  Ok(box.Captain("2026-12-03T14:00:00Z", {"tick"}));
  Ok(box.Captain("2026-12-03T15:00:00Z", {"deploy", kId, "--tier", "prod-test", "--by", "alice"}));
  for (const auto& team : teams) {
    Ok(box.Captain("2026-12-03T15:30:00Z", {"signoff", "--release", kId, "--team", team, "--env",
                                            "prod-test", "--by", team + "-lead"}));
  }
}

nlohmann::json WaitScheduled(const Daemon& d, int64_t id) {
  auto r = d.WaitFor("/api/v1/scheduled?all=true", [id](const Reply& r) {
    for (const auto& s : r.json["scheduled"]) {
      if (s["id"] == id && s["state"] != "pending") return true;
    }
    return false;
  });
  for (const auto& s : r.json["scheduled"]) {
    if (s["id"] == id) return s;
  }
  return nullptr;
}

TEST(ServeScheduled, ProdDeployRunsAtItsTime) {
  Sandbox box;
  ConfigureServer(box);
  ThroughWednesday(box);
  ThroughProdTest(box);
  int commits = box.RemoteCommits();
  int64_t id = 0;
  {
    Daemon d(box, "2026-12-03T15:31:00Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    // Too early for its milestone, and in the past: refused at once.
    EXPECT_EQ(d.Post("/api/v1/scheduled", "alice",
                     {{"id", kId}, {"tier", "prod"}, {"at", "2026-12-03T12:00:00Z"}})
                  .status,
              400);
    auto s = d.Post("/api/v1/scheduled", "alice",
                    {{"id", kId}, {"tier", "prod"}, {"at", "2026-12-03T15:40:00Z"}});
    ASSERT_EQ(s.status, 200) << s.body;
    id = s.json["id"].get<int64_t>();
    EXPECT_EQ(d.Post("/api/v1/scheduled", "cc-lead",
                     {{"id", kId}, {"tier", "prod"}, {"at", "2026-12-03T15:45:00Z"}})
                  .status,
              403);
    EXPECT_EQ(d.Stop(), 0);
  }
  EXPECT_EQ(box.RemoteCommits(), commits);  // nothing before its time
  Daemon d(box, "2026-12-03T15:39:57Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  auto s = WaitScheduled(d, id);
  ASSERT_FALSE(s.is_null());
  EXPECT_EQ(s["state"], "done") << s.dump();
  EXPECT_EQ(box.RemoteCommits(), commits + 1);
  auto deploys = d.Get("/api/v1/audit?action=deploy");
  ASSERT_FALSE(deploys.json["entries"].empty());
  EXPECT_EQ(deploys.json["entries"].back()["actor"], "alice");
  EXPECT_EQ(deploys.json["entries"].back()["subject"], "prod");
  EXPECT_EQ(d.Stop(), 0);
}

TEST(ServeScheduled, RefusedWithTheReasonPostedWhenADefectWasOpenedInBetween) {
  Sandbox box;
  ConfigureServer(box);
  ThroughWednesday(box);
  // Wednesday afternoon: the captain schedules Thursday's prod deploy; then cc finds a defect.
  Ok(box.Captain("2026-12-02T16:00:00Z", {"deploy", kId, "--tier", "prod", "--at",
                                          "2026-12-03T15:40:00Z", "--by", "alice"}));
  Ok(box.Captain("2026-12-02T17:00:00Z",
                 {"defect", "open", "--release", kId, "--service", "vro-cc-app", "--title",
                  "claims lost", "--by", "cc-lead"}));
  ThroughProdTest(box, {"vro"});  // the cutoff held cc's only service
  int commits = box.RemoteCommits();
  Daemon d(box, "2026-12-03T15:39:57Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  auto s = WaitScheduled(d, 1);
  ASSERT_FALSE(s.is_null());
  EXPECT_EQ(s["state"], "refused") << s.dump();
  EXPECT_NE(s["detail"].get<std::string>().find("vro-cc-app: open-defect"), std::string::npos)
      << s.dump();
  EXPECT_EQ(box.RemoteCommits(), commits);
  EXPECT_EQ(d.Stop(), 0);
  // Posted to the on-call channel and to the team whose service holds it.
  std::string posted = box.Shell(
      "sqlite3 captain.db \"SELECT channel || ' ' || text FROM outbox WHERE text LIKE "
      "'%did not run%'\"");
  EXPECT_NE(posted.find("#benefits-slack-alerts-cc"), std::string::npos) << posted;
  EXPECT_NE(posted.find("vro-cc-app: open-defect"), std::string::npos) << posted;
  auto refused = box.Captain("2026-12-03T15:50:00Z",
                             {"--json", "audit", "--action", "deploy.schedule-refused"});
  Ok(refused);
  EXPECT_NE(refused.out.find("vro-cc-app"), std::string::npos);
}

TEST(ServeScheduled, ListedAndCancelledFromTheCommandLine) {
  Sandbox box;
  ThroughWednesday(box);
  Ok(box.Captain("2026-12-02T16:00:00Z", {"deploy", kId, "--tier", "prod", "--at",
                                          "2026-12-03T15:40:00Z", "--by", "alice"}));
  auto list = box.Captain("2026-12-02T16:01:00Z", {"scheduled", "list"});
  Ok(list);
  EXPECT_NE(list.out.find("#1  2026-12-03T15:40:00Z  2026-12-01 prod  pending"), std::string::npos)
      << list.out;
  Ok(box.Captain("2026-12-02T16:02:00Z", {"scheduled", "cancel", "1", "--by", "alice"}));
  auto again = box.Captain("2026-12-02T16:03:00Z", {"scheduled", "cancel", "1", "--by", "alice"});
  EXPECT_EQ(again.code, 3) << again.err;
  auto run = box.Captain("2026-12-03T16:00:00Z", {"scheduled", "run"});
  Ok(run);
  EXPECT_EQ(run.out, "nothing due\n");
  // Before its milestone: refused with exit 3.
  auto early = box.Captain("2026-12-02T16:05:00Z", {"deploy", kId, "--tier", "prod", "--at",
                                                    "2026-12-03T08:00:00Z", "--by", "alice"});
  EXPECT_EQ(early.code, 3) << early.err;
}

}  // namespace
}  // namespace captain::testing
