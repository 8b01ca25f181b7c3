#include "core/calendar.h"

#include <gtest/gtest.h>

#include <sstream>

namespace captain {
namespace {

namespace dt = date;

Date D(const char* s) { return *ParseDate(s); }
Instant T(const char* s) { return *ParseInstant(s); }

// Weekly Tuesday trains, so that every Tuesday of the years under test is a release day.
CalendarRules Weekly(const char* zone) {
  CalendarRules r;
  r.tz = dt::locate_zone(zone);
  r.anchor = D("2024-12-30");  // a Monday
  r.length_days = 7;
  return r;
}

Train TrainOn(const CalendarRules& r, const char* release_day) {
  Train t = ComputeTrain(r, SprintIndexOfDate(r, D(release_day)));
  EXPECT_EQ(FormatDate(t.release_day), release_day);
  return t;
}

struct DstCase {
  const char* release_day;
  const char* opt_deadline;  // 15:00 local, in UTC
};

// The Tuesday before and after every DST change in America/New_York, 2025-2030.
TEST(CalendarTest, OptDeadlineIs15EasternAcrossEveryDstChange) {
  const DstCase cases[] = {
      {"2025-03-04", "2025-03-04T20:00:00Z"}, {"2025-03-11", "2025-03-11T19:00:00Z"},
      {"2025-10-28", "2025-10-28T19:00:00Z"}, {"2025-11-04", "2025-11-04T20:00:00Z"},
      {"2026-03-03", "2026-03-03T20:00:00Z"}, {"2026-03-10", "2026-03-10T19:00:00Z"},
      {"2026-10-27", "2026-10-27T19:00:00Z"}, {"2026-11-03", "2026-11-03T20:00:00Z"},
      {"2027-03-09", "2027-03-09T20:00:00Z"}, {"2027-03-16", "2027-03-16T19:00:00Z"},
      {"2027-11-02", "2027-11-02T19:00:00Z"}, {"2027-11-09", "2027-11-09T20:00:00Z"},
      {"2028-03-07", "2028-03-07T20:00:00Z"}, {"2028-03-14", "2028-03-14T19:00:00Z"},
      {"2028-10-31", "2028-10-31T19:00:00Z"}, {"2028-11-07", "2028-11-07T20:00:00Z"},
      {"2029-03-06", "2029-03-06T20:00:00Z"}, {"2029-03-13", "2029-03-13T19:00:00Z"},
      {"2029-10-30", "2029-10-30T19:00:00Z"}, {"2029-11-06", "2029-11-06T20:00:00Z"},
      {"2030-03-05", "2030-03-05T20:00:00Z"}, {"2030-03-12", "2030-03-12T19:00:00Z"},
      {"2030-10-29", "2030-10-29T19:00:00Z"}, {"2030-11-05", "2030-11-05T20:00:00Z"},
  };
  auto rules = Weekly("America/New_York");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.release_day);
    Train t = TrainOn(rules, c.release_day);
    EXPECT_EQ(FormatUtc(t.When(MilestoneId::kOptDeadline)), c.opt_deadline);
    EXPECT_TRUE(t.moved.empty());
  }
}

TEST(CalendarTest, DefaultMilestonesOfOneTrain) {
  auto rules = Weekly("America/New_York");
  Train t = TrainOn(rules, "2026-12-01");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kAnnounce)), "2026-12-01T14:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kOptDeadline)), "2026-12-01T20:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kLowerDeploy)), "2026-12-01T20:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kValidationDeadline)), "2026-12-02T22:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kDefectCutoff)), "2026-12-03T14:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kHigherDeploy)), "2026-12-03T15:00:00Z");
}

TEST(CalendarTest, EuropeLondonFollowsBritishSummerTime) {
  auto rules = Weekly("Europe/London");
  EXPECT_EQ(FormatUtc(TrainOn(rules, "2026-03-24").When(MilestoneId::kOptDeadline)),
            "2026-03-24T15:00:00Z");
  EXPECT_EQ(FormatUtc(TrainOn(rules, "2026-03-31").When(MilestoneId::kOptDeadline)),
            "2026-03-31T14:00:00Z");
  EXPECT_EQ(FormatUtc(TrainOn(rules, "2026-10-20").When(MilestoneId::kOptDeadline)),
            "2026-10-20T14:00:00Z");
  EXPECT_EQ(FormatUtc(TrainOn(rules, "2026-10-27").When(MilestoneId::kOptDeadline)),
            "2026-10-27T15:00:00Z");
}

