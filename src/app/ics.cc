#include "app/ics.h"

#include <libical/ical.h>

#include <cstdlib>
#include <memory>

namespace captain {
namespace {

struct ComponentFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

// A VTIMEZONE with one observance per offset change between `from` and `to` (plus the one
// in force at `from`), computed from the same tz database the calendar uses.
icalcomponent* MakeVtimezone(const date::time_zone* tz, Instant from, Instant to) {
  icalcomponent* vtz = icalcomponent_new_vtimezone();
  icalcomponent_add_property(vtz, icalproperty_new_tzid(tz->name().c_str()));
  // Start a year early so that both observances of a DST zone are always described.
  auto info = tz->get_info(from - std::chrono::hours{24 * 366});
  for (int guard = 0; guard < 1000; ++guard) {
    auto before = info.begin == date::sys_seconds::min()
                      ? info.offset
                      : tz->get_info(info.begin - std::chrono::seconds{1}).offset;
    bool dst = info.save != std::chrono::minutes{0};
    icalcomponent* obs = dst ? icalcomponent_new_xdaylight() : icalcomponent_new_xstandard();
    // DTSTART is the local time of the change, in the offset in force before it.
    auto secs = static_cast<time_t>((info.begin + before).time_since_epoch().count());
    icalcomponent_add_property(
        obs, icalproperty_new_dtstart(icaltime_from_timet_with_zone(secs, 0, nullptr)));
    icalcomponent_add_property(obs,
                               icalproperty_new_tzoffsetfrom(static_cast<int>(before.count())));
    icalcomponent_add_property(obs,
                               icalproperty_new_tzoffsetto(static_cast<int>(info.offset.count())));
    icalcomponent_add_property(obs, icalproperty_new_tzname(info.abbrev.c_str()));
    icalcomponent_add_component(vtz, obs);
    if (info.end > to || info.end == date::sys_seconds::max()) break;
    info = tz->get_info(info.end);
  }
  return vtz;
}

std::string Title(MilestoneId id) {
  switch (id) {
    case MilestoneId::kAnnounce:
      return "Release announced; opt-in opens";
    case MilestoneId::kOptDeadline:
      return "Opt-in/opt-out deadline";
    case MilestoneId::kLowerDeploy:
      return "Deploy to lower regions (dev, qa, sandbox)";
    case MilestoneId::kValidationDeadline:
      return "Lower-region validation and sign-off due";
    case MilestoneId::kDefectCutoff:
      return "Defect cutoff";
    case MilestoneId::kHigherDeploy:
      return "Deploy to prod-test and prod";
  }
  return "milestone";
}

}  // namespace

std::string RenderIcs(const std::vector<Train>& trains, const std::string& timezone,
                      Instant stamp) {
  std::unique_ptr<icalcomponent, ComponentFree> cal(icalcomponent_new_vcalendar());
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//captain//release train//EN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  icalproperty* name = icalproperty_new_x("Release train");
  icalproperty_set_x_name(name, "X-WR-CALNAME");
  icalcomponent_add_property(cal.get(), name);
  icalproperty* tzprop = icalproperty_new_x(timezone.c_str());
  icalproperty_set_x_name(tzprop, "X-WR-TIMEZONE");
  icalcomponent_add_property(cal.get(), tzprop);

  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(timezone);
  } catch (const std::exception&) {
  }
  if (tz && !trains.empty()) {
    icalcomponent_add_component(
        cal.get(), MakeVtimezone(tz, trains.front().at.front(), trains.back().at.back()));
  }
  icaltimezone* utc = icaltimezone_get_utc_timezone();
  auto stamp_t = static_cast<time_t>(stamp.time_since_epoch().count());

  for (const auto& train : trains) {
    std::string day = FormatDate(train.release_day);
    for (MilestoneId id : kAllMilestones) {
      auto t = static_cast<time_t>(train.When(id).time_since_epoch().count());
      icalcomponent* ev = icalcomponent_new_vevent();
      std::string uid = day + "-" + std::string(MilestoneName(id)) + "@captain";
      icalcomponent_add_property(ev, icalproperty_new_uid(uid.c_str()));
      icalcomponent_add_property(
          ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(stamp_t, 0, utc)));
      std::string summary = Title(id) + " (release " + day + ")";
      icalcomponent_add_property(ev, icalproperty_new_summary(summary.c_str()));
      std::string desc = "captain milestone " + std::string(MilestoneName(id)) +
                         " of the release train of " + day + ".";
      for (const auto& m : train.moved) {
        if (m.milestone == id) {
          desc += " Moved from " + m.from + " (" + std::string(MoveReasonName(m.reason)) +
                  (m.detail.empty() ? "" : ": " + m.detail) + ").";
        }
      }
      icalcomponent_add_property(ev, icalproperty_new_description(desc.c_str()));
      icalcomponent_add_property(ev, icalproperty_new_categories("release-train"));
      icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
      for (auto [time, is_start] : {std::pair{t, true}, std::pair{t + 30 * 60, false}}) {
        icalproperty* p;
        if (tz) {
          auto zoned = date::make_zoned(tz, date::sys_seconds{std::chrono::seconds{time}});
          auto secs = static_cast<time_t>(zoned.get_local_time().time_since_epoch().count());
          auto local = icaltime_from_timet_with_zone(secs, 0, nullptr);
          p = is_start ? icalproperty_new_dtstart(local) : icalproperty_new_dtend(local);
          icalproperty_add_parameter(p, icalparameter_new_tzid(tz->name().c_str()));
        } else {
          auto u = icaltime_from_timet_with_zone(time, 0, utc);
          p = is_start ? icalproperty_new_dtstart(u) : icalproperty_new_dtend(u);
        }
        icalcomponent_add_property(ev, p);
      }
      icalcomponent_add_component(cal.get(), ev);
    }
  }
  char* text = icalcomponent_as_ical_string_r(cal.get());
  std::string out = text ? text : "";
  std::free(text);
  return out;
}

}  // namespace captain
