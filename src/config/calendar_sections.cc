// timezone, sprint, milestones, holidays, freezes, signature.
#include <libfyaml.h>

#include "config/sections.h"

namespace captain {

std::optional<Date> DateField(Fields& f, fy_node* map, std::string_view key,
                              const std::string& path, bool required) {
  fy_node* n = f.Get(map, key, path, required);
  if (!n) return std::nullopt;
  auto text = f.Scalar(n, Fields::Join(path, key));
  if (!text) return std::nullopt;
  auto d = ParseDate(*text);
  if (!d) f.Error(n, Fields::Join(path, key), "expected a date YYYY-MM-DD, got '" + *text + "'");
  return d;
}

namespace {

void ReadTimezone(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "timezone", "", false);
  if (n) {
    if (auto tz = f.Scalar(n, "timezone")) c.timezone = *tz;
  }
  try {
    c.calendar.tz = date::locate_zone(c.timezone);
  } catch (const std::exception&) {
    f.Error(n, "timezone", "unknown time zone '" + c.timezone + "'");
    c.calendar.tz = date::locate_zone("UTC");
  }
}

void ReadSprint(Fields& f, fy_node* root, Config& c) {
  fy_node* s = f.Get(root, "sprint", "", true);
  if (!s || !f.ExpectMap(s, "sprint")) return;
  f.CheckKeys(s, "sprint", {"anchor", "length_days", "release_weekday"});
  if (auto d = DateField(f, s, "anchor", "sprint", true)) c.calendar.anchor = *d;
  if (auto len = f.Int(s, "length_days", "sprint", false, 1, 366)) {
    c.calendar.length_days = static_cast<int>(*len);
  }
  if (fy_node* n = f.Get(s, "release_weekday", "sprint", false)) {
    if (auto text = f.Scalar(n, "sprint.release_weekday")) {
      if (auto wd = ParseWeekday(*text)) {
        c.calendar.release_weekday = *wd;
      } else {
        f.Error(n, "sprint.release_weekday", "expected a weekday name, got '" + *text + "'");
      }
    }
  }
}

void ReadMilestones(Fields& f, fy_node* root, Config& c) {
  fy_node* m = f.Get(root, "milestones", "", false);
  if (!m || !f.ExpectMap(m, "milestones")) return;
  for (const auto& p : f.Pairs(m)) {
    std::string path = Fields::Join("milestones", p.key);
    auto id = ParseMilestone(p.key);
    if (!id) {
      f.Error(p.key_node, path,
              "unknown milestone (expected announce, opt_deadline, lower_deploy, "
              "validation_deadline, defect_cutoff or higher_deploy)");
      continue;
    }
    if (!f.ExpectMap(p.value, path)) continue;
    f.CheckKeys(p.value, path, {"day", "time"});
    auto& spec = c.calendar.milestones[static_cast<int>(*id)];
    if (auto day = f.Int(p.value, "day", path, true, -30, 60))
      spec.day_offset = static_cast<int>(*day);
    if (fy_node* t = f.Get(p.value, "time", path, true)) {
      if (auto text = f.Scalar(t, Fields::Join(path, "time"))) {
        if (auto tod = ParseTimeOfDay(*text)) {
          spec.time_of_day = *tod;
        } else {
          f.Error(t, Fields::Join(path, "time"),
                  "expected a local time HH:MM, got '" + *text + "'");
        }
      }
    }
  }
  // The policy's order: each milestone is at or after the one before it.
  const auto& ms = c.calendar.milestones;
  for (int i = 1; i < kMilestoneCount; ++i) {
    auto key = [&](int k) { return ms[k].day_offset * 24 * 60 + ms[k].time_of_day.count(); };
    if (key(i) < key(i - 1)) {
      auto name = std::string(MilestoneName(static_cast<MilestoneId>(i)));
      auto prev = std::string(MilestoneName(static_cast<MilestoneId>(i - 1)));
      fy_node* at = m;
      for (const auto& p : f.Pairs(m)) {
        if (p.key == name) at = p.key_node;
      }
      f.Error(at, "milestones." + name,
              "comes before " + prev + "; milestones must keep the policy's order");
    }
  }
}

void ReadHolidays(Fields& f, fy_node* root, Config& c) {
  fy_node* h = f.Get(root, "holidays", "", false);
  if (!h || !f.ExpectMap(h, "holidays")) return;
  f.CheckKeys(h, "holidays", {"sets", "dates"});
  if (fy_node* sets = f.Get(h, "sets", "holidays", false);
      sets && f.ExpectSeq(sets, "holidays.sets")) {
    auto items = f.Items(sets);
    for (size_t i = 0; i < items.size(); ++i) {
      auto path = Fields::Index("holidays.sets", i);
      auto name = f.Scalar(items[i], path);
      if (!name) continue;
      if (!IsKnownHolidaySet(*name)) {
        f.Error(items[i], path, "unknown holiday set '" + *name + "' (known: us-federal)");
        continue;
      }
      c.calendar.holidays.AddSet(*name);
      c.holiday_sets.push_back(*name);
    }
  }
  if (fy_node* dates = f.Get(h, "dates", "holidays", false);
      dates && f.ExpectSeq(dates, "holidays.dates")) {
    auto items = f.Items(dates);
    for (size_t i = 0; i < items.size(); ++i) {
      auto path = Fields::Index("holidays.dates", i);
      if (f.IsMap(items[i])) {
        f.CheckKeys(items[i], path, {"date", "name"});
        auto d = DateField(f, items[i], "date", path, true);
        auto name = f.String(items[i], "name", path, false);
        if (d) c.calendar.holidays.AddDate(*d, name.value_or("holiday"));
        continue;
      }
      auto text = f.Scalar(items[i], path);
      if (!text) continue;
      if (auto d = ParseDate(*text)) {
        c.calendar.holidays.AddDate(*d, "holiday");
      } else {
        f.Error(items[i], path, "expected a date YYYY-MM-DD, got '" + *text + "'");
      }
    }
  }
}

void ReadFreezes(Fields& f, fy_node* root, Config& c) {
  fy_node* fr = f.Get(root, "freezes", "", false);
  if (!fr || !f.ExpectSeq(fr, "freezes")) return;
  auto items = f.Items(fr);
  for (size_t i = 0; i < items.size(); ++i) {
    auto path = Fields::Index("freezes", i);
    if (!f.ExpectMap(items[i], path)) continue;
    f.CheckKeys(items[i], path, {"from", "to", "reason"});
    auto from = DateField(f, items[i], "from", path, true);
    auto to = DateField(f, items[i], "to", path, true);
    auto reason = f.String(items[i], "reason", path, false);
    if (!from || !to) continue;
    if (date::sys_days{*to} < date::sys_days{*from}) {
      f.Error(f.Get(items[i], "to", path, false), Fields::Join(path, "to"),
              "ends before it starts (" + FormatDate(*from) + ")");
      continue;
    }
    c.calendar.freezes.push_back({*from, *to, reason.value_or("freeze")});
  }
}

void ReadSignature(Fields& f, fy_node* root, Config& c) {
  fy_node* s = f.Get(root, "signature", "", false);
  if (!s || !f.ExpectMap(s, "signature")) return;
  f.CheckKeys(s, "signature", {"max_age_days", "warn_days", "public_keys"});
  if (fy_node* keys = f.Get(s, "public_keys", "signature", false);
      keys && f.ExpectSeq(keys, "signature.public_keys")) {
    auto items = f.Items(keys);
    for (size_t i = 0; i < items.size(); ++i) {
      if (auto v = f.Scalar(items[i], Fields::Index("signature.public_keys", i))) {
        c.signature.public_keys.push_back(*v);
      }
    }
  }
  if (auto v = f.Int(s, "max_age_days", "signature", false, 1, 3650)) {
    c.signature.max_age_days = static_cast<int>(*v);
  }
  if (auto v = f.Int(s, "warn_days", "signature", false, 0, 3650)) {
    c.signature.warn_days = static_cast<int>(*v);
  }
  if (c.signature.warn_days >= c.signature.max_age_days) {
    f.Error(
        f.Get(s, "warn_days", "signature", false) ? f.Get(s, "warn_days", "signature", false) : s,
        "signature.warn_days",
        "must be less than signature.max_age_days (" + std::to_string(c.signature.max_age_days) +
            ")");
  }
}

// Refuses a calendar under which a train cannot run: the trains of the first year from the
// anchor and every train a freeze touches must find their business days and end before the
// next train is announced.
void CheckTrainsFit(Fields& f, fy_node* root, const Config& c) {
  if (!f.errors().empty() || !c.calendar.tz) return;
  const CalendarRules& r = c.calendar;
  std::vector<std::pair<int64_t, fy_node*>> trains;  // index, where to report
  fy_node* milestones = f.Get(root, "milestones", "", false);
  int64_t year = 366 / r.length_days + 1;
  for (int64_t i = 0; i <= year; ++i) trains.push_back({i, milestones});
  fy_node* fr = f.Get(root, "freezes", "", false);
  auto items = fr && f.IsSeq(fr) ? f.Items(fr) : std::vector<fy_node*>{};
  for (size_t i = 0; i < r.freezes.size() && i < items.size(); ++i) {
    int64_t first = SprintIndexOfDate(r, r.freezes[i].from) - 1;
    int64_t last = SprintIndexOfDate(r, r.freezes[i].to);
    for (int64_t k = first; k <= last && k - first < 400; ++k) trains.push_back({k, items[i]});
  }
  for (const auto& [index, at] : trains) {
    if (auto problem = TrainFitProblem(r, index); !problem.empty()) {
      f.Error(at, at == milestones ? "milestones" : "freezes", problem);
      return;
    }
  }
}

}  // namespace

void ReadCalendarSections(Fields& f, fy_node* root, Config& c) {
  ReadTimezone(f, root, c);
  ReadSprint(f, root, c);
  ReadMilestones(f, root, c);
  ReadHolidays(f, root, c);
  ReadFreezes(f, root, c);
  ReadSignature(f, root, c);
  CheckTrainsFit(f, root, c);
}

}  // namespace captain
