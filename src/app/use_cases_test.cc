// The use cases on an in-memory store and GitOps repository: overrides, release updates,
// cancels and notes, the tick's messages, rollback and its incident, recovery of interrupted
// deploys, and signature ages, with no SQLite file, git or process in between.
#include <gtest/gtest.h>

#include "app/deploy.h"
#include "app/evidence.h"
#include "app/participation.h"
#include "app/releases.h"
#include "app/rollback.h"
#include "app/tick.h"
#include "config/loader.h"
#include "testing/cli_fixture.h"
#include "testing/memory_store.h"

namespace captain {
namespace {

using testing::kHead;
using testing::kOther;

const std::string kId = "2026-12-01";

Config VroConfig() {
  auto c = LoadConfig(std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/captain.yaml");
  EXPECT_TRUE(c.ok()) << c.error().message;
  Config config = std::move(c).value();
  config.registry = {};  // run-example.sh's loopback registry is not running here
  return config;
}

std::map<std::string, std::string> SeedFiles(const Config& c) {
  std::map<std::string, std::string> files;
  for (const auto& s : c.services) {
    for (const auto& e : c.environments) {
      files[c.LocationOf(s, e.name).file] = "image:\n  tag: \"0000000\"  # set by captain\n";
    }
  }
  return files;
}

class UseCasesTest : public ::testing::Test {
 protected:
  UseCasesTest() : config(VroConfig()), repo(SeedFiles(config)) {}

  void At(const std::string& t) { clock.Set(*ParseInstant(t)); }
  template <typename R>
  void Must(const R& r) {
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  // Tuesday up to the closed opt window; `scans` overrides some services' scan results.
  // A false gate error still builds and signs the image (the policy's "incorrect Aqua gate").
  void Collect(const std::string& gate_error = "") {
    auto report = nlohmann::json::parse(testing::Report("run-1", kHead, testing::AllScans()));
    for (auto& img : report["images"]) {
      if (img["service"] == gate_error) img["scan"] = "gate-error";
    }
    At("2026-12-01T12:00:00Z");
    Must(ImportRunReport(app, report.dump(), "run1.json", "secrel"));
    Must(RecordDevelopHead(app, kHead, "secrel"));
    At("2026-12-01T14:05:00Z");
    Must(Tick(app));
    At("2026-12-01T16:00:00Z");
    Must(RecordOpt(app, {kId, "cc", {}, OptAnswer::kIn, "bob", ""}));
    At("2026-12-01T20:05:00Z");
    Must(Tick(app));
  }
  std::map<std::string, std::string> PlanOf(const std::string& step) {
    auto p = PlanRelease(app, kId, step);
    EXPECT_TRUE(p.ok());
    std::map<std::string, std::string> out;
    for (const auto& d : p->decisions) out[d.service] = d.deploy ? "deploy" : d.reason;
    return out;
  }
  std::vector<std::string> Messages(const std::string& channel) {
    std::vector<std::string> out;
    auto outbox = store.ListOutbox(false);  // kept: the loop must not outlive it
    for (const auto& m : *outbox) {
      if (m.channel == channel && m.update_key.empty()) out.push_back(m.text);
    }
    return out;
  }
  int Audited(const std::string& action) {
    int n = 0;
    auto audit = store.ListAudit("");
    for (const auto& e : *audit) n += e.action == action;
    return n;
  }

  Config config;
  testing::MemoryStore store;
  FixedClock clock{*ParseInstant("2026-11-30T15:00:00Z")};
  App app{config, store, clock};
  testing::MemoryRepo repo;
};

TEST_F(UseCasesTest, OverrideAcceptsOnlyAGateError) {
  Collect("vro-cc-app");
  EXPECT_EQ(PlanOf("lower")["vro-cc-app"], "scan-failed");
  auto refused = OverrideGate(app, kId, "rabbitmq", "false Aqua gate", "alice");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ExitCode::kPolicy);
  EXPECT_EQ(OverrideGate(app, kId, "vro-cc-app", "", "alice").error().code, ExitCode::kUsage);
  Must(OverrideGate(app, kId, "vro-cc-app", "false Aqua gate", "alice"));
  EXPECT_EQ(PlanOf("lower")["vro-cc-app"], "deploy");
  EXPECT_EQ(Audited("gate.override"), 1);
}

TEST_F(UseCasesTest, ReleaseUpdateNoteCancelAndList) {
  Collect();
  EXPECT_EQ(UpdateCandidate(app, kId, "", kOther, "alice").error().code, ExitCode::kPolicy);
  EXPECT_EQ(UpdateCandidate(app, kId, "", "xyz", "alice").error().code, ExitCode::kUsage);
  Must(UpdateCandidate(app, kId, "", kHead.substr(0, 7), "alice"));
  EXPECT_EQ((*store.FindRelease(kId))->candidate_commit, kHead);

  EXPECT_EQ(AddReleaseNote(app, kId, "gossip", "x", "alice").error().code, ExitCode::kUsage);
  Must(AddReleaseNote(app, kId, "bug-fixes", "BGS retries", "alice"));
  Must(AddReleaseNote(app, kId, "signature-refresh", "", "alice"));
  EXPECT_EQ(store.LoadFacts(kId)->notes.size(), 2u);

  Must(CancelRelease(app, kId, "vro-streamlit", "dashboard move", "alice"));
  EXPECT_EQ(PlanOf("lower")["vro-streamlit"], "opted-out");
  EXPECT_EQ(PlanOf("lower")["rabbitmq"], "deploy");
  EXPECT_EQ((*store.FindRelease(kId))->state, ReleaseState::kOptClosed);
  Must(CancelRelease(app, kId, "", "train skipped", "alice"));
  EXPECT_EQ((*store.FindRelease(kId))->state, ReleaseState::kCancelled);
  Must(CancelRelease(app, kId, "", "again", "alice"));  // already cancelled: nothing changes
  EXPECT_EQ(Audited("release.cancel-service"), 1);
  auto list = ListReleases(app);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, kId);
}

TEST_F(UseCasesTest, TickQueuesEachMessageOnce) {
  Collect();
  auto on_call = Messages("#benefits-vro-on-call");
  ASSERT_EQ(on_call.size(), 1u);
  EXPECT_NE(on_call[0].find("opt in or out by 2026-12-01 15:00 EST"), std::string::npos);
  auto announce = Messages("#benefits-vro");
  ASSERT_EQ(announce.size(), 1u);
  EXPECT_NE(announce[0].find("No response (out): vro-ee-max-cfi-app, vro-ee-ep-merge-app"),
            std::string::npos)
      << announce[0];
  At("2026-12-01T20:10:00Z");
  Must(Deploy(app, repo, {kId, "lower", "", false, "alice"}));
  At("2026-12-02T22:00:00Z");  // validation deadline: nobody signed off
  Must(Tick(app));
  // deployed to dev, qa and sandbox, then the reminder
  EXPECT_EQ(Messages("#benefits-slack-alerts-cc").size(), 4u);
  EXPECT_NE(Messages("#benefits-slack-alerts-cc").back().find("has not signed off"),
            std::string::npos);
  At("2026-12-03T14:00:00Z");
  Must(Tick(app));
  EXPECT_NE(Messages("#benefits-vro").back().find("defect cutoff. Not deployed higher:"),
            std::string::npos);
  size_t before = store.ListOutbox(false)->size();
  Must(Tick(app));
  EXPECT_EQ(store.ListOutbox(false)->size(), before);
}

TEST_F(UseCasesTest, RollbackRestoresOpensAnIncidentAndTellsTheTeam) {
  Collect();
  At("2026-12-01T20:10:00Z");
  auto deployed = Deploy(app, repo, {kId, "lower", "", false, "alice"});
  ASSERT_TRUE(deployed.ok()) << deployed.error().message;
  EXPECT_EQ(repo.commits().size(), 4u);
  At("2026-12-02T15:00:00Z");
  RollbackArgs a;
  a.release_id = kId;
  a.env = "qa";
  a.services = {"vro-cc-app"};
  a.reason = "CFI lookups fail";
  a.by = "alice";
  a.root_cause = "RC Partner Team";
  a.blocker = true;
  // A dry run says what would be restored, and changes nothing.
  a.dry_run = true;
  auto preview = Rollback(app, repo, a);
  ASSERT_TRUE(preview.ok()) << preview.error().message;
  EXPECT_EQ(preview->restored,
            (std::vector<std::pair<std::string, std::string>>{{"vro-cc-app", "0000000"}}));
  EXPECT_EQ(repo.commits().size(), 4u);
  EXPECT_TRUE(store.ListIncidents()->empty());
  EXPECT_EQ(preview->incident_id, 0);
  a.dry_run = false;
  auto out = Rollback(app, repo, a);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->restored,
            (std::vector<std::pair<std::string, std::string>>{{"vro-cc-app", "0000000"}}));
  EXPECT_NE(repo.ReadFile("deploy/vro-cc-app/values-qa.yaml")->find("\"0000000\""),
            std::string::npos);
  const auto& last = repo.commits().back();
  EXPECT_NE(std::find(last.trailers.begin(), last.trailers.end(), Trailer{"Rollback", "true"}),
            last.trailers.end());
  auto incidents = store.ListIncidents();
  ASSERT_EQ(incidents->size(), 1u);
  const Incident& inc = (*incidents)[0];
  EXPECT_EQ(inc.reported_by_team, "cc");
  EXPECT_TRUE(inc.blocker);
  EXPECT_EQ(inc.root_cause, "RC Partner Team");
  EXPECT_EQ(inc.gitops_commit, last.id);
  auto timeline = store.ListAudit(kId);
  std::string md = IncidentMarkdown(inc, *timeline);
  EXPECT_NE(md.find("| Root cause | RC Partner Team |"), std::string::npos) << md;
  EXPECT_NE(md.find("alice: rollback qa"), std::string::npos) << md;
  EXPECT_NE(Messages("#benefits-slack-alerts-cc").back().find("incident #1"), std::string::npos);
  EXPECT_EQ(store.PendingIntents()->size(), 0u);
}

TEST_F(UseCasesTest, RecoveryRecordsWhatLandedAndAbandonsWhatDidNot) {
  Collect();
  auto intent = [&](const std::string& id, const std::string& env) {
    DeployIntent i;
    i.id = id;
    i.release_id = kId;
    i.env = env;
    i.step = "lower";
    i.changes = R"([{"service":"vro-cc-app","file":"deploy/vro-cc-app/values-)" + env +
                R"(.yaml","key":"image.tag","old_tag":"0000000","new_tag":"4f2a9c1","commit":")" +
                kHead + R"(","signed_at":null}])";
    i.by = "alice";
    i.created_at = clock.Now();
    return i;
  };
  Must(store.AddIntent(intent("landed", "dev")));
  Must(store.AddIntent(intent("lost", "qa")));
  // The first one's commit is on the remote; the second's never arrived.
  Must(repo.CommitAndPush(
      [](GitopsRepo& r) -> Result<std::vector<FileEdit>> {
        auto text = r.ReadFile("deploy/vro-cc-app/values-dev.yaml");
        std::string t = *text;
        t.replace(t.find("0000000"), 7, "4f2a9c1");
        return std::vector<FileEdit>{{"deploy/vro-cc-app/values-dev.yaml", t}};
      },
      {"deploy(dev)", "", {{"Captain-Deploy", "landed"}}, "", "", std::nullopt}));
  At("2026-12-01T20:20:00Z");
  auto report = RecoverDeploys(app, repo);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->size(), 2u);
  EXPECT_NE((*report)[0].find("had landed as c1; recorded"), std::string::npos) << (*report)[0];
  EXPECT_NE((*report)[1].find("never reached the remote; abandoned"), std::string::npos);
  EXPECT_EQ(Audited("deploy.recovered"), 1);
  EXPECT_EQ(Audited("deploy.abandoned"), 1);
  auto facts = store.LoadFacts(kId);
  ASSERT_EQ(facts->deployments.size(), 1u);
  EXPECT_EQ(facts->deployments[0].env, "dev");
  EXPECT_EQ(facts->deployments[0].gitops_commit, "c1");
  EXPECT_TRUE(store.PendingIntents()->empty());
}

TEST_F(UseCasesTest, SignaturesNameTheTrainEachImageMustShipIn) {
  Collect();
  At("2026-12-01T20:10:00Z");
  Must(Deploy(app, repo, {kId, "lower", "", false, "alice"}));
  // After this train's prod deploy (Thursday 10:00 EST) the next train is 2026-12-15's; these
  // images (signed 2026-12-01 11:42Z) expire before the one after it reaches prod.
  At("2026-12-03T20:00:00Z");
  auto ages = Signatures(app);
  ASSERT_TRUE(ages.ok());
  size_t running = 0;
  for (const auto& a : *ages) {
    if (!a.signed_at) {
      EXPECT_EQ(a.status, SignatureStatus::kUnknown);
      continue;
    }
    ++running;
    EXPECT_EQ(a.status, SignatureStatus::kDue) << a.service << " " << a.env;
    EXPECT_EQ(a.must_ship_in, "2026-12-15");
  }
  EXPECT_EQ(running, 8u * 3);  // 8 services deployed to the three lower environments
}

}  // namespace
}  // namespace captain
