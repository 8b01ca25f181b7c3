#include "core/calendar.h"

#include <algorithm>

namespace captain {
namespace {

namespace dt = date;
using std::chrono::hours;
using std::chrono::minutes;

constexpr std::array<std::string_view, kMilestoneCount> kNames = {
    "announce",      "opt_deadline", "lower_deploy", "validation_deadline",
    "defect_cutoff", "higher_deploy"};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct Block {
  MoveReason reason;
  std::string detail;
};

// Why no milestone may fall on local date `d`, or nullopt if it may.
std::optional<Block> Blocked(const CalendarRules& rules, Date d) {
  for (const auto& f : rules.freezes) {
    if (dt::sys_days{d} >= dt::sys_days{f.from} && dt::sys_days{d} <= dt::sys_days{f.to}) {
      return Block{MoveReason::kFreeze, f.reason};
    }
  }
  if (auto name = rules.holidays.NameOf(d)) return Block{MoveReason::kHoliday, *name};
  dt::weekday wd{dt::sys_days{d}};
  if (wd == dt::Saturday || wd == dt::Sunday) return Block{MoveReason::kWeekend, WeekdayName(wd)};
  return std::nullopt;
}

dt::local_seconds LocalAt(Date d, minutes tod) { return dt::local_days{d} + tod; }

std::string LocalText(dt::local_seconds t) { return dt::format("%FT%R", t); }

}  // namespace

std::string_view MilestoneName(MilestoneId id) { return kNames[static_cast<int>(id)]; }

std::optional<MilestoneId> ParseMilestone(std::string_view name) {
  for (int i = 0; i < kMilestoneCount; ++i) {
    if (kNames[i] == name) return static_cast<MilestoneId>(i);
  }
  return std::nullopt;
}

std::array<MilestoneSpec, kMilestoneCount> CalendarRules::DefaultMilestones() {
  return {{
      {0, hours{9}},   // announce: Tuesday 09:00
      {0, hours{15}},  // opt_deadline: Tuesday 15:00
      {0, hours{15}},  // lower_deploy: Tuesday 15:00 at the earliest
      {1, hours{17}},  // validation_deadline: EOD Wednesday
      {2, hours{9}},   // defect_cutoff: Thursday morning
      {2, hours{10}},  // higher_deploy: Thursday
  }};
}

std::string_view MoveReasonName(MoveReason r) {
  switch (r) {
    case MoveReason::kHoliday:
      return "holiday";
    case MoveReason::kFreeze:
      return "freeze";
    case MoveReason::kWeekend:
      return "weekend";
    case MoveReason::kNonexistentLocalTime:
      return "nonexistent-local-time";
    case MoveReason::kAmbiguousLocalTime:
      return "ambiguous-local-time";
  }
  return "unknown";
}

ResolvedTime ResolveLocal(const dt::time_zone* tz, dt::local_seconds local) {
  auto info = tz->get_info(local);
  switch (info.result) {
    case dt::local_info::unique:
      return {Instant{local.time_since_epoch() - info.first.offset}, LocalResolution::kUnique};
    case dt::local_info::nonexistent:
      // Interpreting with the offset in force before the gap moves it forward by the gap.
      return {Instant{local.time_since_epoch() - info.first.offset}, LocalResolution::kNonexistent};
    case dt::local_info::ambiguous:
    default:
      return {Instant{local.time_since_epoch() - info.first.offset}, LocalResolution::kAmbiguous};
  }
}

Date LocalDate(const dt::time_zone* tz, Instant t) {
  auto local = dt::make_zoned(tz, t).get_local_time();
  return Date{dt::floor<dt::days>(local)};
}

int64_t SprintIndexOfDate(const CalendarRules& rules, Date d) {
  auto diff = (dt::sys_days{d} - dt::sys_days{rules.anchor}).count();
  return FloorDiv(diff, rules.length_days);
}

int64_t SprintIndexAt(const CalendarRules& rules, Instant t) {
  return SprintIndexOfDate(rules, LocalDate(rules.tz, t));
}

namespace {

constexpr int kMaxSearchDays = 120;  // a train that cannot start within this is refused

Date AddDays(Date d, int n) { return Date{dt::sys_days{d} + dt::days{n}}; }

bool IsWeekend(Date d) {
  dt::weekday wd{dt::sys_days{d}};
  return wd == dt::Saturday || wd == dt::Sunday;
}

// A milestone's place in business days after the release day: the weekdays in
// (release, release + offset], plus one when that day itself is a weekend.
int BusinessOffset(Date release, int offset) {
  int n = 0;
  for (int i = 1; i <= offset; ++i) n += IsWeekend(AddDays(release, i)) ? 0 : 1;
  if (offset > 0 && IsWeekend(AddDays(release, offset))) ++n;
  return n;
}

}  // namespace

Train ComputeTrain(const CalendarRules& rules, int64_t index) {
  Train train;
  train.index = index;
  auto start = dt::sys_days{rules.anchor} + dt::days{index * rules.length_days};
  train.sprint_start = Date{start};
  auto release = start + (rules.release_weekday - dt::weekday{start});
  train.release_day = Date{release};

  // The train moves as a whole: its allowed business days, from the first allowed day on or
  // after the release day; milestone i lands on allowed day number BusinessOffset(i), so
  // the days between milestones stay what they were (validation keeps its day).
  std::vector<Date> allowed;
  auto nth_allowed = [&](int n) -> std::optional<Date> {
    Date d = allowed.empty() ? train.release_day : AddDays(allowed.back(), 1);
    int searched = 0;
    while (static_cast<int>(allowed.size()) <= n) {
      if (++searched > kMaxSearchDays) return std::nullopt;
      if (!Blocked(rules, d)) allowed.push_back(d);
      d = AddDays(d, 1);
    }
    return allowed[static_cast<size_t>(n)];
  };
  // Why a milestone moved: the first blocked day from the release day up to where it lands.
  auto why = [&](Date until) {
    for (Date d = train.release_day; dt::sys_days{d} <= dt::sys_days{until}; d = AddDays(d, 1)) {
      if (auto b = Blocked(rules, d)) return *b;
    }
    return Block{MoveReason::kWeekend, ""};
  };

  std::optional<Instant> prev;
  for (int i = 0; i < kMilestoneCount; ++i) {
    auto id = static_cast<MilestoneId>(i);
    const auto& spec = rules.milestones[i];
    Date nominal = AddDays(train.release_day, spec.day_offset);
    auto found = nth_allowed(BusinessOffset(train.release_day, spec.day_offset));
    if (!found) {
      train.fits = false;
      found = nominal;
    }
    Date day = *found;
    auto resolved = ResolveLocal(rules.tz, LocalAt(day, spec.time_of_day));
    if (prev && resolved.at < *prev) resolved.at = *prev;  // never before the one it follows
    if (day != nominal) {
      auto was = ResolveLocal(rules.tz, LocalAt(nominal, spec.time_of_day)).at;
      Block b = why(day);
      train.moved.push_back({id, FormatUtc(was), b.reason, b.detail});
    }
    if (resolved.how != LocalResolution::kUnique) {
      bool gap = resolved.how == LocalResolution::kNonexistent;
      train.moved.push_back(
          {id, LocalText(LocalAt(day, spec.time_of_day)),
           gap ? MoveReason::kNonexistentLocalTime : MoveReason::kAmbiguousLocalTime,
           gap ? "moved forward by the daylight-saving gap" : "first occurrence taken"});
    }
    train.at[i] = resolved.at;
    prev = resolved.at;
  }
  return train;
}

std::string TrainFitProblem(const CalendarRules& rules, int64_t index) {
  Train t = ComputeTrain(rules, index);
  if (!t.fits) {
    return "the train of " + FormatDate(t.release_day) + " finds no allowed business day within " +
           std::to_string(kMaxSearchDays) + " days (holidays and freezes block them all)";
  }
  Train next = ComputeTrain(rules, index + 1);
  if (t.When(MilestoneId::kHigherDeploy) >= next.When(MilestoneId::kAnnounce)) {
    return "the train of " + FormatDate(t.release_day) +
           " (moved by holidays or freezes) ends at " +
           FormatUtc(t.When(MilestoneId::kHigherDeploy)) +
           ", after the next train is announced at " +
           FormatUtc(next.When(MilestoneId::kAnnounce)) + "; the trains cannot both fit";
  }
  return "";
}

std::vector<Train> TrainsFrom(const CalendarRules& rules, Date from, int count) {
  std::vector<Train> out;
  auto from_start = ResolveLocal(rules.tz, dt::local_days{from}).at;
  int64_t index = SprintIndexOfDate(rules, from) - 1;
  while (static_cast<int>(out.size()) < count) {
    Train t = ComputeTrain(rules, index++);
    if (t.When(MilestoneId::kHigherDeploy) >= from_start) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace captain
