// The audit log read through the binary: filters, limits and a JSON-lines stream.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/cli_fixture.h"

namespace captain {
namespace {

using nlohmann::json;
using AuditTest = testing::CliTest;

TEST_F(AuditTest, FiltersLimitsAndStreams) {
  const std::string id = "2026-12-01";
  Ok("2026-12-01T14:05:00Z", {"tick"});
  Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", id, "--team", "cc", "--by", "bob"});
  Ok("2026-12-01T16:10:00Z", {"opt", "out", "--release", id, "--team", "ee", "--by", "erin"});
  Ok("2026-12-01T20:05:00Z", {"tick"});
  json all = Ok("2026-12-01T20:06:00Z", {"audit"});
  ASSERT_GE(all["entries"].size(), 5u);

  json bob = Ok("2026-12-01T20:06:00Z", {"audit", "--actor", "bob"});
  ASSERT_EQ(bob["entries"].size(), 1u);
  EXPECT_EQ(bob["entries"][0]["action"], "opt.in");
  json opts = Ok("2026-12-01T20:06:00Z", {"audit", "--action", "opt."});
  size_t opt_entries = 0;
  for (const auto& e : all["entries"])
    opt_entries += e["action"].get<std::string>().rfind("opt.", 0) == 0;
  EXPECT_EQ(opts["entries"].size(), opt_entries);
  EXPECT_EQ(opt_entries, 2u);  // opt.in and opt.out
  json since = Ok("2026-12-01T20:06:00Z", {"audit", "--since", "2026-12-01T16:05:00Z"});
  for (const auto& e : since["entries"])
    EXPECT_GE(e["at"].get<std::string>(), "2026-12-01T16:05:00Z");
  EXPECT_EQ(since["entries"][0]["actor"], "erin");
  json two = Ok("2026-12-01T20:06:00Z", {"audit", "--limit", "2"});
  ASSERT_EQ(two["entries"].size(), 2u);
  EXPECT_EQ(two["entries"][0], all["entries"][0]);

  auto stream = box.Captain("2026-12-01T20:06:00Z", {"--json", "audit", "--stream"});
  ASSERT_EQ(stream.code, 0) << stream.err;
  std::istringstream lines(stream.out);
  std::string line;
  size_t n = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(json::parse(line), all["entries"][n]) << line;
    ++n;
  }
  EXPECT_EQ(n, all["entries"].size());
  Exits(2, "2026-12-01T20:06:00Z", {"audit", "--since", "yesterday"});
  Exits(2, "2026-12-01T20:06:00Z", {"audit", "--release", "2099-01-01"});
}

}  // namespace
}  // namespace captain
