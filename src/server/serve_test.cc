// captain serve end to end: a whole standard release driven through the API only, with the
// scheduler acting on the milestones by itself.
#include <gtest/gtest.h>

#include "testing/daemon.h"

namespace captain::testing {
namespace {

constexpr const char* kRelease = "2026-12-01";
constexpr const char* kHead = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";

std::string Path(const std::string& tail) {
  return std::string("/api/v1/releases/") + kRelease + tail;
}

// Audit entries of the release with this action.
std::vector<nlohmann::json> Audit(const Daemon& d, const std::string& action) {
  auto r = d.Get("/api/v1/audit?release=" + std::string(kRelease) + "&action=" + action);
  EXPECT_EQ(r.status, 200) << r.body;
  std::vector<nlohmann::json> out;
  for (const auto& e : r.json["entries"]) out.push_back(e);
  return out;
}

std::string Decision(const nlohmann::json& plan, const std::string& service) {
  for (const auto& s : plan["services"]) {
    if (s["service"] == service) {
      std::string reason = s["reason"].is_string() ? s["reason"].get<std::string>() : "";
      return s["decision"].get<std::string>() + "/" + reason;
    }
  }
  return "missing";
}

// Deploys a step as a job and waits for it; returns the finished job.
nlohmann::json DeployJob(const Daemon& d, const std::string& tier) {
  auto started = d.Post(Path("/deploy"), "alice", {{"tier", tier}});
  EXPECT_EQ(started.status, 202) << started.body;
  auto job = d.WaitJob(started.json.value("job", ""));
  EXPECT_EQ(job.json.value("state", ""), "succeeded") << job.body;
  return job.json;
}

TEST(Serve, StandardReleaseThroughTheApiOnly) {
  Sandbox box;
  ConfigureServer(box);
  std::string report =
      Slurp(std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/evidence/secrel-run-2026-12-01.json");
  int commits_before = box.RemoteCommits();
  {
    // Tuesday, three seconds before the 09:00 ET announcement: nobody types `tick`.
    Daemon d(box, "2026-12-01T13:59:57Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    auto list = d.WaitFor("/api/v1/releases", [](const Reply& r) {
      return r.status == 200 && r.json["releases"].size() == 1;
    });
    ASSERT_EQ(list.json["releases"].size(), 1u) << list.body;
    EXPECT_EQ(list.json["releases"][0]["id"], kRelease);
    auto announced = d.WaitFor("/api/v1/audit?action=tick.announce", [](const Reply& r) {
      return r.status == 200 && r.json["entries"].size() == 1;
    });
    ASSERT_EQ(announced.json["entries"].size(), 1u) << announced.body;

    // CI uploads the evidence; a partner team opts in with its own token.
    auto up = d.Send("POST", "/api/v1/evidence/reports", "ci-bot", report);
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json["images"], 10);
    auto head = d.Post("/api/v1/evidence/develop", "ci-bot", {{"commit", kHead}});
    ASSERT_EQ(head.status, 200) << head.body;
    auto opt = d.Post(Path("/opt"), "cc-lead", {{"team", "cc"}, {"answer", "in"}});
    ASSERT_EQ(opt.status, 200) << opt.body;
    auto opts = Audit(d, "opt.in");
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0]["actor"], "cc-lead");
    EXPECT_EQ(d.Stop(), 0) << Slurp(d.log());
  }
  {
    // Two seconds before the 15:00 ET deadline: the window closes by itself, ee said nothing.
    Daemon d(box, "2026-12-01T19:59:58Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    auto closed = d.WaitFor("/api/v1/audit?action=opt.no-response", [](const Reply& r) {
      return r.status == 200 && !r.json["entries"].empty();
    });
    ASSERT_FALSE(closed.json["entries"].empty()) << closed.body;
    auto plan = d.Get(Path("/plan?tier=lower"));
    ASSERT_EQ(plan.status, 200) << plan.body;
    EXPECT_EQ(Decision(plan.json, "vro-cc-app"), "deploy/");
    EXPECT_EQ(Decision(plan.json, "vro-ee-max-cfi-app"), "skip/no-response");

    auto job = DeployJob(d, "lower");
    EXPECT_EQ(job["result"]["environments"].size(), 3u) << job.dump();
    EXPECT_EQ(job["progress"], nlohmann::json({"dev: start", "dev: done", "qa: start", "qa: done",
                                               "sandbox: start", "sandbox: done"}));
    EXPECT_EQ(box.RemoteCommits(), commits_before + 3);
    auto deploys = Audit(d, "deploy");
    for (const auto& e : deploys) EXPECT_EQ(e["actor"], "alice");
    EXPECT_EQ(d.Stop(), 0);
  }
  {
    // Wednesday: validation, health, a defect opened and resolved by the team.
    Daemon d(box, "2026-12-02T15:00:00Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    for (auto [who, team] : {std::pair{"vro-lead", "vro"}, std::pair{"cc-lead", "cc"}}) {
      auto so = d.Post(Path("/signoffs"), who, {{"team", team}, {"env", "qa"}});
      ASSERT_EQ(so.status, 200) << so.body;
    }
    auto health = d.Post(Path("/health"), "cc-lead",
                         {{"env", "qa"}, {"service", "vro-cc-app"}, {"healthy", true}});
    EXPECT_EQ(health.status, 200) << health.body;
    auto defect = d.Post(Path("/defects"), "cc-lead",
                         {{"service", "vro-cc-app"}, {"title", "claim form rejects dates"}});
    ASSERT_EQ(defect.status, 200) << defect.body;
    auto resolved = d.Post("/api/v1/defects/" + defect.json["id"].dump() + "/resolve", "cc-lead",
                           nlohmann::json::object());
    EXPECT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_EQ(d.Stop(), 0);
  }
  {
    // Thursday, just before the 09:00 ET defect cutoff; then prod-test and prod.
    Daemon d(box, "2026-12-03T13:59:58Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    auto cutoff = d.WaitFor("/api/v1/audit?action=tick.defect-cutoff", [](const Reply& r) {
      return r.status == 200 && r.json["entries"].size() == 1;
    });
    ASSERT_EQ(cutoff.json["entries"].size(), 1u) << cutoff.body;
    EXPECT_EQ(d.Stop(), 0);
  }
  {
    // 10:00 ET: prod-test, its sign-offs, prod, and the release's sign-off.
    Daemon d(box, "2026-12-03T15:00:00Z");
    ASSERT_GT(d.port(), 0) << Slurp(d.log());
    DeployJob(d, "prod-test");
    for (auto [who, team] : {std::pair{"vro-lead", "vro"}, std::pair{"cc-lead", "cc"}}) {
      auto so = d.Post(Path("/signoffs"), who, {{"team", team}, {"env", "prod-test"}});
      ASSERT_EQ(so.status, 200) << so.body;
    }
    DeployJob(d, "prod");
    for (auto [who, team] : {std::pair{"vro-lead", "vro"}, std::pair{"cc-lead", "cc"}}) {
      auto so = d.Post(Path("/signoffs"), who, {{"team", team}, {"env", "prod"}});
      ASSERT_EQ(so.status, 200) << so.body;
    }
    auto final_signoff = d.Post(Path("/signoff"), "alice", nlohmann::json::object());
    ASSERT_EQ(final_signoff.status, 200) << final_signoff.body;
    auto show = d.Get(Path(""));
    ASSERT_EQ(show.status, 200);
    EXPECT_EQ(show.json["state"], "signed-off") << show.body.substr(0, 400);
    auto drift = d.Get("/api/v1/drift");
    ASSERT_EQ(drift.status, 200) << drift.body;
    EXPECT_EQ(drift.json["clean"], true) << drift.body;
    EXPECT_EQ(box.RemoteCommits(), commits_before + 5);
    EXPECT_EQ(d.Stop(), 0);
  }
}

