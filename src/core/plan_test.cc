#include "core/plan.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "core/release_state.h"
#include "core/request_check.h"
#include "core/signatures.h"

namespace captain {
namespace {

const char* kConfig = R"(timezone: America/New_York
sprint: {anchor: 2026-11-25, length_days: 14}
signature: {max_age_days: 30, warn_days: 7}
channels: {announce: "#a", on_call: "#oc"}
environments:
  - {name: dev, tier: lower}
  - {name: qa, tier: lower}
  - {name: prod-test, tier: higher}
  - {name: prod, tier: higher}
teams:
  - {name: vro, channel: "#p", platform: true}
  - {name: cc, channel: "#cc"}
  - {name: ee, channel: "#ee"}
services:
  - {name: svc-a, team: vro, image: r/svc-a}
  - {name: svc-b, team: vro, image: r/svc-b}
  - {name: cc-app, team: cc, image: r/cc-app}
  - {name: ee-one, team: ee, image: r/ee-one}
  - {name: ee-two, team: ee, image: r/ee-two}
)";

const std::string kHead = "aaaaaaa1111111111111111111111111111111111";
const std::string kOld = "bbbbbbb2222222222222222222222222222222222";
const std::string kFix = "ccccccc3333333333333333333333333333333333";

Instant T(const char* s) { return *ParseInstant(s); }

class PlanTest : public ::testing::Test {
 public:
  void SetUp() override {
    auto c = LoadConfigString(kConfig, "captain.yaml");
    ASSERT_TRUE(c.ok()) << c.error().message;
    config = std::move(c).value();
    facts = ReleaseFacts{};
    train =
        ComputeTrain(config.calendar, SprintIndexOfDate(config.calendar, *ParseDate("2026-12-01")));
    facts.release.id = "2026-12-01";
    facts.release.release_day = train.release_day;
    facts.develop = DevelopHead{kHead.substr(0, 40), T("2026-12-01T11:00:00Z")};
    for (const auto& s : config.services)
      AddImage(s.name, kHead.substr(0, 40), ScanResult::kPassed);
  }

  void AddImage(const std::string& service, const std::string& commit, ScanResult scan,
                bool is_signed = true, const char* signed_at = "2026-12-01T10:00:00Z") {
    EvidenceImage e;
    e.run_id = "run-" + commit.substr(0, 7);
    e.commit = commit;
    e.branch = "develop";
    e.finished_at = T("2026-12-01T10:30:00Z");
    e.service = service;
    e.ref = "r/" + service + ":" + commit.substr(0, 7);
    e.digest = "sha256:00";
    e.scan = scan;
    e.is_signed = is_signed;
    if (is_signed) e.signed_at = T(signed_at);
    facts.evidence.insert(facts.evidence.begin(), e);
  }
  void Opt(const std::string& team, OptAnswer a, const char* at, const std::string& service = "",
           const std::string& late = "") {
    facts.opts.push_back({team, service, a, "someone", T(at), late});
  }
  void Deployed(const std::string& service, const std::string& env, const char* at,
                const std::string& commit = "") {
    Deployment d;
    d.release_id = facts.release.id;
    d.service = service;
    d.env = env;
    d.commit = commit.empty() ? kHead.substr(0, 40) : commit;
    d.new_tag = d.commit.substr(0, 7);
    d.at = T(at);
    facts.deployments.push_back(d);
  }
  void SignedOff(const std::string& team, const std::string& env, const char* at) {
    facts.signoffs.push_back({team, env, "someone", T(at)});
  }
  // The lower step done and signed off by every team.
  void LowerValidated() {
    for (const auto& s : config.services) {
      Deployed(s.name, "dev", "2026-12-01T20:10:00Z");
      Deployed(s.name, "qa", "2026-12-01T20:10:00Z");
    }
    for (const auto& t : config.teams) SignedOff(t.name, "qa", "2026-12-02T15:00:00Z");
  }
  Decision Of(const Plan& p, const std::string& service) {
    for (const auto& d : p.decisions) {
      if (d.service == service) return d;
    }
    ADD_FAILURE() << "no decision for " << service;
    return {};
  }
  Plan PlanAt(const std::string& step, const char* now) {
    return ComputePlan(config, train, facts, *FindStep(config, step), T(now));
  }

