#include "config/loader.h"

#include <gtest/gtest.h>

#include <string>

namespace captain {
namespace {

// A small valid configuration; each error case changes one part of it.
const char* kBase = R"(timezone: America/New_York
sprint:
  anchor: 2026-01-07
  length_days: 14
  release_weekday: tuesday
milestones:
  opt_deadline: {day: 0, time: "15:00"}
holidays:
  sets: [us-federal]
  dates: [2026-12-24]
freezes:
  - {from: 2026-12-24, to: 2027-01-01, reason: year-end}
signature:
  max_age_days: 30
  warn_days: 7
channels:
  announce: "#benefits-vro"
  on_call: "#benefits-vro-on-call"
environments:
  - {name: dev, tier: lower, cluster: nonprod}
  - {name: prod, tier: higher, cluster: prod}
teams:
  - {name: vro, channel: "#alerts-platform", platform: true}
  - {name: cc, channel: "#alerts-cc"}
services:
  - {name: rabbitmq, team: vro, image: ghcr.io/org/vro-rabbitmq}
  - {name: vro-cc-app, team: cc, image: ghcr.io/org/vro-cc-app}
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

TEST(ConfigTest, BaseIsValid) {
  auto c = LoadConfigString(kBase, "captain.yaml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->timezone, "America/New_York");
  EXPECT_EQ(c->calendar.length_days, 14);
  EXPECT_EQ(c->environments.size(), 2u);
  EXPECT_EQ(c->environments[1].tier, Tier::kHigher);
  EXPECT_EQ(c->PlatformTeam()->name, "vro");
  EXPECT_EQ(c->services[1].team, "cc");
  EXPECT_EQ(c->calendar.freezes.size(), 1u);
  EXPECT_EQ(c->calendar.holidays.NameOf(*ParseDate("2026-12-24")).value_or(""), "holiday");
  auto loc = c->LocationOf(c->services[1], "prod");
  EXPECT_EQ(loc.file, "deploy/vro-cc-app/values-prod.yaml");
  EXPECT_EQ(loc.key, "image.tag");
}

struct ErrorCase {
  const char* name;
  const char* from;
  const char* to;
  const char* message;  // the whole first line of the error
};

TEST(ConfigTest, EveryErrorNamesFileLineColumnAndField) {
  const ErrorCase cases[] = {
      {"unknown team", "{name: vro-cc-app, team: cc,", "{name: vro-cc-app, team: xx,",
       "captain.yaml:27:30: services[1].team: unknown team 'xx'"},
      {"unknown top-level field", "signature:\n", "signatures:\n",
       "captain.yaml:13:1: signatures: unknown field (expected one of: timezone, sprint, "
       "milestones, holidays, freezes, signature, images, channels, environments, teams, "
       "services, gitops, source, database, store, state_dir, server, oncall, slack, argocd, "
       "registry)"},
      {"a Slack user id that is not one", "channels:\n",
       "slack:\n  users:\n    bob: {name: bob}\nchannels:\n",
       "captain.yaml:18:5: slack.users.bob: expected a Slack user id (U… or W…), got 'bob'"},
      {"a Slack role naming no team", "channels:\n",
       "slack:\n  groups:\n    S0CC: {roles: [\"team:zz\"]}\nchannels:\n",
       "captain.yaml:18:21: slack.groups.S0CC.roles[0]: names no team in `teams` ('zz')"},
      {"an ArgoCD pattern without the service", "channels:\n",
       "argocd:\n  app_pattern: \"{env}-app\"\nchannels:\n",
       "captain.yaml:17:17: argocd.app_pattern: must contain {service} (and {env} unless one "
       "application serves every environment), got '{env}-app'"},
      {"unknown nested field", "  length_days: 14", "  length: 14",
       "captain.yaml:4:3: sprint.length: unknown field (expected one of: anchor, length_days, "
       "release_weekday)"},
      {"not a number", "length_days: 14", "length_days: two weeks",
       "captain.yaml:4:16: sprint.length_days: expected a whole number, got 'two weeks'"},
      {"out of range", "length_days: 14", "length_days: 0",
       "captain.yaml:4:16: sprint.length_days: must be between 1 and 366, got 0"},
      {"bad date", "anchor: 2026-01-07", "anchor: 2026-02-30",
       "captain.yaml:3:11: sprint.anchor: expected a date YYYY-MM-DD, got '2026-02-30'"},
      {"bad weekday", "release_weekday: tuesday", "release_weekday: tuesdy",
       "captain.yaml:5:20: sprint.release_weekday: expected a weekday name, got 'tuesdy'"},
      {"bad time", "time: \"15:00\"", "time: \"25:00\"",
       "captain.yaml:7:33: milestones.opt_deadline.time: expected a local time HH:MM, got "
       "'25:00'"},
      {"unknown milestone", "  opt_deadline:", "  opt_dedline:",
       "captain.yaml:7:3: milestones.opt_dedline: unknown milestone (expected announce, "
       "opt_deadline, lower_deploy, validation_deadline, defect_cutoff or higher_deploy)"},
      {"milestone order", "opt_deadline: {day: 0, time: \"15:00\"}",
       "opt_deadline: {day: 0, time: \"08:00\"}",
       "captain.yaml:7:3: milestones.opt_deadline: comes before announce; milestones must "
       "keep the policy's order"},
      {"unknown time zone", "timezone: America/New_York", "timezone: America/Nowhere",
       "captain.yaml:1:11: timezone: unknown time zone 'America/Nowhere'"},
      {"missing required field", "  announce: \"#benefits-vro\"\n", "",
       "captain.yaml:17:3: channels.announce: required field missing"},
      {"bad channel", "on_call: \"#benefits-vro-on-call\"", "on_call: benefits-vro-on-call",
       "captain.yaml:18:12: channels.on_call: expected a Slack channel like '#name', got "
       "'benefits-vro-on-call'"},
      {"bad tier", "{name: prod, tier: higher,", "{name: prod, tier: top,",
       "captain.yaml:21:24: environments[1].tier: expected lower or higher, got 'top'"},
      {"duplicate service", "{name: vro-cc-app, team: cc,", "{name: rabbitmq, team: cc,",
       "captain.yaml:27:12: services[1].name: duplicate service 'rabbitmq'"},
      {"two platform teams", "{name: cc, channel: \"#alerts-cc\"}",
       "{name: cc, channel: \"#alerts-cc\", platform: true}",
       "captain.yaml:24:49: teams[1].platform: only one team can be the platform team ('vro' "
       "is)"},
      {"unknown holiday set", "sets: [us-federal]", "sets: [uk-bank]",
       "captain.yaml:9:10: holidays.sets[0]: unknown holiday set 'uk-bank' (known: us-federal)"},
      {"freeze backwards", "to: 2027-01-01", "to: 2026-12-01",
       "captain.yaml:12:28: freezes[0].to: ends before it starts (2026-12-24)"},
      {"warn after expiry", "warn_days: 7", "warn_days: 30",
       "captain.yaml:15:14: signature.warn_days: must be less than signature.max_age_days (30)"},
      {"wrong shape", "teams:\n", "teams: {vro: 1}\nunused:\n",
       "captain.yaml:22:9: teams: expected a list"},
      {"yaml syntax", "  length_days: 14\n", "  length_days: [14\n",
       "captain.yaml:6:11: missing comma in flow sequence"},
      {"duplicate key", "  length_days: 14\n", "  length_days: 14\n  length_days: 15\n",
       "captain.yaml:5:3: duplicate key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto cfg = LoadConfigString(Replace(kBase, c.from, c.to), "captain.yaml");
    ASSERT_FALSE(cfg.ok());
    EXPECT_EQ(cfg.error().code, ExitCode::kUsage);
    // The expected message is one whole line of the report (parser errors: its start).
    const std::string& all = cfg.error().message;
    bool prefix_only = std::string(c.message).back() == ' ';
    bool found = false;
    for (size_t pos = 0; pos <= all.size();) {
      size_t end = all.find('\n', pos);
      std::string line = all.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      found = found || (prefix_only ? line.rfind(c.message, 0) == 0 : line == c.message);
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    EXPECT_TRUE(found) << all;
  }
}

TEST(ConfigTest, ReportsEveryErrorAtOnce) {
  std::string text = Replace(kBase, "team: cc, image", "team: xx, image");
  text = Replace(text, "length_days: 14", "length_days: -1");
  auto cfg = LoadConfigString(text, "captain.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("sprint.length_days"), std::string::npos);
  EXPECT_NE(cfg.error().message.find("services[1].team: unknown team 'xx'"), std::string::npos);
}

TEST(ConfigTest, MissingFileIsAUsageError) {
  auto cfg = LoadConfig("/nonexistent/captain.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().code, ExitCode::kUsage);
  EXPECT_NE(cfg.error().message.find("/nonexistent/captain.yaml: cannot open"), std::string::npos);
}

TEST(ConfigTest, VroExampleLoads) {
  auto cfg = LoadConfig(std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/captain.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->services.size(), 10u);
  EXPECT_EQ(cfg->FindService("rabbitmq")->image,
            "ghcr.io/department-of-veterans-affairs/abd-vro-internal/vro-rabbitmq");
  EXPECT_EQ(cfg->FindService("vro-cc-app")->image,
            "ghcr.io/department-of-veterans-affairs/abd-vro-internal/vro-cc-app");
  EXPECT_EQ(cfg->FindTeam("ee")->channel, "#benefits-slack-alerts-ee");
  EXPECT_EQ(cfg->environments.size(), 5u);
  EXPECT_EQ(cfg->tag_length, 7);
}

}  // namespace
}  // namespace captain

namespace captain {
namespace {

// "Billion laughs": each level doubles ten times, so depth 12 would be 10^12 nodes. Refused
// from the node count, before anything is expanded.
TEST(ConfigTest, NestedAliasesAreBoundedNotExpanded) {
  std::string text = kBase;
  text += "x0: &a0 [lol]\n";
  for (int i = 1; i <= 12; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int k = 1; k < 10; ++k) text += ", " + prev;
    text += "]\n";
  }
  auto cfg = LoadConfigString(text, "captain.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.error().code, ExitCode::kUsage);
  EXPECT_NE(cfg.error().message.find("captain.yaml:"), std::string::npos);
  EXPECT_NE(cfg.error().message.find("aliases expand it to more than"), std::string::npos)
      << cfg.error().message;
}

TEST(ConfigTest, DeepNestingAndHugeFilesAreRefused) {
  std::string deep = kBase;
  deep += "x: ";
  deep.append(1000, '[').append(1000, ']');
  auto cfg = LoadConfigString(deep, "captain.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("captain.yaml:28:"), std::string::npos) << cfg.error().message;
  EXPECT_NE(cfg.error().message.find("depth"), std::string::npos) << cfg.error().message;
  std::string huge = kBase;
  huge += "# ";
  huge.append(2 << 20, 'x').append("\n");
  cfg = LoadConfigString(huge, "captain.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("larger than"), std::string::npos) << cfg.error().message;
}

// Aliases a configuration really uses still work.
TEST(ConfigTest, OrdinaryAliasesStillResolve) {
  std::string text =
      Replace(kBase, "  announce: \"#benefits-vro\"", "  announce: &ch \"#benefits-vro\"");
  text = Replace(text, "  on_call: \"#benefits-vro-on-call\"", "  on_call: *ch");
  auto cfg = LoadConfigString(text, "captain.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->channels.on_call, "#benefits-vro");
}

TEST(ConfigTest, ServerSectionAndItsTokens) {
  std::string hash(64, 'a');
  std::string text = std::string(kBase) +
                     "server:\n  listen: 0.0.0.0:9090\n  tick_seconds: 5\n  public_reads: true\n"
                     "  failover_seconds: 9\n"
                     "  tokens:\n    - {name: alice, sha256: " +
                     hash + ", roles: [captain, \"team:cc\"]}\n";
  auto cfg = LoadConfigString(text, "captain.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->server.listen, "0.0.0.0:9090");
  EXPECT_EQ(cfg->server.tick_seconds, 5);
  EXPECT_EQ(cfg->server.failover_seconds, 9);
  EXPECT_TRUE(cfg->server.public_reads);
  ASSERT_EQ(cfg->server.tokens.size(), 1u);
  EXPECT_EQ(cfg->server.tokens[0].roles, (std::vector<std::string>{"captain", "team:cc"}));

  struct Bad {
    std::string token, message;
  } bad[] = {
      {"{name: a, sha256: " + hash + ", roles: [\"team:zz\"]}",
       "server.tokens[0].roles[0]: names no team in `teams` ('zz')"},
      {"{name: a, sha256: " + hash + ", roles: [admin]}",
       "server.tokens[0].roles[0]: 'admin' is not a role (captain, viewer, ci or team:<id>)"},
      {"{name: a, sha256: ABC, roles: [viewer]}",
       "server.tokens[0].sha256: expected the token's SHA-256 as 64 lowercase hex digits"},
      {"{name: a, sha256: " + hash + ", roles: []}",
       "server.tokens[0].roles: give at least one role"},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.token);
    auto c = LoadConfigString(std::string(kBase) + "server:\n  tokens:\n    - " + b.token + "\n",
                              "captain.yaml");
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find(b.message), std::string::npos) << c.error().message;
  }
}

TEST(ConfigTest, StoreNamesTheDatabaseAndMustAgreeWithDatabase) {
  std::string text = std::string(kBase) + "store: postgresql://captain@db.internal/captain\n";
  auto cfg = LoadConfigString(text, "captain.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->database, "postgresql://captain@db.internal/captain");
  EXPECT_EQ(cfg->ResolvePath(cfg->database), cfg->database) << "a URL is not a path";
  auto both = LoadConfigString(text + "database: other.db\n", "captain.yaml");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("store: and database: name different databases"),
            std::string::npos)
      << both.error().message;
}

}  // namespace
}  // namespace captain
