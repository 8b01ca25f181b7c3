#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/timefmt.h"
#include "testing/run_captain.h"

namespace captain {
namespace {

using testing::RunCaptain;
using testing::VroConfig;

TEST(ScheduleCliTest, VroScheduleJsonFollowsTheCalendarRules) {
  auto r = RunCaptain({"--config", VroConfig(), "schedule", "--json", "--from", "2026-01-01",
                       "--count", "60", "--now", "2026-11-26T12:00:00Z"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["timezone"], "America/New_York");
  ASSERT_EQ(j["trains"].size(), 60u);
  const auto* tz = date::locate_zone("America/New_York");
  std::optional<date::sys_days> prev;
  int winter = 0, summer = 0;
  for (const auto& t : j["trains"]) {
    SCOPED_TRACE(t.dump());
    auto day = date::sys_days{*ParseDate(t["release_day"].get<std::string>())};
    auto start = date::sys_days{*ParseDate(t["sprint_start"].get<std::string>())};
    EXPECT_EQ(date::weekday{day}, date::Tuesday);
    if (prev) {
      EXPECT_EQ(day - *prev, date::days{14});
    }
    prev = day;
    EXPECT_EQ((start - date::sys_days{*ParseDate("2026-01-07")}).count() % 14, 0);
    ASSERT_EQ(t["milestones"].size(), 6u);
    bool opt_moved = false;
    for (const auto& m : t["moved"]) opt_moved = opt_moved || m["milestone"] == "opt_deadline";
    if (opt_moved) continue;
    auto opt = *ParseInstant(t["milestones"]["opt_deadline"].get<std::string>());
    auto local = date::make_zoned(tz, opt).get_local_time();
    EXPECT_EQ(date::format("%F %R", local), t["release_day"].get<std::string>() + " 15:00");
    std::string utc = t["milestones"]["opt_deadline"];
    if (utc.substr(11) == "20:00:00Z") ++winter;
    if (utc.substr(11) == "19:00:00Z") ++summer;
  }
  EXPECT_GT(winter, 10);  // 15:00 EST
  EXPECT_GT(summer, 10);  // 15:00 EDT
}

TEST(ScheduleCliTest, FreezeMoveIsReported) {
  auto r = RunCaptain(
      {"--config", VroConfig(), "--json", "schedule", "--from", "2026-12-28", "--count", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto t = nlohmann::json::parse(r.out)["trains"][0];
  EXPECT_EQ(t["release_day"], "2026-12-29");
  EXPECT_EQ(t["milestones"]["opt_deadline"], "2027-01-04T20:00:00Z");
  ASSERT_FALSE(t["moved"].empty());
  EXPECT_EQ(t["moved"][0]["milestone"], "announce");
  EXPECT_EQ(t["moved"][0]["from"], "2026-12-29T14:00:00Z");
  EXPECT_EQ(t["moved"][0]["reason"], "freeze");
}

TEST(ScheduleCliTest, HumanOutputUsesLocalTime) {
  auto r =
      RunCaptain({"--config", VroConfig(), "schedule", "--from", "2026-07-03", "--count", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Release 2026-07-14"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("opt_deadline         Tue 2026-07-14 15:00 EDT"), std::string::npos)
      << r.out;
}

TEST(ScheduleCliTest, BadInputExitsTwo) {
  EXPECT_EQ(RunCaptain({"--config", VroConfig(), "schedule", "--from", "2026-13-01"}).code, 2);
  EXPECT_EQ(RunCaptain({"--config", VroConfig(), "schedule", "--count", "0"}).code, 2);
  auto r = RunCaptain({"--config", VroConfig(), "--now", "yesterday", "schedule"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--now"), std::string::npos);
  EXPECT_EQ(RunCaptain({"--config", "/nonexistent.yaml", "schedule"}).code, 2);
  EXPECT_EQ(RunCaptain({"no-such-command"}).code, 2);
}

TEST(ScheduleCliTest, NowDecidesWhichTrainsAreNext) {
  auto r = RunCaptain({"--config", VroConfig(), "--json", "--now", "2026-12-04T12:00:00Z",
                       "schedule", "--count", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["trains"][0]["release_day"], "2026-12-15");
}

TEST(CalendarCliTest, IcsFeedHasStableUidsAndTimeZone) {
  std::vector<std::string> args = {"--config", VroConfig(), "--now",   "2026-11-26T12:00:00Z",
                                   "calendar", "--ics",     "--count", "2"};
  auto a = RunCaptain(args);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, RunCaptain(args).out);
  EXPECT_NE(a.out.find("BEGIN:VCALENDAR"), std::string::npos);
  EXPECT_NE(a.out.find("BEGIN:VTIMEZONE"), std::string::npos);
  EXPECT_NE(a.out.find("TZID:America/New_York"), std::string::npos);
  EXPECT_NE(a.out.find("UID:2026-12-01-opt_deadline@captain"), std::string::npos);
  EXPECT_NE(a.out.find("DTSTART;TZID=America/New_York:20261201T150000"), std::string::npos);
  size_t events = 0;
  for (size_t p = 0; (p = a.out.find("BEGIN:VEVENT", p)) != std::string::npos; ++p) ++events;
  EXPECT_EQ(events, 12u);
  EXPECT_EQ(RunCaptain({"--config", VroConfig(), "calendar"}).code, 2);
}

TEST(CheckConfigCliTest, ReportsSummaryOrErrors) {
  auto ok = RunCaptain({"--config", VroConfig(), "--json", "check-config"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  auto j = nlohmann::json::parse(ok.out);
  EXPECT_EQ(j["services"], 10);
  EXPECT_EQ(j["teams"][1]["services"][0], "vro-cc-app");
  char path[] = "/tmp/captain-cfg-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string bad = testing::Slurp(VroConfig());
  bad.replace(bad.find("team: cc}"), 9, "team: xx}");
  ASSERT_EQ(write(fd, bad.data(), bad.size()), static_cast<ssize_t>(bad.size()));
  close(fd);
  auto r = RunCaptain({"--config", path, "check-config"});
  std::remove(path);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find(std::string(path) + ":"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("services[7].team: unknown team 'xx'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace captain