  Config config;
  Train train;
  ReleaseFacts facts;
};

TEST_F(PlanTest, StepsAreLowerThenEachHigherEnvironment) {
  auto steps = StepsOf(config);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].name, "lower");
  EXPECT_EQ(steps[0].environments, (std::vector<std::string>{"dev", "qa"}));
  EXPECT_EQ(steps[1].name, "prod-test");
  EXPECT_EQ(steps[2].name, "prod");
  EXPECT_FALSE(FindStep(config, "staging"));
}

struct ReasonCase {
  const char* name;
  std::function<void(PlanTest&)> arrange;
  const char* step;
  const char* now;
  const char* service;
  const char* reason;  // "" = deploy
};

TEST_F(PlanTest, OneReasonCodePerSkippedService) {
  const std::string head = kHead.substr(0, 40);
  const ReasonCase cases[] = {
      {"platform is always in", [](PlanTest&) {}, "lower", "2026-12-01T20:30:00Z", "svc-a", ""},
      {"opted in", [](PlanTest& t) { t.Opt("cc", OptAnswer::kIn, "2026-12-01T15:00:00Z"); },
       "lower", "2026-12-01T20:30:00Z", "cc-app", ""},
      {"opted out", [](PlanTest& t) { t.Opt("cc", OptAnswer::kOut, "2026-12-01T15:00:00Z"); },
       "lower", "2026-12-01T20:30:00Z", "cc-app", kOptedOut},
      {"no response", [](PlanTest&) {}, "lower", "2026-12-01T20:30:00Z", "cc-app", kNoResponse},
      {"late answer ignored",
       [](PlanTest& t) { t.Opt("cc", OptAnswer::kIn, "2026-12-01T20:05:00Z"); }, "lower",
       "2026-12-01T20:30:00Z", "cc-app", kNoResponse},
      {"late answer accepted by a captain",
       [](PlanTest& t) {
         t.Opt("cc", OptAnswer::kIn, "2026-12-01T20:05:00Z", "", "agreed in standup");
       },
       "lower", "2026-12-01T20:30:00Z", "cc-app", ""},
      {"latest answer wins",
       [](PlanTest& t) {
         t.Opt("cc", OptAnswer::kIn, "2026-12-01T15:00:00Z");
         t.Opt("cc", OptAnswer::kOut, "2026-12-01T16:00:00Z");
       },
       "lower", "2026-12-01T20:30:00Z", "cc-app", kOptedOut},
      {"per-service answer",
       [](PlanTest& t) {
         t.Opt("ee", OptAnswer::kIn, "2026-12-01T15:00:00Z");
         t.Opt("ee", OptAnswer::kOut, "2026-12-01T15:00:00Z", "ee-two");
       },
       "lower", "2026-12-01T20:30:00Z", "ee-two", kOptedOut},
      {"no image",
       [](PlanTest& t) {
         std::erase_if(t.facts.evidence,
                       [](const EvidenceImage& e) { return e.service == "svc-b"; });
       },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kNoImage},
      {"scan failed", [head](PlanTest& t) { t.AddImage("svc-b", head, ScanResult::kVulnerable); },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kScanFailed},
      {"scan not run", [head](PlanTest& t) { t.AddImage("svc-b", head, ScanResult::kNotRun); },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kScanFailed},
      {"gate error", [head](PlanTest& t) { t.AddImage("svc-b", head, ScanResult::kGateError); },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kScanFailed},
      {"gate error overridden",
       [head](PlanTest& t) {
         t.AddImage("svc-b", head, ScanResult::kGateError);
         t.facts.overrides.push_back(
             {"svc-b", "false Aqua gate", "captain", T("2026-12-01T19:00:00Z")});
       },
       "lower", "2026-12-01T20:30:00Z", "svc-b", ""},
      {"override does not cover vulnerabilities",
       [head](PlanTest& t) {
         t.AddImage("svc-b", head, ScanResult::kVulnerable);
         t.facts.overrides.push_back({"svc-b", "please", "captain", T("2026-12-01T19:00:00Z")});
       },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kScanFailed},
      {"unsigned", [head](PlanTest& t) { t.AddImage("svc-b", head, ScanResult::kPassed, false); },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kUnsigned},
      {"signature expired",
       [head](PlanTest& t) {
         t.AddImage("svc-b", head, ScanResult::kPassed, true, "2026-10-30T10:00:00Z");
       },
       "lower", "2026-12-01T20:30:00Z", "svc-b", kSignatureExpired},
      {"stale build",
       [](PlanTest& t) {
         t.facts.develop = DevelopHead{kFix.substr(0, 40), T("2026-12-01T12:00:00Z")};
         t.facts.release.candidate_commit = kHead.substr(0, 40);
       },
       "lower", "2026-12-01T20:30:00Z", "svc-a", kStaleBuild},
      {"open defect",
       [](PlanTest& t) {
         t.LowerValidated();
         Defect d;
         d.id = 7;
         d.service = "svc-a";
         d.title = "500 on submit";
         d.opened_at = T("2026-12-02T16:00:00Z");
         t.facts.defects.push_back(d);
       },
       "prod-test", "2026-12-03T15:00:00Z", "svc-a", kOpenDefect},
      {"resolved defect",
       [](PlanTest& t) {
         t.LowerValidated();
         Defect d;
         d.id = 7;
         d.service = "svc-a";
         d.opened_at = T("2026-12-02T16:00:00Z");
         d.resolved_at = T("2026-12-02T18:00:00Z");
         t.facts.defects.push_back(d);
       },
       "prod-test", "2026-12-03T15:00:00Z", "svc-a", ""},
      {"no lower sign-off",
       [](PlanTest& t) {
         t.LowerValidated();
         std::erase_if(t.facts.signoffs, [](const SignOff& s) { return s.team == "vro"; });
       },
       "prod-test", "2026-12-03T15:00:00Z", "svc-a", kNotValidated},
      {"never deployed lower", [](PlanTest&) {}, "prod-test", "2026-12-03T15:00:00Z", "svc-a",
       kNotValidated},
      {"prod needs prod-test", [](PlanTest& t) { t.LowerValidated(); }, "prod",
       "2026-12-03T16:00:00Z", "svc-a", kNotValidated},
      {"prod-test unhealthy",
       [](PlanTest& t) {
         t.LowerValidated();
         t.Deployed("svc-a", "prod-test", "2026-12-03T15:10:00Z");
         t.SignedOff("vro", "prod-test", "2026-12-03T15:40:00Z");
         t.facts.health.push_back({"prod-test", "svc-a", false, T("2026-12-03T15:30:00Z")});
       },
       "prod", "2026-12-03T16:00:00Z", "svc-a", kUnhealthy},
      {"prod-test healthy again and signed off",
       [](PlanTest& t) {
         t.LowerValidated();
         t.Deployed("svc-a", "prod-test", "2026-12-03T15:10:00Z");
         t.facts.health.push_back({"prod-test", "svc-a", false, T("2026-12-03T15:20:00Z")});
         t.facts.health.push_back({"prod-test", "svc-a", true, T("2026-12-03T15:30:00Z")});
         t.SignedOff("vro", "prod-test", "2026-12-03T15:40:00Z");
       },
       "prod", "2026-12-03T16:00:00Z", "svc-a", ""},
      {"prod-test not signed off",
       [](PlanTest& t) {
         t.LowerValidated();
         t.Deployed("svc-a", "prod-test", "2026-12-03T15:10:00Z");
       },
       "prod", "2026-12-03T16:00:00Z", "svc-a", kNotValidated},
      {"hotfix invalidates the sign-off",
       [](PlanTest& t) {
         t.LowerValidated();
         t.AddImage("svc-a", kFix.substr(0, 40), ScanResult::kPassed);
         t.facts.swaps.push_back(
             {"svc-a", kFix.substr(0, 40), "captain", T("2026-12-02T18:00:00Z")});
       },
       "prod-test", "2026-12-03T15:00:00Z", "svc-a", kNotValidated},
      {"hotfix validated again",
       [](PlanTest& t) {
         t.LowerValidated();
         t.AddImage("svc-a", kFix.substr(0, 40), ScanResult::kPassed);
         t.facts.swaps.push_back(
             {"svc-a", kFix.substr(0, 40), "captain", T("2026-12-02T18:00:00Z")});
         t.Deployed("svc-a", "dev", "2026-12-02T18:30:00Z", kFix.substr(0, 40));
         t.Deployed("svc-a", "qa", "2026-12-02T18:30:00Z", kFix.substr(0, 40));
         t.SignedOff("vro", "qa", "2026-12-02T21:00:00Z");
       },
       "prod-test", "2026-12-03T15:00:00Z", "svc-a", ""},
      {"not requested",
       [](PlanTest& t) {
         t.facts.release.kind = ReleaseKind::kAdhoc;
         t.facts.release.requested_services = {"cc-app"};
       },
       "lower", "2026-12-01T20:30:00Z", "svc-a", kNotRequested},
      {"signature due pulls a silent team in",
       [](PlanTest& t) { t.facts.signature_due = {"cc-app"}; }, "lower", "2026-12-01T20:30:00Z",
       "cc-app", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    SetUp();
    c.arrange(*this);
    Decision d = Of(PlanAt(c.step, c.now), c.service);
    EXPECT_EQ(d.reason, c.reason) << d.detail;
    EXPECT_EQ(d.deploy, std::string(c.reason).empty());
    if (d.deploy) {
      EXPECT_FALSE(d.environments.empty());
    } else {
      EXPECT_TRUE(d.environments.empty());
      EXPECT_FALSE(d.detail.empty());
    }
  }
}

TEST_F(PlanTest, PartialScanFailureSkipsOnlyTheAffectedServices) {
  AddImage("svc-b", kHead.substr(0, 40), ScanResult::kVulnerable);
  Opt("cc", OptAnswer::kIn, "2026-12-01T15:00:00Z");
  Opt("ee", OptAnswer::kIn, "2026-12-01T15:00:00Z");
  Plan p = PlanAt("lower", "2026-12-01T20:30:00Z");
  std::vector<std::string> skipped;
  for (const auto& d : p.decisions) {
    if (!d.deploy) skipped.push_back(d.service + ":" + d.reason);
  }
  EXPECT_EQ(skipped, (std::vector<std::string>{"svc-b:scan-failed"}));
  EXPECT_EQ(p.candidate, kHead.substr(0, 40));
  Decision a = Of(p, "svc-a");
  EXPECT_EQ(a.tag, "aaaaaaa");
  EXPECT_EQ(a.ref, "r/svc-a:aaaaaaa");
}

// Two answers recorded in the same second: the one recorded last wins (it used to be the first).
TEST_F(PlanTest, SameSecondAnswersTheLastRecordedWins) {
  Opt("cc", OptAnswer::kIn, "2026-12-01T15:00:00Z");
  Opt("cc", OptAnswer::kOut, "2026-12-01T15:00:00Z");
  FactsIndex ix(facts);
  Instant deadline = T("2026-12-01T20:00:00Z");
  EXPECT_EQ(EffectiveOpt(config, ix, "cc-app", deadline, T("2026-12-01T16:00:00Z")),
            OptStatus::kOut);
  Opt("cc", OptAnswer::kIn, "2026-12-01T15:00:00Z");
  FactsIndex again(facts);
  EXPECT_EQ(EffectiveOpt(config, again, "cc-app", deadline, T("2026-12-01T16:00:00Z")),
            OptStatus::kIn);
  // A per-service answer still beats a team-wide one of the same second, whatever the order.
  Opt("cc", OptAnswer::kOut, "2026-12-01T15:00:00Z", "cc-app");
  Opt("cc", OptAnswer::kIn, "2026-12-01T15:00:00Z");
  FactsIndex mixed(facts);
  EXPECT_EQ(EffectiveOpt(config, mixed, "cc-app", deadline, T("2026-12-01T16:00:00Z")),
            OptStatus::kOut);
}

TEST(OptWindowTest, LateAnswerRefusedUnlessACaptainGivesAReason) {
  const auto* tz = date::locate_zone("America/New_York");
  Instant deadline = *ParseInstant("2026-12-01T20:00:00Z");
  EXPECT_TRUE(CheckOptAnswer(tz, deadline, *ParseInstant("2026-12-01T19:59:59Z"), "").ok());
  EXPECT_TRUE(CheckOptAnswer(tz, deadline, deadline, "").ok());
  auto late = CheckOptAnswer(tz, deadline, *ParseInstant("2026-12-01T20:00:01Z"), "");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ExitCode::kPolicy);
  EXPECT_NE(late.error().message.find("2026-12-01 15:00 EST"), std::string::npos);
  EXPECT_TRUE(CheckOptAnswer(tz, deadline, *ParseInstant("2026-12-01T21:00:00Z"), "ok'd").ok());
}