TEST(CalendarTest, ReleaseDayIsFirstReleaseWeekdayOnOrAfterSprintStart) {
  CalendarRules r = Weekly("America/New_York");
  r.anchor = D("2026-01-07");  // Wednesday
  r.length_days = 14;
  for (int64_t i = -5; i < 60; ++i) {
    Train t = ComputeTrain(r, i);
    auto start = dt::sys_days{t.sprint_start};
    auto release = dt::sys_days{t.release_day};
    EXPECT_EQ(dt::weekday{release}, dt::Tuesday);
    EXPECT_GE(release, start);
    EXPECT_LT(release - start, dt::days{7});
    EXPECT_EQ(start - dt::sys_days{r.anchor}, dt::days{14 * i});
  }
}

TEST(CalendarTest, SprintIndexAtUsesLocalDate) {
  CalendarRules r = Weekly("America/New_York");
  r.anchor = D("2026-01-07");
  r.length_days = 14;
  // 2026-01-21 is the first day of sprint 1; 03:00Z that day is still Jan 20 in New York.
  EXPECT_EQ(SprintIndexAt(r, T("2026-01-21T03:00:00Z")), 0);
  EXPECT_EQ(SprintIndexAt(r, T("2026-01-21T05:00:00Z")), 1);
  EXPECT_EQ(SprintIndexAt(r, T("2026-01-06T12:00:00Z")), -1);
}

struct ResolveCase {
  const char* zone;
  const char* local;  // YYYY-MM-DDTHH:MM
  const char* utc;
  LocalResolution how;
};

TEST(CalendarTest, ResolveLocalHandlesGapsAndOverlaps) {
  const ResolveCase cases[] = {
      {"America/New_York", "2026-03-08T02:30", "2026-03-08T07:30:00Z",
       LocalResolution::kNonexistent},
      {"America/New_York", "2026-11-01T01:30", "2026-11-01T05:30:00Z", LocalResolution::kAmbiguous},
      {"America/New_York", "2026-11-01T03:30", "2026-11-01T08:30:00Z", LocalResolution::kUnique},
      {"Europe/London", "2026-03-29T01:30", "2026-03-29T01:30:00Z", LocalResolution::kNonexistent},
      {"Europe/London", "2026-10-25T01:30", "2026-10-25T00:30:00Z", LocalResolution::kAmbiguous},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.zone) + " " + c.local);
    dt::local_seconds local;
    std::istringstream in(c.local);
    in >> dt::parse("%FT%R", local);
    ASSERT_FALSE(in.fail());
    auto r = ResolveLocal(dt::locate_zone(c.zone), local);
    EXPECT_EQ(FormatUtc(r.at), c.utc);
    EXPECT_EQ(r.how, c.how);
  }
}

// Cairo changes clocks on weekdays (Friday 00:00 forward, Thursday 24:00 back), so a
// milestone can land in a gap or an overlap without being moved for a weekend first.
TEST(CalendarTest, MilestoneInNonexistentOrAmbiguousLocalTimeIsResolvedAndReported) {
  CalendarRules r = Weekly("Africa/Cairo");
  r.anchor = D("2026-01-05");
  r.release_weekday = dt::Thursday;
  r.milestones = {{{0, std::chrono::hours{9}},
                   {0, std::chrono::hours{15}},
                   {0, std::chrono::hours{15}},
                   {0, std::chrono::hours{23} + std::chrono::minutes{30}},
                   {1, std::chrono::minutes{30}},
                   {1, std::chrono::hours{10}}}};
  // Thursday 2026-04-23: the following midnight does not exist (00:00 -> 01:00 Friday).
  Train spring = TrainOn(r, "2026-04-23");
  ASSERT_EQ(spring.moved.size(), 1u);
  EXPECT_EQ(spring.moved[0].milestone, MilestoneId::kDefectCutoff);
  EXPECT_EQ(spring.moved[0].reason, MoveReason::kNonexistentLocalTime);
  EXPECT_EQ(spring.moved[0].from, "2026-04-24T00:30");
  EXPECT_EQ(FormatUtc(spring.When(MilestoneId::kDefectCutoff)), "2026-04-23T22:30:00Z");
  // Thursday 2026-10-29: 23:00-24:00 happens twice.
  Train autumn = TrainOn(r, "2026-10-29");
  ASSERT_EQ(autumn.moved.size(), 1u);
  EXPECT_EQ(autumn.moved[0].milestone, MilestoneId::kValidationDeadline);
  EXPECT_EQ(autumn.moved[0].reason, MoveReason::kAmbiguousLocalTime);
  EXPECT_EQ(FormatUtc(autumn.When(MilestoneId::kValidationDeadline)), "2026-10-29T20:30:00Z");
}

