// A whole standard release of the VRO example through the CLI, --now moving from Monday to
// Friday, then an emergency request; the plan JSON is asserted at each step.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "testing/cli_fixture.h"

namespace captain {
namespace {

using nlohmann::json;
using testing::kHead;
using testing::kOther;
using testing::Report;
using testing::VroServices;

using ScenarioTest = testing::CliTest;

TEST_F(ScenarioTest, StandardReleaseTuesdayToThursdayThenEmergency) {
  const std::string id = "2026-12-01";
  // Monday: the captain opens the train's release.
  json opened =
      Ok("2026-11-30T15:00:00Z", {"release", "open", "--release-day", id, "--by", "alice"});
  EXPECT_EQ(opened["id"], id);
  EXPECT_EQ(opened["kind"], "standard");
  EXPECT_EQ(opened["release_day"], id);
  EXPECT_EQ(opened["state"], "collecting-opt-ins");

  // Tuesday morning: SecRel's run (one service vulnerable) and develop's head.
  std::map<std::string, std::string> scans;
  for (const auto& s : VroServices()) scans[s] = s == "vro-svc-bip-api" ? "vulnerable" : "passed";
  WriteFile("run1.json", Report("run-1", kHead, scans));
  json imported =
      Ok("2026-12-01T12:00:00Z", {"evidence", "import", box.Path("run1.json"), "--by", "secrel"});
  EXPECT_EQ(imported["images"], 10);
  EXPECT_TRUE(Ok("2026-12-01T12:01:00Z", {"evidence", "import", box.Path("run1.json"), "--by",
                                          "secrel"})["already_imported"]);
  Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});

  json tick = Ok("2026-12-01T14:05:00Z", {"tick"});
  EXPECT_EQ(tick["done"], json({id + ": announce"}));
  EXPECT_EQ(Ok("2026-12-01T14:06:00Z", {"tick"})["done"], json::array());

  // Before the deadline a silent team is pending (shown as no-response in the plan).
  Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", id, "--team", "cc", "--by", "bob"});
  auto late = Refused("2026-12-01T20:00:01Z",
                      {"opt", "in", "--release", id, "--team", "ee", "--by", "carol"});
  EXPECT_NE(late.err.find("2026-12-01 15:00 EST"), std::string::npos) << late.err;
  Refused("2026-12-01T19:00:00Z",
          {"deploy", id, "--tier", "lower", "--by", "alice"});  // before 15:00

  tick = Ok("2026-12-01T20:05:00Z", {"tick"});
  EXPECT_EQ(tick["done"], json({id + ": close-opt-window"}));
  auto lower = Plan("2026-12-01T20:06:00Z", id, "lower");
  std::map<std::string, std::string> want = {{"rabbitmq", "deploy"},
                                             {"vro-db-init", "deploy"},
                                             {"vro-dev-tools", "deploy"},
                                             {"vro-svc-bgs-api", "deploy"},
                                             {"vro-svc-bip-api", "scan-failed"},
                                             {"vro-svc-bie-kafka", "deploy"},
                                             {"vro-streamlit", "deploy"},
                                             {"vro-cc-app", "deploy"},
                                             {"vro-ee-max-cfi-app", "no-response"},
                                             {"vro-ee-ep-merge-app", "no-response"}};
  EXPECT_EQ(lower, want);

  int commits = box.RemoteCommits();
  json deployed = Ok("2026-12-01T20:10:00Z", {"deploy", id, "--tier", "lower", "--by", "alice"});
  ASSERT_EQ(deployed["environments"].size(), 3u);
  EXPECT_EQ(box.RemoteCommits(), commits + 3);
  EXPECT_EQ(Tag("vro-cc-app", "qa"), kHead.substr(0, 7));
  EXPECT_EQ(Tag("vro-ee-max-cfi-app", "qa"), "0000000");
  EXPECT_EQ(Tag("vro-svc-bip-api", "dev"), "0000000");
  EXPECT_EQ(Ok("2026-12-01T20:11:00Z", {"release", "show", id})["state"], "lower-deployed");