TEST_F(PlanTest, AdhocVerificationListsEveryUnmetCondition) {
  const std::string fix = kFix.substr(0, 40);
  AddImage("cc-app", fix, ScanResult::kVulnerable);
  AddImage("svc-a", fix, ScanResult::kPassed, false);
  Instant now = T("2026-12-05T15:00:00Z");
  auto unmet = VerifyRequest(config, facts, fix, {"cc-app", "svc-a", "ee-one", "nope"}, now);
  std::vector<std::string> want_prefixes = {"cc-app: scan-failed",
                                            "cc-app: not-validated: never deployed to dev",
                                            "cc-app: not-validated: never deployed to qa",
                                            "svc-a: unsigned",
                                            "svc-a: not-validated: never deployed to dev",
                                            "svc-a: not-validated: never deployed to qa",
                                            "ee-one: no-image",
                                            "ee-one: not-validated: never deployed to dev",
                                            "ee-one: not-validated: never deployed to qa",
                                            "nope: not a configured service"};
  ASSERT_EQ(unmet.size(), want_prefixes.size());
  for (size_t i = 0; i < unmet.size(); ++i)
    EXPECT_EQ(unmet[i].rfind(want_prefixes[i], 0), 0u) << unmet[i];

  // Deployed to both lower regions and signed off afterwards: ready.
  AddImage("cc-app", fix, ScanResult::kPassed);
  Deployed("cc-app", "dev", "2026-12-04T10:00:00Z", fix);
  Deployed("cc-app", "qa", "2026-12-04T11:00:00Z", fix);
  SignedOff("cc", "dev", "2026-12-04T09:30:00Z");  // before the fix ran in dev: does not count
  unmet = VerifyRequest(config, facts, fix, {"cc-app"}, now);
  ASSERT_EQ(unmet.size(), 1u);
  EXPECT_EQ(unmet[0],
            "cc-app: not-validated: team cc has not signed off lower-region validation while this "
            "commit ran there");
  SignedOff("cc", "qa", "2026-12-04T12:00:00Z");
  EXPECT_TRUE(VerifyRequest(config, facts, fix.substr(0, 7), {"cc-app"}, now).empty());
}