TEST(Serve, ViewsFollowEveryChangeAtOnce) {
  Sandbox box;
  ConfigureServer(box);
  Daemon d(box, "2026-12-01T16:00:00Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  d.WaitFor("/api/v1/releases",
            [](const Reply& r) { return r.status == 200 && r.json["releases"].size() == 1; });
  // The same view read twice, then after each change within the same second: never stale.
  for (int round = 0; round < 3; ++round) {
    std::string answer = round % 2 ? "out" : "in";
    auto before = d.Get(Path("/plan?tier=lower"));
    ASSERT_EQ(before.status, 200);
    EXPECT_EQ(d.Get(Path("/plan?tier=lower")).body, before.body);
    auto opt = d.Post(Path("/opt"), "cc-lead", {{"team", "cc"}, {"answer", answer}});
    ASSERT_EQ(opt.status, 200) << opt.body;
    auto after = d.Get(Path("/plan?tier=lower"));
    std::string decision = Decision(after.json, "vro-cc-app");
    EXPECT_EQ(decision, answer == "in" ? "skip/no-image" : "skip/opted-out") << after.body;
    auto show = d.Get(Path(""));
    std::string shown = "missing";
    for (const auto& s : show.json["services"]) {
      if (s["service"] == "vro-cc-app") shown = s["opt"].get<std::string>();
    }
    EXPECT_EQ(shown, answer);
  }
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace captain::testing
