// Release captains from the command line and the daemon: the rotation, a swap (audited), the
// announcement naming them, and the captain role limited to a release's own captains.
#include <gtest/gtest.h>

#include "testing/daemon.h"

namespace captain::testing {
namespace {

void WithRotation(const Sandbox& box) {
  std::ofstream(box.Path("captain.yaml"), std::ios::app)
      << "\noncall:\n  engineers: [alice, bob, carol]\n  first_sprint: 2026-11-25\n"
         "  captains_only: true\n  admins: [root-admin]\n";
}

std::vector<std::string> Primaries(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& t : j["trains"]) out.push_back(t["primary"].get<std::string>());
  return out;
}

TEST(Oncall, RotationSwapAndAnnouncementFromTheCommandLine) {
  Sandbox box;
  WithRotation(box);
  auto list = box.Captain("2026-11-30T12:00:00Z", {"--json", "oncall", "--count", "4"});
  ASSERT_EQ(list.code, 0) << list.err;
  auto j = nlohmann::json::parse(list.out);
  EXPECT_EQ(Primaries(j), (std::vector<std::string>{"alice", "bob", "carol", "alice"}));
  EXPECT_EQ(j["trains"][0]["secondary"], "bob");
  EXPECT_EQ(j["trains"][0]["release_day"], "2026-12-01");

  auto swap = box.Captain("2026-11-30T12:05:00Z",
                          {"oncall", "swap", "--release-day", "2026-12-15", "--role", "secondary",
                           "--engineer", "dave", "--reason", "carol is out", "--by", "alice"});
  ASSERT_EQ(swap.code, 0) << swap.err;
  EXPECT_EQ(swap.out, "2026-12-15  primary bob, secondary dave  (swap)\n");
  auto bad = box.Captain("2026-11-30T12:06:00Z",
                         {"oncall", "swap", "--release-day", "2026-12-16", "--role", "primary",
                          "--engineer", "x", "--reason", "y", "--by", "alice"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--release-day: 2026-12-16 is not a release day"), std::string::npos)
      << bad.err;
  auto audit = box.Captain("2026-11-30T12:07:00Z", {"--json", "audit", "--action", "oncall.swap"});
  auto entries = nlohmann::json::parse(audit.out)["entries"];
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["before"]["secondary"], "carol");
  EXPECT_EQ(entries[0]["after"]["secondary"], "dave");
  EXPECT_EQ(entries[0]["actor"], "alice");

  ASSERT_EQ(box.Captain("2026-12-01T14:00:00Z", {"tick"}).code, 0);
  std::string posted = box.Shell("sqlite3 captain.db \"SELECT text FROM outbox\"");
  EXPECT_NE(posted.find("Release captains: alice (primary), bob (secondary)."), std::string::npos)
      << posted;
}

TEST(Oncall, TheCaptainRoleLimitedToTheReleasesCaptains) {
  Sandbox box;
  WithRotation(box);
  ConfigureServer(box);
  Daemon d(box, "2026-12-01T16:00:00Z");
  ASSERT_GT(d.port(), 0) << Slurp(d.log());
  d.WaitFor("/api/v1/releases",
            [](const Reply& r) { return r.status == 200 && r.json["releases"].size() == 1; });
  auto who = d.Get("/api/v1/oncall?release=2026-12-01", "watcher");
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(who.json["primary"], "alice");
  EXPECT_EQ(who.json["secondary"], "bob");
  const std::string note = "/api/v1/releases/2026-12-01/notes";
  nlohmann::json body = {{"category", "bug-fixes"}, {"text", "retries"}};
  EXPECT_EQ(d.Post(note, "alice", body).status, 200);
  auto refused = d.Post(note, "carol", body);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("carol is not a release captain of 2026-12-01 (alice, bob)"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(d.Post(note, "root-admin", body).status, 200);
  // Reads and changes outside a release stay open to every captain.
  EXPECT_EQ(d.Get("/api/v1/releases/2026-12-01", "carol").status, 200);
  EXPECT_EQ(d.Post("/api/v1/tick", "carol", nlohmann::json::object()).status, 200);
  // A swap makes carol a captain of it.
  auto swap = d.Post("/api/v1/oncall/swaps", "alice",
                     {{"release_day", "2026-12-01"},
                      {"role", "secondary"},
                      {"engineer", "carol"},
                      {"reason", "bob is ill"}});
  ASSERT_EQ(swap.status, 200) << swap.body;
  EXPECT_EQ(d.Post(note, "carol", body).status, 200);
  EXPECT_EQ(d.Stop(), 0);
}

}  // namespace
}  // namespace captain::testing
