// Holidays: explicit dates and the built-in US federal set (with weekend observance).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/timefmt.h"

namespace captain {

struct Holiday {
  Date date;
  std::string name;
};

// Observed US federal holidays of one year: a Saturday holiday is observed the Friday
// before, a Sunday one the Monday after (New Year's Day may be observed on Dec 31 before).
std::vector<Holiday> UsFederalHolidays(int year);

// Names of the built-in sets accepted in the configuration.
bool IsKnownHolidaySet(const std::string& name);

class HolidayCalendar {
 public:
  void AddDate(Date d, std::string name);
  // A built-in set by name (see IsKnownHolidaySet); its dates are computed per year.
  void AddSet(const std::string& set_name);
  // The holiday's name, or nullopt on an ordinary day.
  std::optional<std::string> NameOf(Date d) const;
  bool empty() const { return dates_.empty() && sets_.empty(); }

 private:
  std::map<int, std::string> dates_;  // sys_days count -> name
  std::vector<std::string> sets_;
};

}  // namespace captain
