// Parsing and printing of the times and dates captain reads and writes. Pure functions.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace captain {

using Instant = std::chrono::sys_seconds;
using Date = date::year_month_day;

// "YYYY-MM-DD" -> date, or nullopt if malformed or not a real calendar day.
std::optional<Date> ParseDate(std::string_view text);
// "HH:MM" (00:00..23:59) -> minutes after midnight.
std::optional<std::chrono::minutes> ParseTimeOfDay(std::string_view text);
// ISO 8601 instant: "YYYY-MM-DDTHH:MM[:SS]" followed by "Z" or "+HH:MM"/"-HH:MM".
std::optional<Instant> ParseInstant(std::string_view text);

std::string FormatDate(Date d);
std::string FormatTimeOfDay(std::chrono::minutes m);
// "YYYY-MM-DDTHH:MM:SSZ", the contract's UTC form.
std::string FormatUtc(Instant t);
// Wall-clock time in a zone: "YYYY-MM-DD HH:MM TZA" (e.g. "2026-12-01 15:00 EST").
std::string FormatLocal(Instant t, const date::time_zone* tz);

// Lower-case English weekday name ("tuesday") <-> weekday.
std::optional<date::weekday> ParseWeekday(std::string_view text);
std::string WeekdayName(date::weekday wd);

}  // namespace captain
