#include "core/holidays.h"

namespace captain {
namespace {

namespace dt = date;

Date Nth(int year, unsigned month, dt::weekday wd, unsigned n) {
  return Date{dt::year_month_weekday{dt::year{year}, dt::month{month}, wd[n]}};
}

Date Last(int year, unsigned month, dt::weekday wd) {
  return Date{dt::year_month_weekday_last{dt::year{year}, dt::month{month}, wd[dt::last]}};
}

Date Observed(Date d) {
  dt::weekday wd{dt::sys_days{d}};
  if (wd == dt::Saturday) return Date{dt::sys_days{d} - dt::days{1}};
  if (wd == dt::Sunday) return Date{dt::sys_days{d} + dt::days{1}};
  return d;
}

Date Fixed(int year, unsigned month, unsigned day) {
  return Date{dt::year{year}, dt::month{month}, dt::day{day}};
}

int Key(Date d) { return dt::sys_days{d}.time_since_epoch().count(); }

}  // namespace

std::vector<Holiday> UsFederalHolidays(int year) {
  std::vector<Holiday> out = {
      {Observed(Fixed(year, 1, 1)), "New Year's Day"},
      {Nth(year, 1, dt::Monday, 3), "Birthday of Martin Luther King, Jr."},
      {Nth(year, 2, dt::Monday, 3), "Washington's Birthday"},
      {Last(year, 5, dt::Monday), "Memorial Day"},
      {Observed(Fixed(year, 6, 19)), "Juneteenth National Independence Day"},
      {Observed(Fixed(year, 7, 4)), "Independence Day"},
      {Nth(year, 9, dt::Monday, 1), "Labor Day"},
      {Nth(year, 10, dt::Monday, 2), "Columbus Day"},
      {Observed(Fixed(year, 11, 11)), "Veterans Day"},
      {Nth(year, 11, dt::Thursday, 4), "Thanksgiving Day"},
      {Observed(Fixed(year, 12, 25)), "Christmas Day"},
  };
  return out;
}

bool IsKnownHolidaySet(const std::string& name) { return name == "us-federal"; }

void HolidayCalendar::AddDate(Date d, std::string name) { dates_[Key(d)] = std::move(name); }

void HolidayCalendar::AddSet(const std::string& set_name) { sets_.push_back(set_name); }

std::optional<std::string> HolidayCalendar::NameOf(Date d) const {
  auto it = dates_.find(Key(d));
  if (it != dates_.end()) return it->second;
  int year = static_cast<int>(d.year());
  for (const auto& set : sets_) {
    if (set != "us-federal") continue;
    // Next year's New Year's Day may be observed on this year's Dec 31.
    for (int y : {year, year + 1}) {
      for (const auto& h : UsFederalHolidays(y)) {
        if (h.date == d) return h.name;
      }
    }
  }
  return std::nullopt;
}

}  // namespace captain
