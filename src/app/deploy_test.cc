// Deploy against real git: crash at each step and recovery (through the CLI), a push that
// loses a race, and a server that refuses the push (in process, over a transport that runs
// the server's hooks).
#include "app/deploy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/loader.h"
#include "gitops/configured_repo.h"
#include "gitops/git_test_remote.h"
#include "testing/sandbox.h"

namespace captain {
namespace {

using nlohmann::json;
using testing::Sandbox;

const std::string kHead = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
const std::string kId = "2026-12-01";
const std::string kDeployAt = "2026-12-01T20:10:00Z";

class DeployTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json images = json::array();
    for (const auto& s : testing::VroServices()) {
      images.push_back({{"service", s},
                        {"ref", testing::VroImage(s) + ":" + kHead.substr(0, 7)},
                        {"digest", "sha256:" + std::string(64, 'a')},
                        {"scan", "passed"},
                        {"signed", true},
                        {"signed_at", "2026-12-01T11:42:00Z"}});
    }
    std::ofstream(box.Path("run.json")) << json({{"run_id", "run-1"},
                                                 {"commit", kHead},
                                                 {"branch", "develop"},
                                                 {"finished_at", "2026-12-01T11:45:00Z"},
                                                 {"images", images}})
                                               .dump();
    Must("2026-11-30T15:00:00Z", {"release", "open", "--release-day", kId, "--by", "alice"});
    Must("2026-12-01T12:00:00Z", {"evidence", "import", box.Path("run.json"), "--by", "ci"});
    Must("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "ci"});
    Must("2026-12-01T16:00:00Z", {"opt", "in", "--release", kId, "--team", "cc", "--by", "bob"});
    Must("2026-12-01T20:05:00Z", {"tick"});
    seed_commits = box.RemoteCommits();
  }
  testing::Run Must(const std::string& now, const std::vector<std::string>& args) {
    auto r = box.Captain(now, args);
    EXPECT_EQ(r.code, 0) << args[0] << ": " << r.err;
    return r;
  }
  json Audit() {
    auto r = box.Captain(kDeployAt, {"--json", "audit", "--release", kId});
    return json::parse(r.out)["entries"];
  }
  int Count(const json& audit, const std::string& action) {
    int n = 0;
    for (const auto& e : audit) n += e["action"] == action;
    return n;
  }
  int DeploymentsIn(const std::string& env) {
    auto r = box.Captain(kDeployAt, {"--json", "release", "show", kId});
    EXPECT_EQ(r.code, 0) << r.err;
    json show = json::parse(r.out);
    int n = 0;
    for (const auto& s : show["services"]) n += s["environments"].contains(env);
    return n;
  }

