// Inputs the fuzz targets found (fuzz/regressions/), each a usage error now: a report without
// images crashed the import, a time before year 1 did not print back, and a YAML directive with
// bytes that are not UTF-8 made libfyaml loop forever, and a run of escaped quotes made it
// leak (config-leak-quote-run, checked by LeakSanitizer in the sanitizer build).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/evidence.h"
#include "config/loader.h"
#include "core/timefmt.h"
#include "gitops/yaml_edit.h"

namespace captain {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(FuzzRegressionTest, EveryFindingIsAQuickUsageError) {
  size_t seen = 0;
  for (const auto& entry :
       fs::directory_iterator(fs::path(CAPTAIN_SOURCE_DIR) / "fuzz/regressions")) {
    std::string name = entry.path().filename().string();
    std::string text = Read(entry.path());
    auto start = std::chrono::steady_clock::now();
    if (name.rfind("config-", 0) == 0) {
      auto c = LoadConfigString(text, name);
      ASSERT_FALSE(c.ok()) << name;
      EXPECT_EQ(c.error().code, ExitCode::kUsage) << name;
    } else if (name.rfind("yaml_edit-", 0) == 0) {
      auto v = GetScalar(text, name, "image.tag");
      ASSERT_FALSE(v.ok()) << name;
      EXPECT_EQ(v.error().code, ExitCode::kUsage) << name;
    } else if (name.rfind("run_report-", 0) == 0) {
      auto r = ParseRunReport(text, name);
      ASSERT_FALSE(r.ok()) << name;
      EXPECT_EQ(r.error().code, ExitCode::kUsage) << name;
    } else if (name.rfind("time-", 0) == 0) {
      EXPECT_FALSE(ParseInstant(text)) << name;
    } else {
      ADD_FAILURE() << "no target for " << name;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << name;
    ++seen;
  }
  EXPECT_GE(seen, 4u);
}

TEST(FuzzRegressionTest, TimesPrintBack) {
  EXPECT_FALSE(ParseInstant("0000-01-01T00:04+1300"));
  EXPECT_FALSE(ParseInstant("1969-12-31T23:59:59Z"));
  auto last = ParseInstant("9999-12-31T23:59:59Z");
  ASSERT_TRUE(last);
  EXPECT_EQ(FormatUtc(*last), "9999-12-31T23:59:59Z");
}

}  // namespace
}  // namespace captain
