#include "core/oncall.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

CalendarRules Calendar() {
  CalendarRules c;
  c.tz = date::locate_zone("America/New_York");
  c.anchor = *ParseDate("2026-01-06");  // a Tuesday; sprints of 14 days
  return c;
}

// A year of sprints: the rotation steps once per sprint and wraps; an assignment and a swap
// change only their own train, and a later swap wins over an earlier one.
TEST(Oncall, AYearOfSprintsWithAnAssignmentAndSwaps) {
  CalendarRules cal = Calendar();
  OncallRules rules;
  rules.engineers = {"ana", "ben", "cho", "dev", "eli"};
  rules.first_sprint = *ParseDate("2026-02-03");  // sprint 2 starts with ana
  Date assigned = ComputeTrain(cal, 10).release_day;
  Date swapped = ComputeTrain(cal, 20).release_day;
  rules.assignments.push_back({assigned, "zed", "ana"});
  std::vector<OncallSwap> swaps = {
      {swapped, "primary", "ben", "vacation", "ana", {}},
      {swapped, "secondary", "cho", "", "ana", {}},
      {swapped, "secondary", "dev", "cho is out too", "ben", {}},
  };
  for (int64_t k = 0; k < 27; ++k) {
    Train t = ComputeTrain(cal, k);
    Captains c = CaptainsOf(rules, cal, t, swaps);
    SCOPED_TRACE("sprint " + std::to_string(k) + " released " + FormatDate(t.release_day));
    if (k == 10) {
      EXPECT_EQ(c.primary, "zed");
      EXPECT_EQ(c.secondary, "ana");
      EXPECT_EQ(c.source, "assignment");
      continue;
    }
    // The expectation, written out independently: sprint 2 is ana's, 3 ben's, … 6 ana's again.
    static const char* kPrimary[] = {"dev", "eli", "ana", "ben", "cho"};
    static const char* kSecondary[] = {"eli", "ana", "ben", "cho", "dev"};
    if (k == 20) {
      EXPECT_EQ(c.primary, "ben");
      EXPECT_EQ(c.secondary, "dev");
      EXPECT_EQ(c.source, "swap");
      continue;
    }
    EXPECT_EQ(c.primary, kPrimary[k % 5]);
    EXPECT_EQ(c.secondary, kSecondary[k % 5]);
    EXPECT_EQ(c.source, "rotation");
    EXPECT_TRUE(c.Includes(kPrimary[k % 5]));
    EXPECT_FALSE(c.Includes("zed"));
  }
  EXPECT_EQ(CaptainsOf({}, cal, ComputeTrain(cal, 3), {}).source, "none");
}

}  // namespace
}  // namespace captain
