// Two daemons on one PostgreSQL through a release day: the scheduler's leader is killed in the
// middle of announcing, and again in the middle of a scheduled deploy. The other daemon takes
// over within server.failover_seconds and every milestone, Slack message and GitOps commit
// happens exactly once.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "store/store.h"
#include "testing/daemon.h"
#include "testing/fake_slack.h"
#include "testing/pg_server.h"
#include "testing/release_flow.h"
#include "testing/slack_checks.h"

namespace captain::testing {
namespace {

constexpr int kFailoverSeconds = 3;

void UsePostgres(const Sandbox& box, const std::string& url) {
  std::string cfg = Slurp(box.Path("captain.yaml"));
  auto at = cfg.find("\ndatabase: ");
  ASSERT_NE(at, std::string::npos);
  auto eol = cfg.find('\n', at + 1);
  cfg.replace(at + 1, eol - at - 1, "database: \"" + url + "\"");
  std::ofstream(box.Path("captain.yaml")) << cfg;
}

int CountAudit(Store& store, const std::string& action) {
  int n = 0;
  AuditQuery q;
  q.action = action;
  EXPECT_TRUE(store
                  .ForEachAudit(q,
                                [&](const AuditEntry&) -> Status {
                                  ++n;
                                  return {};
                                })
                  .ok());
  return n;
}

// How many times `needle` occurs in `text`.
int Occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = 0; (at = text.find(needle, at)) != std::string::npos; at += needle.size()) ++n;
  return n;
}

// How many times daemon `d` has taken the scheduler's lease.
int TimesLed(const Daemon& d) {
  return Occurrences(Slurp(d.log()), "scheduler: this daemon runs the ticks");
}

// Starts two daemons that die at `crash_at` (only the first to get there), waits for the leader
// to die and the other to take over; returns the survivor's index and prints the takeover time.
struct Pair {
  std::unique_ptr<Daemon> d[2];
  int survivor = -1;
};

void KillLeaderAt(const Sandbox& box, const std::string& now, const std::string& crash_at,
                  const std::string& tag, Pair& p) {
  std::vector<std::string> env = {"CAPTAIN_SLACK_BOT_TOKEN=xoxb-test-token",
                                  "CAPTAIN_CRASH_AT=" + crash_at,
                                  "CAPTAIN_CRASH_ONCE=" + box.Path("crashed-" + tag)};
  for (int i = 0; i < 2; ++i) {
    p.d[i] = std::make_unique<Daemon>(box, now, tag + "-" + std::to_string(i) + ".log", env);
    ASSERT_GT(p.d[i]->port(), 0) << Slurp(p.d[i]->log());
  }
  int dead = -1;
  ASSERT_TRUE(Eventually(
      [&] {
        for (int i = 0; i < 2; ++i) {
          if (p.d[i]->Exited()) dead = i;
        }
        return dead >= 0;
      },
      60))
      << "no daemon reached " << crash_at;
  auto died = std::chrono::steady_clock::now();
  ASSERT_GT(TimesLed(*p.d[dead]), 0) << "the one that died was not the leader";
  EXPECT_TRUE(p.d[dead]->Killed()) << "killed with SIGKILL (-9)";
  p.survivor = 1 - dead;
  Daemon& other = *p.d[p.survivor];
  // The survivor may have led before (the first round), so look for a fresh line.
  int led_before = TimesLed(other);
  ASSERT_TRUE(Eventually([&] { return TimesLed(other) > led_before; }, kFailoverSeconds * 4))
      << Slurp(other.log());
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - died)
          .count();
  std::cout << "failover: the leader died at " << crash_at << "; the other daemon took over after "
            << ms << " ms (server.failover_seconds: " << kFailoverSeconds << ")\n";
  EXPECT_LE(ms, kFailoverSeconds * 1000 + 500);
}

