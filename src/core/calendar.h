// The release calendar: sprints, release days and milestones, as pure functions of the
// rules and a sprint number. All wall-clock arithmetic happens in the policy time zone.
#pragma once

#include <date/tz.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/holidays.h"
#include "core/timefmt.h"

namespace captain {

enum class MilestoneId : int {
  kAnnounce,
  kOptDeadline,
  kLowerDeploy,
  kValidationDeadline,
  kDefectCutoff,
  kHigherDeploy,
};
inline constexpr int kMilestoneCount = 6;
inline constexpr std::array<MilestoneId, kMilestoneCount> kAllMilestones = {
    MilestoneId::kAnnounce,           MilestoneId::kOptDeadline,  MilestoneId::kLowerDeploy,
    MilestoneId::kValidationDeadline, MilestoneId::kDefectCutoff, MilestoneId::kHigherDeploy};

std::string_view MilestoneName(MilestoneId id);
std::optional<MilestoneId> ParseMilestone(std::string_view name);

// A milestone's place: days after the release day, and the local time of day.
struct MilestoneSpec {
  int day_offset = 0;
  std::chrono::minutes time_of_day{0};
};

// A freeze: no milestone may fall on these local dates (both ends included).
struct Freeze {
  Date from;
  Date to;
  std::string reason;
};

struct CalendarRules {
  const date::time_zone* tz = nullptr;
  Date anchor{date::year{2026}, date::January, date::day{5}};  // first day of sprint 0
  int length_days = 14;
  date::weekday release_weekday = date::Tuesday;
  std::array<MilestoneSpec, kMilestoneCount> milestones = DefaultMilestones();
  HolidayCalendar holidays;
  std::vector<Freeze> freezes;

  static std::array<MilestoneSpec, kMilestoneCount> DefaultMilestones();
};

enum class MoveReason { kHoliday, kFreeze, kWeekend, kNonexistentLocalTime, kAmbiguousLocalTime };
std::string_view MoveReasonName(MoveReason r);

struct MilestoneMove {
  MilestoneId milestone;
  // Where it would have been: a UTC instant ("…Z") for date moves, the local wall time
  // ("YYYY-MM-DDTHH:MM") for a local time that does not exist or is ambiguous.
  std::string from;
  MoveReason reason;
  std::string detail;  // e.g. the holiday's name or how the local time was resolved
};

struct Train {
  int64_t index = 0;  // sprint number counted from the anchor
  Date sprint_start;
  Date release_day;
  std::array<Instant, kMilestoneCount> at{};
  std::vector<MilestoneMove> moved;
  bool fits = true;  // false: no allowed business day was found for some milestone

  Instant When(MilestoneId id) const { return at[static_cast<int>(id)]; }
};

enum class LocalResolution { kUnique, kNonexistent, kAmbiguous };
struct ResolvedTime {
  Instant at;
  LocalResolution how = LocalResolution::kUnique;
};
// A local wall time as an instant: a time skipped by a DST change is moved forward by the
// gap; an ambiguous one takes its first occurrence. Never throws.
ResolvedTime ResolveLocal(const date::time_zone* tz, date::local_seconds local);

// The local calendar date of an instant.
Date LocalDate(const date::time_zone* tz, Instant t);

// A train moved by holidays or freezes moves as a whole: each milestone keeps its distance
// from the release day in allowed business days, so no step is squeezed. Every move is
// listed in `moved`.
Train ComputeTrain(const CalendarRules& rules, int64_t index);
// Why train `index` cannot be run (no allowed days, or it would run into the next train's
// announcement); empty when it fits.
std::string TrainFitProblem(const CalendarRules& rules, int64_t index);
// The sprint whose days contain the local date of `t`.
int64_t SprintIndexAt(const CalendarRules& rules, Instant t);
int64_t SprintIndexOfDate(const CalendarRules& rules, Date d);
// `count` trains, starting with the first whose last milestone is on or after `from`.
std::vector<Train> TrainsFrom(const CalendarRules& rules, Date from, int count);

}  // namespace captain