TEST(CalendarTest, HolidayMovesMilestoneAndLaterOnesKeepOrder) {
  CalendarRules r = Weekly("America/New_York");
  r.holidays.AddSet("us-federal");
  // Veterans Day 2026 is Wednesday Nov 11: validation moves to Thursday; the Thursday
  // milestones that would now come before it move to Friday.
  Train t = TrainOn(r, "2026-11-10");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kOptDeadline)), "2026-11-10T20:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kValidationDeadline)), "2026-11-12T22:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kDefectCutoff)), "2026-11-13T14:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kHigherDeploy)), "2026-11-13T15:00:00Z");
  ASSERT_EQ(t.moved.size(), 3u);
  EXPECT_EQ(t.moved[0].milestone, MilestoneId::kValidationDeadline);
  EXPECT_EQ(t.moved[0].from, "2026-11-11T22:00:00Z");
  EXPECT_EQ(t.moved[0].reason, MoveReason::kHoliday);
  EXPECT_EQ(t.moved[0].detail, "Veterans Day");
  EXPECT_EQ(t.moved[1].milestone, MilestoneId::kDefectCutoff);
  EXPECT_EQ(t.moved[2].milestone, MilestoneId::kHigherDeploy);
}

// A holiday on the release day moves the whole train a business day: validation keeps its
// day instead of being squeezed into the two hours after the lower deploy.
TEST(CalendarTest, HolidayOnReleaseDayMovesTheWholeTrain) {
  CalendarRules r = Weekly("America/New_York");
  r.holidays.AddDate(D("2027-02-09"), "team offsite");
  Train t = TrainOn(r, "2027-02-09");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kAnnounce)), "2027-02-10T14:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kOptDeadline)), "2027-02-10T20:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kLowerDeploy)), "2027-02-10T20:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kValidationDeadline)), "2027-02-11T22:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kDefectCutoff)), "2027-02-12T14:00:00Z");
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kHigherDeploy)), "2027-02-12T15:00:00Z");
  ASSERT_EQ(t.moved.size(), 6u);
  for (const auto& m : t.moved) EXPECT_EQ(m.detail, "team offsite");
}

// The issue's case: Christmas 2029 falls on the release day (Tuesday).
TEST(CalendarTest, ChristmasTrainKeepsADayOfValidation) {
  CalendarRules r = Weekly("America/New_York");
  r.holidays.AddSet("us-federal");
  Train t = TrainOn(r, "2029-12-25");
  Instant lower = t.When(MilestoneId::kLowerDeploy);
  Instant validation = t.When(MilestoneId::kValidationDeadline);
  EXPECT_EQ(FormatUtc(lower), "2029-12-26T20:00:00Z");
  EXPECT_EQ(FormatUtc(validation), "2029-12-27T22:00:00Z");
  EXPECT_GE(validation - lower, std::chrono::hours{24});
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kHigherDeploy)), "2029-12-28T15:00:00Z");
  EXPECT_EQ(t.moved.size(), 6u);
  EXPECT_TRUE(TrainFitProblem(r, t.index).empty());
}

TEST(CalendarTest, TrainThatCannotFitIsReported) {
  CalendarRules r = Weekly("America/New_York");
  r.freezes.push_back({D("2027-02-01"), D("2027-02-14"), "migration"});
  Train t = TrainOn(r, "2027-02-09");
  std::string problem = TrainFitProblem(r, t.index);
  EXPECT_NE(problem.find("after the next train is announced"), std::string::npos) << problem;
  r.freezes = {{D("2027-01-01"), D("2027-12-31"), "forever"}};
  problem = TrainFitProblem(r, TrainOn(r, "2027-02-09").index);
  EXPECT_NE(problem.find("no allowed business day"), std::string::npos) << problem;
}