  // Wednesday: validation, sign-offs, one defect.
  Refused("2026-12-02T15:00:00Z",
          {"signoff", "--release", id, "--team", "ee", "--env", "qa", "--by", "erin"});
  Ok("2026-12-02T15:00:00Z",
     {"signoff", "--release", id, "--team", "vro", "--env", "qa", "--by", "alice"});
  Ok("2026-12-02T15:30:00Z",
     {"signoff", "--release", id, "--team", "cc", "--env", "qa", "--by", "bob"});
  EXPECT_EQ(Ok("2026-12-02T15:31:00Z", {"release", "show", id})["state"], "validated");
  json defect =
      Ok("2026-12-02T16:00:00Z", {"defect", "open", "--release", id, "--service", "vro-svc-bgs-api",
                                  "--title", "BGS timeouts", "--by", "alice"});
  ASSERT_TRUE(defect["id"].is_number());

  // Thursday 09:00 EST: the defect cutoff.
  tick = Ok("2026-12-03T14:00:00Z", {"tick"});
  EXPECT_EQ(tick["done"], json({id + ": validation-reminder", id + ": defect-cutoff"}));
  auto prod_test = Plan("2026-12-03T14:30:00Z", id, "prod-test");
  want["vro-svc-bgs-api"] = "open-defect";
  EXPECT_EQ(prod_test, want);
  Refused("2026-12-03T14:30:00Z",
          {"deploy", id, "--tier", "prod-test", "--by", "alice"});  // 10:00 EST
  Ok("2026-12-03T15:00:00Z", {"deploy", id, "--tier", "prod-test", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "prod-test"), kHead.substr(0, 7));
  EXPECT_EQ(Tag("vro-svc-bgs-api", "prod-test"), "0000000");

  // prod follows prod-test only when healthy and signed off there.
  Ok("2026-12-03T15:10:00Z", {"health", "--release", id, "--env", "prod-test", "--service",
                              "vro-streamlit", "--degraded", "--by", "argocd"});
  auto prod = Plan("2026-12-03T15:20:00Z", id, "prod");
  EXPECT_EQ(prod["vro-cc-app"], "not-validated");
  Ok("2026-12-03T15:30:00Z",
     {"signoff", "--release", id, "--team", "vro", "--env", "prod-test", "--by", "alice"});
  Ok("2026-12-03T15:30:00Z",
     {"signoff", "--release", id, "--team", "cc", "--env", "prod-test", "--by", "bob"});
  prod = Plan("2026-12-03T15:40:00Z", id, "prod");
  want["vro-streamlit"] = "unhealthy";
  EXPECT_EQ(prod, want);
  Refused("2026-12-03T15:45:00Z", {"release", "signoff", id, "--by", "alice"});
  Ok("2026-12-03T16:00:00Z", {"deploy", id, "--tier", "prod", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "prod"), kHead.substr(0, 7));
  EXPECT_EQ(Tag("vro-streamlit", "prod"), "0000000");
  Refused("2026-12-03T16:30:00Z", {"release", "signoff", id, "--by", "alice"});  // no prod sign-off
  Ok("2026-12-03T17:00:00Z",
     {"signoff", "--release", id, "--team", "vro", "--env", "prod", "--by", "alice"});
  Ok("2026-12-03T17:00:00Z",
     {"signoff", "--release", id, "--team", "cc", "--env", "prod", "--by", "bob"});
  EXPECT_EQ(Ok("2026-12-03T17:05:00Z", {"release", "signoff", id, "--by", "alice"})["state"],
            "signed-off");