TEST(ChangelogTest, RefusesEmptyAndControlCharacters) {
  EXPECT_TRUE(CheckChangelog("fix: retry BGS calls\n- second line").ok());
  EXPECT_FALSE(CheckChangelog("  ").ok());
  EXPECT_EQ(CheckChangelog("bell\a").error().code, ExitCode::kUsage);
  EXPECT_FALSE(CheckChangelog(std::string(4001, 'x')).ok());
}

TEST(CommitHashTest, AcceptsSevenToFortyLowerHex) {
  EXPECT_TRUE(IsCommitHash("1a2b3c4"));
  EXPECT_TRUE(IsCommitHash(std::string(40, 'f')));
  EXPECT_FALSE(IsCommitHash("1a2b3c"));
  EXPECT_FALSE(IsCommitHash(std::string(41, 'f')));
  EXPECT_FALSE(IsCommitHash("1A2B3C4"));
  EXPECT_FALSE(IsCommitHash("1a2b3cg"));
}

TEST(ReleaseStateTest, TransitionsFollowThePolicyOrder) {
  using S = ReleaseState;
  EXPECT_TRUE(CanTransition(S::kCollecting, S::kOptClosed));
  EXPECT_TRUE(CanTransition(S::kOptClosed, S::kLowerDeployed));
  EXPECT_TRUE(CanTransition(S::kLowerDeployed, S::kLowerDeployed));
  EXPECT_FALSE(CanTransition(S::kProdDeployed, S::kLowerDeployed));
  EXPECT_FALSE(CanTransition(S::kValidated, S::kSignedOff));
  EXPECT_TRUE(CanTransition(S::kProdDeployed, S::kSignedOff));
  EXPECT_FALSE(CanTransition(S::kSignedOff, S::kCancelled));
  EXPECT_FALSE(CanTransition(S::kCollecting, S::kRolledBack));
  // A rollback holds one service; nothing moves a whole release to rolled-back any more.
  EXPECT_FALSE(CanTransition(S::kProdTestDeployed, S::kRolledBack));
  EXPECT_EQ(StateAfterStep("lower", "prod"), S::kLowerDeployed);
  EXPECT_EQ(StateAfterStep("prod-test", "prod"), S::kProdTestDeployed);
  EXPECT_EQ(StateAfterStep("prod", "prod"), S::kProdDeployed);
}

