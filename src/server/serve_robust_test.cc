// captain serve under load, beside a second daemon, and killed mid-deploy.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "testing/daemon.h"

namespace captain::testing {
namespace {

constexpr const char* kHead = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
const std::string kRel = "/api/v1/releases/2026-12-01";

// The example's evidence and develop head, uploaded by CI.
void UploadEvidence(const Daemon& d) {
  std::string report =
      Slurp(std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/evidence/secrel-run-2026-12-01.json");
  ASSERT_EQ(d.Send("POST", "/api/v1/evidence/reports", "ci-bot", report).status, 200);
  ASSERT_EQ(d.Post("/api/v1/evidence/develop", "ci-bot", {{"commit", kHead}}).status, 200);
}

size_t AuditCount(const Daemon& d, const std::string& action) {
  auto r = d.Get("/api/v1/audit?action=" + action);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json["entries"].size();
}

TEST(ServeLoad, FiftyClientsAtOnce) {
  Sandbox box;
  ConfigureServer(box);
  {
    Daemon d(box, "2026-12-01T14:00:30Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    d.WaitFor("/api/v1/releases",
              [](const Reply& r) { return r.status == 200 && r.json["releases"].size() == 1; });
    UploadEvidence(d);
    EXPECT_EQ(d.Stop(), 0);
  }
  // Five minutes past the opt deadline: captains record late answers, teams are refused,
  // plans are read, a deploy starts (once), ticks run.
  Daemon d(box, "2026-12-01T20:05:00Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  int commits_before = box.RemoteCommits();
  std::atomic<int> opt_ok{0}, deploys_started{0}, unexpected{0};
  std::vector<std::string> jobs(50);
  std::vector<std::string> problems(50);
  std::vector<std::thread> clients;
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&, i] {
      Reply r;
      std::string team = i % 2 ? "cc" : "ee";
      switch (i % 5) {
        case 0:  // a captain accepts a late answer
          r = d.Post(kRel + "/opt", "alice",
                     {{"team", team}, {"answer", "in"}, {"late_reason", "asked on call"}});
          if (r.status == 200) ++opt_ok;
          break;
        case 1:  // a team answers late by itself: refused by policy
          r = d.Post(kRel + "/opt", team + "-lead", {{"team", team}, {"answer", "in"}});
          if (r.status == 200) ++opt_ok;
          break;
        case 2:
          r = d.Get(kRel + "/plan?tier=lower", "watcher");
          break;
        case 3:
          r = d.Post(kRel + "/deploy", "alice", {{"tier", "lower"}});
          if (r.status == 202) {
            ++deploys_started;
            jobs[i] = r.json["job"].get<std::string>();
          }
          break;
        case 4:
          r = d.Post("/api/v1/tick", "alice", nlohmann::json::object());
          break;
      }
      bool fine = (r.status >= 200 && r.status < 300) ||
                  ((r.status == 409 || r.status == 422) && r.json.contains("error"));
      if (!fine) {
        ++unexpected;
        problems[i] =
            "client " + std::to_string(i) + ": " + std::to_string(r.status) + " " + r.body;
      }
    });
  }
  for (auto& t : clients) t.join();
  for (const auto& p : problems) EXPECT_EQ(p, "");
  EXPECT_EQ(unexpected, 0);
  for (const auto& job : jobs) {
    if (job.empty()) continue;
    auto j = d.WaitJob(job);
    EXPECT_EQ(j.json["state"], "succeeded") << j.body;
  }
  EXPECT_GE(deploys_started, 1);
  // One audit entry per accepted change; one commit per environment per deploy that changed
  // something (a deploy started after the first one ended, once late answers brought more
  // services in, legitimately pushes again; one started while another runs is refused).
  EXPECT_EQ(AuditCount(d, "opt.in"), static_cast<size_t>(opt_ok.load()));
  EXPECT_EQ(opt_ok, 10);
  int added = box.RemoteCommits() - commits_before;
  EXPECT_GE(added, 3);
  EXPECT_EQ(added % 3, 0) << added;
  EXPECT_LE(added / 3, deploys_started.load()) << added;
  auto drift = d.Get("/api/v1/drift");
  EXPECT_EQ(drift.json["clean"], true) << drift.body;
  EXPECT_EQ(d.Stop(), 0);
}

TEST(ServeLoad, TwoDaemonsActOnEachMilestoneOnce) {
  Sandbox box;
  ConfigureServer(box);
  // A simulated day: both daemons started just before each of Tuesday's and Thursday's
  // clock-driven milestones.
  for (const char* now : {"2026-12-01T13:59:58Z", "2026-12-01T19:59:58Z", "2026-12-03T13:59:58Z"}) {
    Daemon a(box, now, "a.log"), b(box, now, "b.log");
    ASSERT_GT(a.port(), 0) << Slurp(a.log());
    ASSERT_GT(b.port(), 0) << Slurp(b.log());
    std::this_thread::sleep_for(std::chrono::seconds(4));
    EXPECT_EQ(a.Stop(), 0);
    EXPECT_EQ(b.Stop(), 0);
  }
  Daemon d(box, "2026-12-03T14:00:10Z");
  EXPECT_EQ(AuditCount(d, "release.open"), 1u);
  EXPECT_EQ(AuditCount(d, "tick.announce"), 1u);
  EXPECT_EQ(AuditCount(d, "tick.defect-cutoff"), 1u);
  // Every service of the two partner teams answered nothing: one no-response each.
  auto silent = d.Get("/api/v1/audit?action=opt.no-response");
  std::set<std::string> services;
  for (const auto& e : silent.json["entries"]) services.insert(e["subject"].get<std::string>());
  EXPECT_EQ(services.size(), silent.json["entries"].size()) << silent.body;
  EXPECT_FALSE(services.empty());
  // Each step was taken by one daemon, once, across both logs. (The lease may pass from one
  // daemon of a pair to the other when the first stops: that is the handover.)
  std::string logs = Slurp(box.Path("a.log")) + Slurp(box.Path("b.log"));
  for (const char* step :
       {"tick: 2026-12-01: opened", "tick: 2026-12-01: announce",
        "tick: 2026-12-01: close-opt-window", "tick: 2026-12-01: defect-cutoff"}) {
    size_t n = 0;
    for (size_t at = logs.find(step); at != std::string::npos; at = logs.find(step, at + 1)) ++n;
    EXPECT_EQ(n, 1u) << step << "\n" << logs;
  }
}

TEST(ServeCrash, KilledMidDeployRecoversOnStart) {
  Sandbox box;
  ConfigureServer(box);
  {
    Daemon d(box, "2026-12-01T14:00:30Z");
    ASSERT_GT(d.port(), 0);
    d.WaitFor("/api/v1/releases",
              [](const Reply& r) { return r.status == 200 && r.json["releases"].size() == 1; });
    UploadEvidence(d);
    EXPECT_EQ(d.Stop(), 0);
  }
  int commits_before = box.RemoteCommits();
  {
    // The daemon dies (SIGKILL, from the crash point) after qa's push lands, before its record.
    Daemon d(box, "2026-12-01T20:05:00Z", "serve.log", {"CAPTAIN_CRASH_AT=deploy-after-push:2"});
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    auto started = d.Post(kRel + "/deploy", "alice", {{"tier", "lower"}});
    ASSERT_EQ(started.status, 202) << started.body;
    ASSERT_TRUE(d.WaitExit(60)) << Slurp(d.log());
  }
  EXPECT_EQ(box.RemoteCommits(), commits_before + 2);
  Daemon d(box, "2026-12-01T20:10:00Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  EXPECT_NE(Slurp(d.log()).find("recovered: "), std::string::npos) << Slurp(d.log());
  auto drift = d.Get("/api/v1/drift");
  EXPECT_EQ(drift.json["clean"], true) << drift.body;
  // Deploying the step again finishes it: sandbox is pushed, nothing is applied twice.
  auto again = d.Post(kRel + "/deploy", "alice", {{"tier", "lower"}});
  ASSERT_EQ(again.status, 202) << again.body;
  auto job = d.WaitJob(again.json["job"].get<std::string>());
  EXPECT_EQ(job.json["state"], "succeeded") << job.body;
  EXPECT_EQ(box.RemoteCommits(), commits_before + 3);
  drift = d.Get("/api/v1/drift");
  EXPECT_EQ(drift.json["clean"], true) << drift.body;
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace captain::testing

namespace captain::testing {
namespace {

TEST(ServeSignals, SighupReloadsOrKeepsTheOldConfigurationAndJsonLogs) {
  Sandbox box;
  ConfigureServer(box);
  std::string good = Slurp(box.Path("captain.yaml"));
  Daemon d(box, "2026-12-01T16:00:00Z", "serve.log", {}, {"--log-format", "json"});
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  EXPECT_EQ(d.Get("/api/v1/releases", "alice").status, 200);
  // An invalid file: refused, the old configuration stays.
  std::ofstream(box.Path("captain.yaml")) << good << "unknown_section: 1\n";
  kill(d.pid(), SIGHUP);
  auto logged = [&](const std::string& what) {
    for (int i = 0; i < 100; ++i) {
      if (Slurp(d.log()).find(what) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(logged("reload refused")) << Slurp(d.log());
  EXPECT_EQ(d.Get("/api/v1/releases", "alice").status, 200);
  EXPECT_EQ(d.Send("GET", "/api/v1/releases", "newcomer").status, 401);
  // A valid one with a new token: taken.
  std::ofstream(box.Path("captain.yaml"))
      << good << "    - {name: newcomer, sha256: " << Sha256Hex("token-newcomer")
      << ", roles: [viewer]}\n";
  kill(d.pid(), SIGHUP);
  ASSERT_TRUE(logged("configuration reloaded")) << Slurp(d.log());
  EXPECT_EQ(d.Get("/api/v1/releases", "newcomer").status, 200);
  EXPECT_EQ(d.Stop(), 0);
  // Every log line is one JSON object with a time, a level and a message.
  std::istringstream lines(Slurp(d.log()));
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << line;
    EXPECT_TRUE(j.contains("at") && j.contains("level") && j.contains("msg")) << line;
  }
  EXPECT_GE(n, 4);
}

}  // namespace
}  // namespace captain::testing