  // Friday: an ad-hoc request that is not ready lists every unmet condition.
  auto refused =
      Refused("2026-12-04T14:00:00Z",
              {"request", "adhoc", "--commit", kOther.substr(0, 7), "--changelog",
               "feat: new CFI rules", "--service", "vro-ee-max-cfi-app", "--by", "erin"});
  for (const char* part : {"vro-ee-max-cfi-app: no-image", "never deployed to dev",
                           "never deployed to qa", "never deployed to sandbox"}) {
    EXPECT_NE(refused.err.find(part), std::string::npos) << refused.err;
  }
  // The BGS fix is resolved; the commit already passed lower validation, so an emergency
  // deploy of that one service to prod-test and prod may go ahead once approved.
  Ok("2026-12-04T14:00:00Z",
     {"defect", "resolve", "--id", std::to_string(defect["id"].get<int>()), "--by", "alice"});
  json req = Ok("2026-12-04T14:05:00Z",
                {"request", "emergency", "--commit", kHead.substr(0, 7), "--changelog",
                 "fix: retry BGS timeouts", "--service", "vro-svc-bgs-api", "--by", "dave"});
  std::string rid = req["id"];
  EXPECT_EQ(req["kind"], "emergency");
  Refused("2026-12-04T14:10:00Z",
          {"deploy", rid, "--tier", "prod-test", "--by", "alice"});  // not approved
  Ok("2026-12-04T14:10:00Z", {"request", "approve", rid, "--by", "alice"});
  auto emergency = Plan("2026-12-04T14:15:00Z", rid, "prod-test");
  for (const auto& s : VroServices()) {
    EXPECT_EQ(emergency[s], s == "vro-svc-bgs-api" ? "deploy" : "not-requested") << s;
  }
  Ok("2026-12-04T14:20:00Z", {"deploy", rid, "--tier", "prod-test", "--by", "alice"});
  EXPECT_EQ(Tag("vro-svc-bgs-api", "prod-test"), kHead.substr(0, 7));
  EXPECT_EQ(Plan("2026-12-04T14:25:00Z", rid, "prod")["vro-svc-bgs-api"], "not-validated");
  Ok("2026-12-04T14:30:00Z",
     {"signoff", "--release", rid, "--team", "vro", "--env", "prod-test", "--by", "alice"});
  EXPECT_EQ(Plan("2026-12-04T14:35:00Z", rid, "prod")["vro-svc-bgs-api"], "deploy");

  // Every change is in the audit log, oldest first, with its actor.
  json audit = Ok("2026-12-04T15:00:00Z", {"audit", "--release", id});
  ASSERT_GT(audit["entries"].size(), 10u);
  EXPECT_EQ(audit["entries"][0]["action"], "release.open");
  EXPECT_EQ(audit["entries"][0]["actor"], "alice");
  bool saw_no_response = false;
  for (const auto& e : audit["entries"])
    saw_no_response = saw_no_response || e["action"] == "opt.no-response";
  EXPECT_TRUE(saw_no_response);
}