TEST_F(PlanTest, TickActionsBecomeDueAtTheirMilestonesOnce) {
  auto names = [](const std::vector<TickAction>& v) {
    std::vector<std::string> out;
    for (auto a : v) out.emplace_back(TickActionName(a));
    return out;
  };
  EXPECT_TRUE(DueTickActions(train, T("2026-12-01T13:59:59Z"), {}).empty());
  EXPECT_EQ(names(DueTickActions(train, T("2026-12-01T14:00:00Z"), {})),
            (std::vector<std::string>{"announce"}));
  EXPECT_EQ(names(DueTickActions(train, T("2026-12-03T14:00:00Z"), {"announce"})),
            (std::vector<std::string>{"close-opt-window", "validation-reminder", "defect-cutoff"}));
}

// A train known only by its release day and its prod deploy, for signature judgements.
Train TrainWithProd(const std::string& day, const std::string& prod) {
  Train t;
  t.release_day = *ParseDate(day);
  t.at[static_cast<int>(MilestoneId::kHigherDeploy)] = *ParseInstant(prod);
  return t;
}

TEST_F(PlanTest, SignatureAgesAndDueServices) {
  Deployment d;
  d.service = "cc-app";
  d.env = "prod";
  d.new_tag = "aaaaaaa";
  d.signed_at = T("2026-11-05T10:00:00Z");  // expires 2026-12-05
  d.at = T("2026-11-05T12:00:00Z");
  Deployment older = d;
  older.signed_at = T("2026-10-01T10:00:00Z");
  older.at = T("2026-10-01T12:00:00Z");
  auto running = Running({older, d});
  ASSERT_EQ(running.size(), 1u);
  // Expires before the next train's prod deploy: only an ad-hoc deploy saves it.
  auto ages = SignatureAges(config, running, T("2026-11-26T12:00:00Z"),
                            TrainWithProd("2026-12-08", "2026-12-10T15:00:00Z"),
                            TrainWithProd("2026-12-22", "2026-12-24T15:00:00Z"));
  EXPECT_EQ(ages.size(), config.services.size() * config.environments.size());
  size_t found = 0;
  for (const auto& a : ages) {
    if (a.service == "cc-app" && a.env == "prod") {
      ++found;
      EXPECT_EQ(a.status, SignatureStatus::kWarn);
      EXPECT_EQ(a.must_ship_in, "adhoc");
      EXPECT_EQ(a.days_left, 8);
    } else {
      EXPECT_EQ(a.status, SignatureStatus::kUnknown);
    }
  }
  EXPECT_EQ(found, 1u);
  EXPECT_EQ(DueServices(config, {{"cc-app", *d.signed_at}}, T("2026-11-26T12:00:00Z"),
                        TrainWithProd("2026-12-08", "2026-12-10T15:00:00Z"),
                        TrainWithProd("2026-12-22", "2026-12-24T15:00:00Z")),
            std::vector<std::string>{"cc-app"});
  ages = SignatureAges(config, running, T("2026-12-06T12:00:00Z"),
                       TrainWithProd("2026-12-15", "2026-12-17T15:00:00Z"),
                       TrainWithProd("2026-12-29", "2026-12-31T15:00:00Z"));
  EXPECT_EQ(ages[0].service, "svc-a");
  for (const auto& a : ages) {
    if (a.service == "cc-app" && a.env == "prod") {
      EXPECT_EQ(a.status, SignatureStatus::kExpired);
    }
  }
}

