// The policy's decisions through the captain binary, one test per rule a release captain
// would otherwise get wrong: what Thursday promotes, rollbacks, the defect cutoff, hotfix
// validation, the deadline second, holidays, evidence, the audit clock, GitOps locations
// and signature statuses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/cli_fixture.h"

namespace captain {
namespace {

using nlohmann::json;
using testing::AllScans;
using testing::kHead;
using testing::kOther;
using testing::Report;

const std::string kId = "2026-12-01";

class PolicyTest : public testing::CliTest {
 protected:
  // Tuesday up to the closed opt window: run-1 of develop's head kHead, cc in, ee silent.
  void OpenAndCollect() {
    Import("2026-12-01T12:00:00Z", "run1.json", Report("run-1", kHead, AllScans()));
    Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
    Ok("2026-12-01T14:05:00Z", {"tick"});
    Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", kId, "--team", "cc", "--by", "bob"});
    Ok("2026-12-01T20:05:00Z", {"tick"});
  }
  // ...then the lower deploy and Wednesday's sign-offs by vro and cc in qa.
  void DeployLowerAndSignOff() {
    OpenAndCollect();
    Ok("2026-12-01T20:10:00Z", {"deploy", kId, "--tier", "lower", "--by", "alice"});
    SignOff("2026-12-02T15:00:00Z", "vro", "qa");
    SignOff("2026-12-02T15:00:00Z", "cc", "qa");
  }
  void SignOff(const std::string& now, const std::string& team, const std::string& env) {
    Ok(now, {"signoff", "--release", kId, "--team", team, "--env", env, "--by", team + "-lead"});
  }
  std::string State(const std::string& now) { return Ok(now, {"release", "show", kId})["state"]; }
};

// 1. develop moves on Wednesday and SecRel scans the new head: Thursday still promotes the
// build validated in the lower regions.
TEST_F(PolicyTest, WednesdayMergePromotesTheValidatedBuild) {
  DeployLowerAndSignOff();
  Import("2026-12-02T16:50:00Z", "run2.json",
         Report("run-2", kOther, AllScans(), "2026-12-02T16:45:00Z", "2026-12-02T16:40:00Z"));
  Ok("2026-12-02T16:50:00Z", {"evidence", "develop", "--commit", kOther, "--by", "secrel"});
  Ok("2026-12-03T14:00:00Z", {"tick"});
  auto plan = Plan("2026-12-03T15:00:00Z", kId, "prod-test");
  EXPECT_EQ(plan["vro-cc-app"], "deploy") << Detail("vro-cc-app");
  EXPECT_EQ(plan["rabbitmq"], "deploy") << Detail("rabbitmq");
  EXPECT_EQ(Commit("vro-cc-app"), kHead);
  Ok("2026-12-03T15:01:00Z", {"deploy", kId, "--tier", "prod-test", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "prod-test"), kHead.substr(0, 7));
}

// 1b. Before the lower deploy, develop past the newest SecRel run is a stale build, named.
TEST_F(PolicyTest, DevelopPastTheNewestRunIsStaleBeforeTheLowerDeploy) {
  OpenAndCollect();
  Ok("2026-12-01T20:06:00Z", {"evidence", "develop", "--commit", kOther, "--by", "secrel"});
  auto plan = Plan("2026-12-01T20:07:00Z", kId, "lower");
  EXPECT_EQ(plan["vro-cc-app"], "stale-build");
  EXPECT_TRUE(Has(Detail("vro-cc-app"), kOther.substr(0, 12))) << Detail("vro-cc-app");
  EXPECT_TRUE(Has(Detail("vro-cc-app"), kHead.substr(0, 12))) << Detail("vro-cc-app");
}

// 2. A rollback holds one service in one release; the rest goes on.
TEST_F(PolicyTest, RollbackHoldsOnlyTheRolledBackService) {
  DeployLowerAndSignOff();
  Ok("2026-12-02T16:00:00Z", {"rollback", "--release", kId, "--env", "qa", "--service",
                              "vro-cc-app", "--reason", "CFI lookups fail", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "qa"), "0000000");
  EXPECT_NE(State("2026-12-02T16:01:00Z"), "rolled-back");
  SignOff("2026-12-02T16:05:00Z", "vro", "dev");  // the release still takes sign-offs
  Ok("2026-12-03T14:00:00Z", {"tick"});
  auto lower = Plan("2026-12-03T14:30:00Z", kId, "lower");
  EXPECT_EQ(lower["vro-cc-app"], "not-validated");
  EXPECT_TRUE(Has(Detail("vro-cc-app"), "rolled back in qa")) << Detail("vro-cc-app");
  auto prod_test = Plan("2026-12-03T15:00:00Z", kId, "prod-test");
  EXPECT_EQ(prod_test["vro-cc-app"], "not-validated");
  EXPECT_TRUE(Has(Detail("vro-cc-app"), "rolled back in qa")) << Detail("vro-cc-app");
  EXPECT_EQ(prod_test["vro-svc-bgs-api"], "deploy");
  Ok("2026-12-03T15:01:00Z", {"deploy", kId, "--tier", "prod-test", "--by", "alice"});
  EXPECT_EQ(Tag("vro-svc-bgs-api", "prod-test"), kHead.substr(0, 7));
  EXPECT_EQ(Tag("vro-cc-app", "prod-test"), "0000000");
  // A second rollback of the same service is refused; a captain cancels one service.
  Refused("2026-12-03T15:02:00Z", {"rollback", "--release", kId, "--env", "qa", "--service",
                                   "vro-cc-app", "--reason", "again", "--by", "alice"});
  Ok("2026-12-03T15:03:00Z", {"release", "cancel", kId, "--service", "vro-streamlit", "--reason",
                              "dashboard migration", "--by", "alice"});
  auto prod = Plan("2026-12-03T15:04:00Z", kId, "prod");
  EXPECT_EQ(prod["vro-streamlit"], "opted-out");
  EXPECT_TRUE(Has(Detail("vro-streamlit"), "cancelled")) << Detail("vro-streamlit");
  EXPECT_NE(State("2026-12-03T15:05:00Z"), "cancelled");
}

// 3. The defect cutoff is a snapshot: resolving at noon does not undo it; a captain's
// reasoned override does.
TEST_F(PolicyTest, DefectOpenAtTheCutoffStaysHeldAfterALateResolve) {
  DeployLowerAndSignOff();
  json defect =
      Ok("2026-12-02T16:00:00Z", {"defect", "open", "--release", kId, "--service",
                                  "vro-svc-bgs-api", "--title", "BGS timeouts", "--by", "alice"});
  Ok("2026-12-03T14:00:00Z", {"tick"});
  Ok("2026-12-03T17:00:00Z",
     {"defect", "resolve", "--id", std::to_string(defect["id"].get<int>()), "--by", "alice"});
  auto plan = Plan("2026-12-03T17:01:00Z", kId, "prod-test");
  EXPECT_EQ(plan["vro-svc-bgs-api"], "open-defect");
  EXPECT_TRUE(Has(Detail("vro-svc-bgs-api"), "open at the defect cutoff"));
  EXPECT_EQ(plan["rabbitmq"], "deploy");
  Refused("2026-12-03T17:02:00Z", {"override", "--release", kId, "--service", "rabbitmq",
                                   "--cutoff", "--reason", "nothing held", "--by", "alice"});
  Ok("2026-12-03T17:03:00Z", {"override", "--release", kId, "--service", "vro-svc-bgs-api",
                              "--cutoff", "--reason", "fix verified in qa", "--by", "alice"});
  EXPECT_EQ(Plan("2026-12-03T17:04:00Z", kId, "prod-test")["vro-svc-bgs-api"], "deploy");
}

// 4. A sign-off validates what ran at the moment of signing: one given after a hotfix swap
// but before the hotfix reached the lower regions does not validate it.
TEST_F(PolicyTest, HotfixSignedOffBeforeItRanLowerIsNotValidated) {
  DeployLowerAndSignOff();
  std::map<std::string, std::string> only_cc = {{"vro-cc-app", "passed"}};
  Import("2026-12-02T15:30:00Z", "fix.json",
         Report("run-fix", kOther, only_cc, "2026-12-02T15:20:00Z", "2026-12-02T15:10:00Z"));
  Ok("2026-12-02T16:00:00Z", {"release", "update", kId, "--service", "vro-cc-app", "--commit",
                              kOther.substr(0, 7), "--by", "alice"});
  SignOff("2026-12-02T16:05:00Z", "cc", "qa");  // too early: qa still runs kHead
  auto plan = Plan("2026-12-02T16:06:00Z", kId, "prod-test");
  EXPECT_EQ(plan["vro-cc-app"], "not-validated");
  EXPECT_EQ(Commit("vro-cc-app"), kOther);
  Ok("2026-12-02T16:10:00Z", {"deploy", kId, "--tier", "lower", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "qa"), kOther.substr(0, 7));
  EXPECT_EQ(Plan("2026-12-02T16:11:00Z", kId, "prod-test")["vro-cc-app"], "not-validated");
  SignOff("2026-12-02T16:30:00Z", "cc", "qa");
  EXPECT_EQ(Plan("2026-12-02T16:31:00Z", kId, "prod-test")["vro-cc-app"], "deploy");
}

// A hotfix swapped back to the commit that ran before (A, B, then A) is a new deployment: the
// records follow the remote (the crash loop found this).
TEST_F(PolicyTest, SwappingBackToAnEarlierCommitIsRecorded) {
  DeployLowerAndSignOff();
  Import("2026-12-02T15:30:00Z", "fix.json",
         Report("run-fix", kOther, {{"vro-cc-app", "passed"}}, "2026-12-02T15:20:00Z",
                "2026-12-02T15:10:00Z"));
  for (const auto& [at, commit] : std::vector<std::pair<std::string, std::string>>{
           {"2026-12-02T16:00:00Z", kOther}, {"2026-12-02T16:10:00Z", kHead}}) {
    Ok(at, {"release", "update", kId, "--service", "vro-cc-app", "--commit", commit, "--by", "al"});
    Ok(at, {"deploy", kId, "--tier", "lower", "--by", "alice"});
    EXPECT_EQ(Tag("vro-cc-app", "dev"), commit.substr(0, 7));
    json cc = Ok(at, {"release", "show", kId, "--team", "cc"})["services"];
    ASSERT_EQ(cc.size(), 1u);
    EXPECT_EQ(cc[0]["environments"]["dev"]["tag"], commit.substr(0, 7)) << cc.dump();
  }
  auto drift = box.Captain("2026-12-02T16:20:00Z", {"drift", "--exit-code"});
  EXPECT_EQ(drift.out.find("vro-cc-app dev: drift"), std::string::npos) << drift.out;
}

// 5. "By 3PM ET at the latest": an answer stamped 15:00:00 counts; the window closes after it.
TEST_F(PolicyTest, TheDeadlineSecondBelongsToTheWindow) {
  Import("2026-12-01T12:00:00Z", "run1.json", Report("run-1", kHead, AllScans()));
  Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
  Ok("2026-12-01T14:05:00Z", {"tick"});
  EXPECT_EQ(Ok("2026-12-01T20:00:00Z", {"tick"})["done"], json::array());
  Refused("2026-12-01T20:00:00Z", {"deploy", kId, "--tier", "lower", "--by", "alice"});
  Ok("2026-12-01T20:00:00Z", {"opt", "in", "--release", kId, "--team", "ee", "--by", "erin"});
  EXPECT_EQ(Plan("2026-12-01T20:00:00Z", kId, "lower")["vro-cc-app"], "no-response");
  EXPECT_EQ(Ok("2026-12-01T20:00:01Z", {"tick"})["done"], json({kId + ": close-opt-window"}));
  auto plan = Plan("2026-12-01T20:00:02Z", kId, "lower");
  EXPECT_EQ(plan["vro-ee-max-cfi-app"], "deploy");
  EXPECT_EQ(plan["vro-cc-app"], "no-response");
}

// 6. Christmas 2029 is a release day: the whole train moves, validation keeps its day.
TEST_F(PolicyTest, HolidayMovesTheTrainAsAWhole) {
  json s = Ok("2029-12-01T12:00:00Z", {"schedule", "--from", "2029-12-20", "--count", "1"});
  ASSERT_EQ(s["trains"].size(), 1u);
  const json& t = s["trains"][0];
  EXPECT_EQ(t["release_day"], "2029-12-25");
  EXPECT_EQ(t["milestones"]["lower_deploy"], "2029-12-26T20:00:00Z");
  EXPECT_EQ(t["milestones"]["validation_deadline"], "2029-12-27T22:00:00Z");
  EXPECT_EQ(t["milestones"]["higher_deploy"], "2029-12-28T15:00:00Z");
  EXPECT_EQ(t["moved"].size(), 6u);
}

// 7. Evidence is what it claims to be.
TEST_F(PolicyTest, EvidenceReferencesAreParsedAndCheckedAgainstTheService) {
  auto report = json::parse(Report("run-1", kHead, AllScans()));
  std::string digest;
  for (auto& img : report["images"]) {
    if (img["service"] == "vro-cc-app") {
      digest = img["digest"];
      img["ref"] = img["ref"].get<std::string>() + "@" + digest;
    }
  }
  Import("2026-12-01T12:00:00Z", "run1.json", report.dump());
  Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
  Ok("2026-12-01T14:05:00Z", {"tick"});
  Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", kId, "--team", "cc", "--by", "bob"});
  Ok("2026-12-01T20:05:00Z", {"tick"});
  Ok("2026-12-01T20:10:00Z", {"deploy", kId, "--tier", "lower", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "dev"), kHead.substr(0, 7));  // the tag, not the digest's hex

  auto refused = [&](const std::string& name, json doc, const std::string& part) {
    WriteFile(name, doc.dump());
    auto r = Exits(2, "2026-12-01T20:11:00Z", {"evidence", "import", box.Path(name)});
    EXPECT_TRUE(Has(r.err, part)) << r.err;
  };
  json attacker = json::parse(Report("run-x", kOther, {{"vro-cc-app", "passed"}}));
  attacker["images"][0]["ref"] = "evil.example.com/attacker/x:latest";
  refused("attacker.json", attacker, "$.images[0].ref: repository evil.example.com/attacker/x");
  json latest = json::parse(Report("run-y", kOther, {{"vro-cc-app", "passed"}}));
  latest["images"][0]["ref"] = testing::VroImage("vro-cc-app") + ":latest";
  refused("latest.json", latest, "tag 'latest' is not '9e8d7c6'");
  json future = json::parse(Report("run-z", kOther, {{"vro-cc-app", "passed"}}));
  future["images"][0]["signed_at"] = "2098-01-01T00:00:00Z";
  refused("future.json", future, "$.images[0].signed_at: 2098-01-01T00:00:00Z is in the future");
  json changed = report;
  changed["images"][0]["scan"] = "vulnerable";
  std::string service = changed["images"][0]["service"];
  refused("changed.json", changed, service + ".scan: recorded passed, report vulnerable");
  // Two recorded commits share the prefix 4f2a9c1: an abbreviation naming both is refused.
  std::string twin = kHead.substr(0, 7) + std::string(33, 'b');
  Import("2026-12-01T20:12:00Z", "twin.json",
         Report("run-twin", twin, {{"vro-cc-app", "passed"}}, "2026-12-01T20:00:00Z"));
  auto r = Exits(2, "2026-12-01T20:13:00Z",
                 {"release", "update", kId, "--service", "vro-cc-app", "--commit",
                  kHead.substr(0, 7), "--by", "alice"});
  EXPECT_TRUE(Has(r.err, "ambiguous") && Has(r.err, kHead) && Has(r.err, twin)) << r.err;
}

// 8. The clock of a change never runs backwards against the audit log.
TEST_F(PolicyTest, AChangeStampedBeforeTheLatestRecordedOneIsRefused) {
  OpenAndCollect();
  auto r = Exits(2, "2026-12-01T19:59:00Z",
                 {"opt", "in", "--release", kId, "--team", "ee", "--by", "erin"});
  EXPECT_TRUE(Has(r.err, "2026-12-01T19:59:00Z") && Has(r.err, "2026-12-01T20:05:00Z")) << r.err;
  json audit = Ok("2026-12-01T20:06:00Z", {"audit", "--release", kId});
  ASSERT_FALSE(audit["entries"].empty());
  for (const auto& e : audit["entries"]) {
    EXPECT_FALSE(e["action"] == "opt.in" && e["subject"] == "ee") << e.dump();
    EXPECT_TRUE(e.contains("recorded_at")) << e.dump();  // --now differs from the wall clock
  }
}

// 9. Two deployments can never share one file and key, nor leave the repository.
TEST_F(PolicyTest, CheckConfigRefusesSharedOrEscapingGitopsLocations) {
  std::string cfg = testing::Slurp(box.Path("captain.yaml"));
  auto variant = [&](const std::string& from, const std::string& to, const std::string& part) {
    std::string text = cfg;
    auto pos = text.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    text.replace(pos, from.size(), to);
    WriteFile("variant.yaml", text);
    auto r = testing::RunCaptain({"--config", box.Path("variant.yaml"), "check-config"});
    EXPECT_EQ(r.code, 2) << to;
    EXPECT_TRUE(Has(r.err, "variant.yaml:") && Has(r.err, part)) << r.err;
  };
  variant("file: \"deploy/{service}/values-{env}.yaml\"",
          "file: \"deploy/{service}/values-prod.yaml\"", "share deploy/rabbitmq/values-prod.yaml");
  variant("file: \"deploy/{service}/values-{env}.yaml\"", "file: \"../other/{service}-{env}.yaml\"",
          "plain path inside the repository");
  variant("key: image.tag", "key: \"\"", "is empty");
}

// 10. Statuses a captain can act on: right after the prod deploy every image is due in the
// next train, named.
TEST_F(PolicyTest, SignaturesNameTheTrainADueServiceMustShipIn) {
  DeployLowerAndSignOff();
  Ok("2026-12-03T14:00:00Z", {"tick"});
  Ok("2026-12-03T15:00:00Z", {"deploy", kId, "--tier", "prod-test", "--by", "alice"});
  json sigs = Ok("2026-12-03T16:00:00Z", {"signatures"});
  size_t rows = 0;
  for (const auto& s : sigs["signatures"]) {
    if (s["env"] != "prod-test" || s["tag"] != kHead.substr(0, 7)) continue;
    ++rows;
    EXPECT_EQ(s["status"], "due") << s.dump();
    EXPECT_EQ(s["must_ship_in"], "2026-12-15") << s.dump();
  }
  EXPECT_EQ(rows, 8u);  // the seven platform services and cc's; ee did not answer
}

}  // namespace
}  // namespace captain