// The week the policy is hardest on: develop moves on Wednesday (SecRel scans the new head), a
// partner service is rolled back in qa, a defect open at the cutoff is resolved Thursday noon,
// and a hotfix is signed off before it reached the lower regions. The plan says at every step
// exactly what the policy says.
TEST_F(ScenarioTest, WednesdayMergeRollbackCutoffAndEarlyHotfixSignOff) {
  const std::string id = "2026-12-01";
  const std::string head7 = kHead.substr(0, 7);
  auto all = [](const std::string& what) {
    std::map<std::string, std::string> m;
    for (const auto& s : VroServices()) m[s] = what;
    return m;
  };
  WriteFile("run1.json", Report("run-1", kHead, testing::AllScans()));
  Ok("2026-12-01T12:00:00Z", {"evidence", "import", box.Path("run1.json"), "--by", "secrel"});
  Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
  Ok("2026-12-01T14:05:00Z", {"tick"});
  Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", id, "--team", "cc", "--by", "bob"});
  Ok("2026-12-01T16:30:00Z", {"opt", "in", "--release", id, "--team", "ee", "--by", "erin"});
  Ok("2026-12-01T20:05:00Z", {"tick"});
  auto want = all("deploy");
  EXPECT_EQ(Plan("2026-12-01T20:06:00Z", id, "lower"), want);
  Ok("2026-12-01T20:10:00Z", {"deploy", id, "--tier", "lower", "--by", "alice"});
  for (const char* team : {"vro", "cc", "ee"}) {
    Ok("2026-12-02T15:00:00Z", {"signoff", "--release", id, "--team", team, "--env", "qa", "--by",
                                std::string(team) + "-lead"});
  }

  // Wednesday 11:00 ET: develop moves and SecRel scans the new head. Thursday still promotes
  // the validated build.
  WriteFile("run2.json", Report("run-2", kOther, testing::AllScans(), "2026-12-02T15:45:00Z",
                                "2026-12-02T15:40:00Z"));
  Ok("2026-12-02T16:00:00Z", {"evidence", "import", box.Path("run2.json"), "--by", "secrel"});
  Ok("2026-12-02T16:00:00Z", {"evidence", "develop", "--commit", kOther, "--by", "secrel"});
  EXPECT_EQ(Plan("2026-12-02T16:05:00Z", id, "prod-test"), want);
  EXPECT_EQ(Commit("vro-cc-app"), kHead);

  // ee's CFI service is rolled back in qa: only it is held.
  Ok("2026-12-02T16:10:00Z",
     {"rollback", "--release", id, "--env", "qa", "--service", "vro-ee-max-cfi-app", "--reason",
      "claims stuck in review", "--root-cause", "RC Partner Team", "--by", "alice"});
  want["vro-ee-max-cfi-app"] = "not-validated";
  EXPECT_EQ(Plan("2026-12-02T16:11:00Z", id, "lower"), want);
  EXPECT_TRUE(Has(Detail("vro-ee-max-cfi-app"), "rolled back in qa"));

  // A defect on BGS, and a hotfix of ee's merge service signed off too early.
  Ok("2026-12-02T16:20:00Z", {"defect", "open", "--release", id, "--service", "vro-svc-bgs-api",
                              "--title", "BGS timeouts", "--by", "alice"});
  Ok("2026-12-02T16:30:00Z", {"release", "update", id, "--service", "vro-ee-ep-merge-app",
                              "--commit", kOther.substr(0, 7), "--by", "alice"});
  Ok("2026-12-02T16:35:00Z",
     {"signoff", "--release", id, "--team", "ee", "--env", "qa", "--by", "ee-lead"});
  want["vro-svc-bgs-api"] = "open-defect";
  want["vro-ee-ep-merge-app"] = "not-validated";
  EXPECT_EQ(Plan("2026-12-02T16:40:00Z", id, "prod-test"), want);

  // Thursday 09:00 ET, the defect cutoff; BGS is resolved at noon, the hotfix runs lower and
  // is signed off then: both too late for this release without a captain's override.
  Ok("2026-12-03T14:00:00Z", {"tick"});
  Ok("2026-12-03T17:00:00Z", {"defect", "resolve", "--id", "1", "--by", "alice"});
  Ok("2026-12-03T17:05:00Z", {"deploy", id, "--tier", "lower", "--by", "alice"});
  EXPECT_EQ(Tag("vro-ee-ep-merge-app", "qa"), kOther.substr(0, 7));
  EXPECT_EQ(Tag("vro-ee-max-cfi-app", "qa"), "0000000");  // still held, not redeployed
  Ok("2026-12-03T17:20:00Z",
     {"signoff", "--release", id, "--team", "ee", "--env", "qa", "--by", "ee-lead"});
  EXPECT_EQ(Plan("2026-12-03T17:25:00Z", id, "prod-test"), want);
  EXPECT_TRUE(Has(Detail("vro-svc-bgs-api"), "open at the defect cutoff"));
  EXPECT_TRUE(Has(Detail("vro-ee-ep-merge-app"), "by the defect cutoff"));
  Ok("2026-12-03T17:30:00Z", {"deploy", id, "--tier", "prod-test", "--by", "alice"});
  EXPECT_EQ(Tag("vro-cc-app", "prod-test"), head7);
  EXPECT_EQ(Tag("rabbitmq", "prod-test"), head7);
  for (const char* held : {"vro-svc-bgs-api", "vro-ee-max-cfi-app", "vro-ee-ep-merge-app"}) {
    EXPECT_EQ(Tag(held, "prod-test"), "0000000") << held;
  }
  Ok("2026-12-03T17:35:00Z", {"override", "--release", id, "--service", "vro-svc-bgs-api",
                              "--cutoff", "--reason", "fix verified in qa", "--by", "alice"});
  want["vro-svc-bgs-api"] = "deploy";
  EXPECT_EQ(Plan("2026-12-03T17:36:00Z", id, "prod-test"), want);
}