// 30-day signatures, 7-day warning, 14-day trains, signed Tuesday and deployed Thursday: right
// after the deploy the image is due in the next train (named); had it skipped that train it
// warns, since no train can refresh it before it expires.
TEST_F(PlanTest, SignatureStatusesOverATrainCycle) {
  Deployment d;
  d.service = "cc-app";
  d.env = "prod";
  d.new_tag = "aaaaaaa";
  d.signed_at = T("2026-12-01T12:00:00Z");  // expires 2026-12-31T12:00Z
  d.at = T("2026-12-03T15:00:00Z");
  Train n1 = TrainWithProd("2026-12-15", "2026-12-17T15:00:00Z");
  Train n2 = TrainWithProd("2026-12-29", "2026-12-31T15:00:00Z");
  Train n3 = TrainWithProd("2027-01-12", "2027-01-14T15:00:00Z");
  auto status = [&](const std::string& now, const Train& next, const Train& following) {
    for (const auto& a : SignatureAges(config, {d}, T(now.c_str()), next, following)) {
      if (a.service == "cc-app" && a.env == "prod") return a;
    }
    return SignatureAge{};
  };
  auto after_deploy = status("2026-12-03T16:00:00Z", n1, n2);
  EXPECT_EQ(after_deploy.status, SignatureStatus::kDue);
  EXPECT_EQ(after_deploy.must_ship_in, "2026-12-15");
  auto skipped = status("2026-12-17T16:00:00Z", n2, n3);
  EXPECT_EQ(skipped.status, SignatureStatus::kWarn);
  EXPECT_EQ(skipped.must_ship_in, "adhoc");
  // A fresher image (signed at the deploy itself, 2026-12-03) is still valid at n2's prod deploy.
  d.signed_at = T("2026-12-03T16:00:00Z");
  auto fresh = status("2026-12-03T16:30:00Z", n1, n2);
  EXPECT_EQ(fresh.status, SignatureStatus::kOk);
  EXPECT_EQ(fresh.must_ship_in, "");
}

}  // namespace
}  // namespace captain