TEST(Failover, TwoDaemonsOnPostgresActOnceWhenTheLeaderIsKilledTwice) {
  Sandbox box;
  FakeSlack slack;
  std::string url = PgServer::Get().NewDatabase();
  UsePostgres(box, url);
  std::ofstream(box.Path("captain.yaml"), std::ios::app)
      << "\nslack:\n  api_base: " << slack.base() << "\n  timeout_seconds: 5\n";
  ConfigureServer(box, "  failover_seconds: " + std::to_string(kFailoverSeconds) + "\n");
  ExpectOk(box.Captain("2026-12-01T12:00:00Z", {"init"}));
  std::string report =
      std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/evidence/secrel-run-2026-12-01.json";
  ExpectOk(box.Captain("2026-12-01T12:00:00Z", {"evidence", "import", report, "--by", "secrel"}));
  ExpectOk(box.Captain("2026-12-01T12:00:00Z",
                       {"evidence", "develop", "--commit", kFlowHead, "--by", "ci"}));
  auto store = OpenStore(url);
  ASSERT_TRUE(store.ok()) << store.error().Text();

  // 09:05 ET: the leader dies with the announcement queued but not committed.
  {
    Pair p;
    KillLeaderAt(box, "2026-12-01T14:05:00Z", "tick-announce", "announce", p);
    ASSERT_GE(p.survivor, 0);
    ASSERT_TRUE(Eventually([&] { return CountAudit(**store, "tick.announce") == 1; }, 30));
    ASSERT_TRUE(Eventually([&] { return *(*store)->CountMessages("pending") == 0; }, 30));
    EXPECT_EQ(p.d[p.survivor]->Stop(), 0);
  }
  ExpectOk(box.Captain("2026-12-01T16:00:00Z", {"opt", "in", "--release", kFlowRelease, "--team",
                                                "cc", "--by", "cc-lead"}));
  ExpectOk(box.Captain("2026-12-01T20:00:00Z", {"tick"}));
  ExpectOk(box.Captain("2026-12-01T20:01:00Z", {"deploy", kFlowRelease, "--tier", "lower", "--at",
                                                "2026-12-01T20:06:00Z", "--by", "alice"}));

  // 15:10 ET: the leader runs the scheduled lower deploy and dies after its first push.
  {
    Pair p;
    KillLeaderAt(box, "2026-12-01T20:10:00Z", "deploy-after-push", "deploy", p);
    ASSERT_GE(p.survivor, 0);
    ASSERT_TRUE(Eventually(
        [&] {
          auto steps = (*store)->ListScheduled(/*pending_only=*/false);
          return steps.ok() && steps->size() == 1 && steps->front().state == "done";
        },
        60))
        << Slurp(p.d[p.survivor]->log());
    ASSERT_TRUE(Eventually([&] { return *(*store)->CountMessages("pending") == 0; }, 30));
    EXPECT_EQ(p.d[p.survivor]->Stop(), 0);
  }

  EXPECT_EQ(CountAudit(**store, "tick.announce"), 1);
  EXPECT_EQ(CountAudit(**store, "release.open"), 1);
  auto done = (*store)->DoneActions(kFlowRelease);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(std::count(done->begin(), done->end(), "announce"), 1);
  EXPECT_EQ(CountAudit(**store, "deploy.recovered"), 1) << "the dead leader's push was recorded";
  std::string log = box.Shell("git --git-dir=remote.git log --format=%s main");
  for (const char* env : {"dev", "qa", "sandbox"}) {
    std::string needle = std::string("deploy(") + env + "): ";
    EXPECT_EQ(Occurrences(log, needle), 1) << env << " in:\n" << log;
  }
  auto list = box.Captain("2026-12-01T20:30:00Z", {"--json", "notify", "list"});
  ExpectOk(list);
  ExpectEachOnceInOrder(nlohmann::json::parse(list.out)["messages"], slack);
}

}  // namespace
}  // namespace captain::testing