  Sandbox box;
  int seed_commits = 0;
};

struct CrashCase {
  const char* point;
  int commits_after_crash;  // environments pushed before the kill
  const char* recovery;     // audit action the next deploy records, or ""
};

TEST_F(DeployTest, KillAtEachStepThenTheNextDeployReconciles) {
  const CrashCase cases[] = {
      {"deploy-after-intent", 0, "deploy.abandoned"},
      {"deploy-after-push", 1, "deploy.recovered"},
      {"store-before-commit", 1, "deploy.recovered"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.point);
    TearDown();
    box.~Sandbox();
    new (&box) Sandbox();
    SetUp();
    auto crashed = box.Captain(kDeployAt, {"deploy", kId, "--tier", "lower", "--by", "alice"},
                               std::string("CAPTAIN_CRASH_AT=") + c.point);
    EXPECT_EQ(crashed.code, 137) << crashed.err;
    EXPECT_EQ(box.RemoteCommits(), seed_commits + c.commits_after_crash);
    auto again =
        Must("2026-12-01T20:20:00Z", {"--json", "deploy", kId, "--tier", "lower", "--by", "alice"});
    // Exactly one commit per environment in all: nothing applied twice, nothing lost.
    EXPECT_EQ(box.RemoteCommits(), seed_commits + 3);
    json audit = Audit();
    EXPECT_EQ(Count(audit, c.recovery), 1) << audit.dump();
    EXPECT_EQ(Count(audit, "deploy"), 3);
    EXPECT_EQ(DeploymentsIn("dev"), 8);
    EXPECT_EQ(DeploymentsIn("sandbox"), 8);
    json out = json::parse(again.out);
    EXPECT_EQ(out["environments"][0]["no_change"], c.commits_after_crash == 1);
  }
}

// A push that landed but could not be recorded (the database stayed locked) says so, and the
// next deploy records it and says it recovered it.
TEST_F(DeployTest, ALandedPushThatCouldNotBeRecordedIsReportedAndRecovered) {
  auto failed =
      box.Captain(kDeployAt, {"deploy", kId, "--tier", "lower", "--env", "dev", "--by", "alice"},
                  "CAPTAIN_FAIL_AT=deploy-record");
  EXPECT_EQ(failed.code, 1);
  EXPECT_NE(failed.err.find("landed as"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("the next captain deploy or rollback records it"), std::string::npos);
  EXPECT_EQ(box.RemoteCommits(), seed_commits + 1);
  auto again = Must("2026-12-01T20:20:00Z", {"deploy", kId, "--tier", "lower", "--by", "alice"});
  EXPECT_NE(again.out.find("recovered: 2026-12-01 dev: the interrupted deploy had landed as"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(box.RemoteCommits(), seed_commits + 3);
  EXPECT_EQ(Count(Audit(), "deploy.recovered"), 1);
  EXPECT_EQ(DeploymentsIn("dev"), 8);
}

// A rollback records an intent before its push like a deploy: killed at either side of the
// push, the next captain finishes or abandons it, and nothing is rolled back twice.
TEST_F(DeployTest, KillARollbackThenTheNextCaptainReconciles) {
  for (const char* point : {"rollback-after-intent", "rollback-after-push"}) {
    SCOPED_TRACE(point);
    TearDown();
    box.~Sandbox();
    new (&box) Sandbox();
    SetUp();
    Must(kDeployAt, {"deploy", kId, "--tier", "lower", "--by", "alice"});
    int before = box.RemoteCommits();
    auto crashed = box.Captain("2026-12-02T15:00:00Z",
                               {"rollback", "--release", kId, "--env", "qa", "--service",
                                "vro-cc-app", "--reason", "broken", "--by", "alice"},
                               std::string("CAPTAIN_CRASH_AT=") + point);
    EXPECT_EQ(crashed.code, 137) << crashed.err;
    bool landed = std::string(point) == "rollback-after-push";
    EXPECT_EQ(box.RemoteCommits(), before + (landed ? 1 : 0));
    auto next = box.Captain("2026-12-02T15:05:00Z",
                            {"--json", "rollback", "--release", kId, "--env", "qa", "--service",
                             "vro-cc-app", "--reason", "broken", "--by", "alice"});
    json audit = Audit();
    if (landed) {
      // Recorded by the recovery; the second rollback then finds it already rolled back.
      EXPECT_EQ(next.code, 3) << next.err;
      EXPECT_NE(next.err.find("already rolled back"), std::string::npos) << next.err;
      EXPECT_EQ(Count(audit, "rollback.recovered"), 1) << audit.dump();
    } else {
      EXPECT_EQ(next.code, 0) << next.err;
      EXPECT_EQ(Count(audit, "rollback.abandoned"), 1) << audit.dump();
      EXPECT_EQ(json::parse(next.out)["recovered"].size(), 1u) << next.out;
    }
    EXPECT_EQ(box.RemoteCommits(), before + 1);
    EXPECT_EQ(Count(audit, "rollback"), 1);
    auto incidents =
        json::parse(box.Captain("2026-12-02T15:06:00Z", {"--json", "incident", "list"}).out);
    EXPECT_EQ(incidents["incidents"].size(), 1u) << incidents.dump();
  }
}

TEST_F(DeployTest, DryRunPrintsTheDiffAndChangesNothing) {
  auto r = Must(kDeployAt,
                {"deploy", kId, "--tier", "lower", "--env", "qa", "--dry-run", "--by", "alice"});
  EXPECT_NE(r.out.find(
                "--- a/deploy/vro-cc-app/values-qa.yaml\n+++ b/deploy/vro-cc-app/values-qa.yaml\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("-  tag: \"0000000\"  # set by captain\n+  tag: \"4f2a9c1\"  # set by captain\n"),
      std::string::npos);
  EXPECT_EQ(r.out.find("vro-ee-max-cfi-app"), std::string::npos);
  EXPECT_EQ(box.RemoteCommits(), seed_commits);
  EXPECT_EQ(Count(Audit(), "deploy"), 0);
  auto bad =
      box.Captain(kDeployAt, {"deploy", kId, "--tier", "lower", "--env", "prod", "--by", "a"});
  EXPECT_EQ(bad.code, 2);
}

TEST_F(DeployTest, JsonNamesEachServicesFileAndTags) {
  auto r = Must(kDeployAt,
                {"--json", "deploy", kId, "--tier", "lower", "--env", "dev", "--by", "alice"});
  json out = json::parse(r.out);
  ASSERT_EQ(out["environments"].size(), 1u);
  const json& dev = out["environments"][0];
  EXPECT_EQ(dev["env"], "dev");
  EXPECT_EQ(dev["commit"].get<std::string>().size(), 40u);
  EXPECT_EQ(dev["services"].size(), 8u);
  EXPECT_EQ(dev["services"][0]["file"], "deploy/rabbitmq/values-dev.yaml");
  EXPECT_EQ(dev["services"][0]["old_tag"], "0000000");
  EXPECT_EQ(dev["services"][0]["new_tag"], "4f2a9c1");
  std::string log = box.Shell("git --git-dir=remote.git log -1 --format=%s%n%b%n%an main");
  EXPECT_NE(log.find("deploy(dev): release 2026-12-01: rabbitmq 4f2a9c1"), std::string::npos)
      << log;
  EXPECT_NE(log.find("Release: 2026-12-01\n"), std::string::npos) << log;
  EXPECT_NE(log.find("Deployed-By: alice\n"), std::string::npos) << log;
  EXPECT_NE(log.find("captain\n"), std::string::npos) << log;
}

// In-process, so the test can race a second clone and install a refusing hook.
class DeployGitTest : public DeployTest {
 protected:
  void SetUp() override {
    DeployTest::SetUp();
    ASSERT_TRUE(gittest::RegisterExecTransport());
    auto c = LoadConfig(box.Path("captain.yaml"));
    ASSERT_TRUE(c.ok()) << c.error().message;
    config = std::make_unique<Config>(std::move(c).value());
    auto s = OpenStore(box.Path("captain.db"));
    ASSERT_TRUE(s.ok());
    store = std::move(s).value();
    app = std::make_unique<App>(App{*config, *store, clock});
    GitRepoOptions o = RepoOptionsFrom(*config);
    o.url = std::string(gittest::kExecScheme) + "localhost:9" + box.Path("remote.git");
    o.backoff = [](int) {};
    auto r = OpenGitopsRepo(o);
    ASSERT_TRUE(r.ok()) << r.error().message;
    repo = std::move(r).value();
  }

  FixedClock clock{*ParseInstant(kDeployAt)};
  std::unique_ptr<Config> config;
  std::unique_ptr<Store> store;
  std::unique_ptr<App> app;
  std::unique_ptr<GitopsRepo> repo;
};

// Pushes another engineer's commit the first time captain computes its edits.
class RacingRepo : public GitopsRepo {
 public:
  RacingRepo(GitopsRepo& real, Sandbox& box) : real_(real), box_(box) {}
  Status Sync() override { return real_.Sync(); }
  Result<std::string> ReadFile(const std::string& p) override { return real_.ReadFile(p); }
  Result<PushResult> CommitAndPush(const EditFn& make_edits, const CommitSpec& spec) override {
    return real_.CommitAndPush(
        [&](GitopsRepo& r) {
          if (!raced_) {
            raced_ = true;
            box_.Shell(
                "git clone -q remote.git other && cd other && "
                "sed -i 's/replicaCount: 1/replicaCount: 3/' deploy/vro-cc-app/values-dev.yaml && "
                "git -c user.name=o -c user.email=o@x commit -qam 'scale cc' && git push -q origin "
                "main");
          }
          return make_edits(r);
        },
        spec);
  }
  Result<std::optional<std::string>> FindCommitWithTrailers(
      const std::vector<Trailer>& t) override {
    return real_.FindCommitWithTrailers(t);
  }
  Result<std::optional<std::string>> ReadFileAt(const std::string& c,
                                                const std::string& p) override {
    return real_.ReadFileAt(c, p);
  }
  Result<std::string> HeadCommit() override { return real_.HeadCommit(); }
  Result<std::vector<std::string>> History(int depth) override { return real_.History(depth); }

 private:
  GitopsRepo& real_;
  Sandbox& box_;
  bool raced_ = false;
};

TEST_F(DeployGitTest, LostRaceIsReappliedOnTheNewHead) {
  RacingRepo racing(*repo, box);
  auto out = Deploy(*app, racing, {kId, "lower", "dev", false, "alice"});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->envs[0].attempts, 2);
  std::string file = box.RemoteFile("deploy/vro-cc-app/values-dev.yaml");
  EXPECT_NE(file.find("replicaCount: 3"), std::string::npos) << file;
  EXPECT_NE(file.find("tag: \"4f2a9c1\"  # set by captain"), std::string::npos) << file;
  EXPECT_EQ(box.RemoteCommits(), seed_commits + 2);
}

TEST_F(DeployGitTest, ServerRefusalIsAnErrorAndNothingIsRecorded) {
  box.Shell(
      "mkdir -p remote.git/hooks && printf '#!/bin/sh\\necho \"main is protected: use a pull "
      "request\" >&2\\nexit 1\\n' "
      "> remote.git/hooks/pre-receive && chmod +x remote.git/hooks/pre-receive");
  auto out = Deploy(*app, *repo, {kId, "lower", "dev", false, "alice"});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("main is protected"), std::string::npos)
      << out.error().message;
  EXPECT_EQ(box.RemoteCommits(), seed_commits);
  auto facts = store->LoadFacts(kId);
  ASSERT_TRUE(facts.ok());
  EXPECT_TRUE(facts->deployments.empty());
  auto pending = store->PendingIntents();
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());  // the failed attempt's intent is closed, not left pending
}

}  // namespace
}  // namespace captain
