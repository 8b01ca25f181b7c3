// Hostile input, missing state and concurrent processes through the captain binary: each is
// refused or handled with a message, never a crash or a silent fresh start.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/cli_fixture.h"

namespace captain {
namespace {

using nlohmann::json;
using testing::AllScans;
using testing::kHead;
using testing::Report;

const std::string kId = "2026-12-01";

class HardeningTest : public testing::CliTest {
 protected:
  testing::Run Captain(const std::string& now, const std::vector<std::string>& args,
                       const std::string& env = "") {
    return box.Captain(now, args, env);
  }
};

TEST_F(HardeningTest, AMissingOrEmptyDatabaseIsNotAFreshStart) {
  namespace fs = std::filesystem;
  std::string typo = box.Path("typo.db");
  auto r = Exits(2, "2026-12-01T20:05:00Z", {"--db", typo, "tick"});
  EXPECT_TRUE(Has(r.err, typo) && Has(r.err, "captain init")) << r.err;
  EXPECT_FALSE(fs::exists(typo));
  std::string nodir = box.Path("no-such-dir/x.db");
  r = Exits(2, "2026-12-01T20:05:00Z", {"--db", nodir, "audit"});
  EXPECT_FALSE(fs::exists(box.Path("no-such-dir")));
  WriteFile("empty.db", "");
  r = Exits(2, "2026-12-01T20:05:00Z", {"--db", box.Path("empty.db"), "audit"});
  EXPECT_TRUE(Has(r.err, "empty")) << r.err;
  // Told to, it creates one (and its directory).
  Ok("2026-12-01T20:05:00Z", {"--db", nodir, "init"});
  EXPECT_TRUE(Ok("2026-12-01T20:06:00Z", {"--db", nodir, "audit"})["entries"].empty());
  Ok("2026-12-01T20:07:00Z", {"--db", typo, "--init", "release", "list"});
  EXPECT_TRUE(fs::exists(typo));
}

TEST_F(HardeningTest, ConcurrentProcessesOnAFreshDatabaseAllSucceed) {
  for (int round = 0; round < 10; ++round) {
    std::string db = box.Path("fresh-" + std::to_string(round) + ".db");
    std::string cmd;
    for (int i = 0; i < 4; ++i) {
      std::string what = i % 2 ? "tick" : "audit";
      cmd += "(" + testing::ShellQuote(CAPTAIN_BIN) + " --config captain.yaml --db " + db +
             " --init --now 2026-12-01T14:05:00Z " + what + " >/dev/null 2>err." +
             std::to_string(i) + "; echo $? >rc." + std::to_string(i) + ") & ";
    }
    box.Shell(cmd + "wait");
    for (int i = 0; i < 4; ++i) {
      std::string rc = box.Shell("cat rc." + std::to_string(i));
      EXPECT_EQ(rc, "0\n") << "round " << round << " process " << i << ": "
                           << box.Shell("cat err." + std::to_string(i));
    }
    json releases = Ok("2026-12-01T14:06:00Z", {"--db", db, "release", "list"});
    EXPECT_EQ(releases["releases"].size(), 1u) << releases.dump();
  }
}

TEST_F(HardeningTest, InvalidUtf8IsRefusedOnInputAndNeverAbortsOutput) {
  Ok("2026-12-01T14:05:00Z", {"tick"});
  auto r = Exits(2, "2026-12-01T16:00:00Z", {"opt", "out", "--release", kId, "--team", "ee"},
                 "CAPTAIN_USER=\"$(printf 'Jos\\351')\"");
  EXPECT_TRUE(Has(r.err, "--by") && Has(r.err, "UTF-8")) << r.err;
  Exits(2, "2026-12-01T16:00:00Z",
        {"release", "note", kId, "--category", "bug-fixes", "--text", "caf\xe9", "--by", "al"});
  // Text that reached the database some other way (an older captain, a hand edit) is printed
  // with U+FFFD, and the log stays readable.
  {
    SQLite::Database db(box.Path("captain.db"), SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO audit (at, actor, action) VALUES (1796140800, 'Jos' || char(233) || "
        "cast(x'e9' as text), 'opt.out')");
  }
  json audit = Ok("2026-12-01T16:01:00Z", {"audit"});
  ASSERT_FALSE(audit["entries"].empty());
  EXPECT_EQ(audit["entries"].back()["actor"], "Jos\xc3\xa9\xef\xbf\xbd");
  auto text = box.Captain("2026-12-01T16:01:00Z", {"audit"});
  EXPECT_EQ(text.code, 0) << text.err;
  EXPECT_TRUE(Has(text.out, "\\xE9")) << text.out;
}

TEST_F(HardeningTest, ControlCharactersNeverReachTheTerminal) {
  DeployLower();
  json defect = Ok("2026-12-01T20:20:00Z", {"defect", "open", "--release", kId, "--service",
                                            "vro-cc-app", "--title", "CFI", "--by", "alice"});
  {
    SQLite::Database db(box.Path("captain.db"), SQLite::OPEN_READWRITE);
    db.exec("UPDATE defects SET title = 'CFI' || char(27) || '[2J' || char(10) || 'gone'");
  }
  auto plan = box.Captain("2026-12-01T20:21:00Z", {"plan", kId, "--tier", "prod-test"});
  EXPECT_EQ(plan.code, 0) << plan.err;
  EXPECT_EQ(plan.out.find('\x1b'), std::string::npos);
  EXPECT_TRUE(Has(plan.out, "CFI\\x1B[2J")) << plan.out;
  // Evidence with control characters is refused whole, naming the field.
  auto report = json::parse(Report("run-\x1b[31m", kHead, AllScans()));
  WriteFile("bad.json", report.dump());
  auto r = Exits(2, "2026-12-01T20:22:00Z", {"evidence", "import", box.Path("bad.json")});
  EXPECT_TRUE(Has(r.err, "$.run_id: control characters")) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
}

TEST_F(HardeningTest, AServiceRemovedFromTheConfigurationIsReportedNotACrash) {
  DeployLower();
  Ok("2026-12-02T15:00:00Z",
     {"signoff", "--release", kId, "--team", "cc", "--env", "qa", "--by", "bob"});
  std::string cfg = testing::Slurp(box.Path("captain.yaml"));
  auto pos = cfg.find("  - {name: vro-cc-app,         team: cc}\n");
  ASSERT_NE(pos, std::string::npos);
  cfg.erase(pos, std::string("  - {name: vro-cc-app,         team: cc}\n").size());
  WriteFile("captain.yaml", cfg);
  const std::vector<std::vector<std::string>> commands = {
      {"release", "show", kId},
      {"plan", kId, "--tier", "prod-test"},
      {"signatures"},
      {"drift"},
      {"signoff", "--release", kId, "--team", "vro", "--env", "qa", "--by", "alice"},
      {"tick"},
      {"rollback", "--release", kId, "--env", "dev", "--reason", "bad", "--by", "alice"},
      {"release", "signoff", kId, "--by", "alice"},
  };
  std::string now = "2026-12-03T15:00:00Z";
  for (const auto& args : commands) {
    auto r = box.Captain(now, args);
    EXPECT_TRUE(r.code >= 0 && r.code <= 3) << args[0] << ": " << r.code << " " << r.err;
    EXPECT_FALSE(Has(r.err, "terminate")) << r.err;
  }
}

}  // namespace
}  // namespace captain