TEST_F(ScenarioTest, BadInputLeavesTheStoreUntouched) {
  Ok("2026-11-30T15:00:00Z", {"release", "open", "--release-day", "2026-12-01", "--by", "alice"});
  json before = Ok("2026-11-30T15:01:00Z", {"audit"});
  const std::vector<std::vector<std::string>> bad = {
      {"opt", "in", "--release", "2026-12-01", "--team", "xx", "--by", "bob"},
      {"opt", "in", "--release", "2099-01-01", "--team", "cc", "--by", "bob"},
      {"opt", "in", "--release", "2026-12-01", "--team", "cc", "--service", "rabbitmq", "--by",
       "bob"},
      {"evidence", "develop", "--commit", "xyz", "--by", "ci"},
      {"request", "adhoc", "--commit", "12345", "--changelog", "x", "--service", "vro-cc-app"},
      {"request", "adhoc", "--commit", "1234567", "--changelog", "bell\a", "--service",
       "vro-cc-app"},
      {"plan", "2026-12-01", "--tier", "staging"},
      {"release", "open", "--release-day", "2026-12-02"},
      {"defect", "open", "--release", "2026-12-01", "--service", "nope", "--title", "t"},
  };
  for (const auto& args : bad) {
    auto r = box.Captain("2026-12-01T16:00:00Z", args);
    EXPECT_EQ(r.code, 2) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  WriteFile("bad.json", R"({"run_id": "r", "commit": "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
    "branch": "develop", "finished_at": "2026-12-01T11:45:00Z",
    "images": [{"service": "vro-cc-app", "ref": "r/x:1", "digest": "sha256:00", "scan": "passed", "signed": true}]})");
  auto r = box.Captain("2026-12-01T16:00:00Z", {"evidence", "import", box.Path("bad.json")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("$.images[0].digest"), std::string::npos) << r.err;
  EXPECT_EQ(Ok("2026-12-01T16:01:00Z", {"audit"}), before);
}

TEST_F(ScenarioTest, KilledBeforeCommitLeavesTheDatabaseAsItWas) {
  Ok("2026-11-30T15:00:00Z", {"release", "open", "--release-day", "2026-12-01", "--by", "alice"});
  json before = Ok("2026-11-30T15:01:00Z", {"audit"});
  auto r = box.Captain("2026-12-01T16:00:00Z",
                       {"opt", "in", "--release", "2026-12-01", "--team", "cc", "--by", "bob"},
                       "CAPTAIN_CRASH_AT=store-before-commit");
  EXPECT_EQ(r.code, 137);
  EXPECT_EQ(Ok("2026-12-01T16:01:00Z", {"audit"}), before);
  json show = Ok("2026-12-01T16:01:00Z", {"release", "show", "2026-12-01"});
  for (const auto& s : show["services"]) {
    if (s["service"] == "vro-cc-app") {
      EXPECT_EQ(s["opt"], "pending");
    }
  }
  Ok("2026-12-01T16:02:00Z",
     {"opt", "in", "--release", "2026-12-01", "--team", "cc", "--by", "bob"});
  EXPECT_EQ(Ok("2026-12-01T16:03:00Z", {"audit"})["entries"].size(), before["entries"].size() + 1);
}

}  // namespace
}  // namespace captain