TEST(CalendarTest, FreezeMovesToFirstBusinessDayAfterIt) {
  CalendarRules r = Weekly("America/New_York");
  r.holidays.AddSet("us-federal");
  r.freezes.push_back({D("2028-12-22"), D("2029-01-02"), "year-end"});
  Train t = TrainOn(r, "2028-12-26");
  // Jan 1 2029 is a holiday and inside the freeze; Jan 3 is the first allowed day.
  EXPECT_EQ(FormatUtc(t.When(MilestoneId::kAnnounce)), "2029-01-03T14:00:00Z");
  EXPECT_EQ(t.moved.front().reason, MoveReason::kFreeze);
  EXPECT_EQ(t.moved.front().detail, "year-end");
  for (int i = 1; i < kMilestoneCount; ++i) EXPECT_GE(t.at[i], t.at[i - 1]);
}

TEST(CalendarTest, UsFederalHolidaysWithWeekendObservance) {
  auto has = [](int year, const char* date, const char* name) {
    for (const auto& h : UsFederalHolidays(year)) {
      if (FormatDate(h.date) == date) return h.name == name;
    }
    return false;
  };
  EXPECT_TRUE(has(2026, "2026-07-03", "Independence Day"));  // Saturday -> Friday
  EXPECT_TRUE(has(2027, "2027-06-18", "Juneteenth National Independence Day"));  // Sat
  EXPECT_TRUE(has(2027, "2027-12-24", "Christmas Day"));   // Saturday -> Friday
  EXPECT_TRUE(has(2028, "2027-12-31", "New Year's Day"));  // Saturday -> Dec 31
  EXPECT_TRUE(has(2029, "2029-11-12", "Veterans Day"));    // Sunday -> Monday
  EXPECT_TRUE(has(2026, "2026-11-26", "Thanksgiving Day"));
  EXPECT_TRUE(has(2026, "2026-05-25", "Memorial Day"));
  EXPECT_TRUE(has(2030, "2030-01-21", "Birthday of Martin Luther King, Jr."));
  HolidayCalendar cal;
  cal.AddSet("us-federal");
  EXPECT_EQ(cal.NameOf(D("2027-12-31")).value_or(""), "New Year's Day");
  EXPECT_FALSE(cal.NameOf(D("2026-07-04")).has_value());  // the Saturday itself
  EXPECT_FALSE(cal.NameOf(D("2026-12-01")).has_value());
}

TEST(CalendarTest, TrainsFromSkipsTrainsAlreadyOver) {
  CalendarRules r = Weekly("America/New_York");
  r.anchor = D("2026-01-07");
  r.length_days = 14;
  auto trains = TrainsFrom(r, D("2026-12-04"), 2);  // the Dec 1 train ended Dec 3
  ASSERT_EQ(trains.size(), 2u);
  EXPECT_EQ(FormatDate(trains[0].release_day), "2026-12-15");
  auto same_week = TrainsFrom(r, D("2026-12-03"), 1);
  EXPECT_EQ(FormatDate(same_week[0].release_day), "2026-12-01");
}

TEST(TimeFormatTest, ParsesAndPrints) {
  EXPECT_EQ(FormatUtc(T("2026-12-01T15:00:00-05:00")), "2026-12-01T20:00:00Z");
  EXPECT_EQ(FormatUtc(T("2026-12-01T15:00Z")), "2026-12-01T15:00:00Z");
  EXPECT_EQ(FormatUtc(T("2026-12-01T15:00:00.250+01:30")), "2026-12-01T13:30:00Z");
  EXPECT_FALSE(ParseInstant("2026-12-01T15:00:00"));  // no zone
  EXPECT_FALSE(ParseInstant("2026-02-30T15:00:00Z"));
  EXPECT_FALSE(ParseInstant("2026-12-01T24:00:00Z"));
  EXPECT_FALSE(ParseDate("2026-1-01"));
  EXPECT_FALSE(ParseTimeOfDay("9:00"));
  EXPECT_EQ(ParseTimeOfDay("09:30")->count(), 570);
  EXPECT_EQ(ParseWeekday("Tue"), dt::Tuesday);
  EXPECT_FALSE(ParseWeekday("tues"));
}

}  // namespace
}  // namespace captain
