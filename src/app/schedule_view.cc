#include "app/schedule_view.h"

#include <sstream>

namespace captain {

nlohmann::json TrainJson(const Train& t) {
  nlohmann::json milestones = nlohmann::json::object();
  for (MilestoneId id : kAllMilestones) {
    milestones[std::string(MilestoneName(id))] = FormatUtc(t.When(id));
  }
  nlohmann::json moved = nlohmann::json::array();
  for (const auto& m : t.moved) {
    moved.push_back({{"milestone", MilestoneName(m.milestone)},
                     {"from", m.from},
                     {"reason", MoveReasonName(m.reason)}});
  }
  return {{"sprint_start", FormatDate(t.sprint_start)},
          {"release_day", FormatDate(t.release_day)},
          {"milestones", milestones},
          {"moved", moved}};
}

nlohmann::json ScheduleJson(const std::vector<Train>& trains, const std::string& timezone) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : trains) list.push_back(TrainJson(t));
  return {{"timezone", timezone}, {"trains", list}};
}

std::string ScheduleText(const std::vector<Train>& trains, const date::time_zone* tz) {
  std::ostringstream out;
  for (const auto& t : trains) {
    out << "Release " << FormatDate(t.release_day) << " ("
        << WeekdayName(date::weekday{date::sys_days{t.release_day}}) << "), sprint from "
        << FormatDate(t.sprint_start) << "\n";
    for (MilestoneId id : kAllMilestones) {
      std::string name(MilestoneName(id));
      name.resize(20, ' ');
      auto when = t.When(id);
      auto wd =
          WeekdayName(
              date::weekday{date::floor<date::days>(date::make_zoned(tz, when).get_local_time())})
              .substr(0, 3);
      wd[0] = static_cast<char>(wd[0] - 'a' + 'A');
      out << "  " << name << " " << wd << " " << FormatLocal(when, tz) << "\n";
      for (const auto& m : t.moved) {
        if (m.milestone != id) continue;
        out << "  " << std::string(20, ' ') << "   moved from " << m.from << ": "
            << MoveReasonName(m.reason) << (m.detail.empty() ? "" : " (" + m.detail + ")") << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace captain
