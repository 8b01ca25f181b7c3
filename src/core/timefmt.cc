#include "core/timefmt.h"

#include <date/tz.h>

#include <cctype>
#include <cstdio>

namespace captain {
namespace {

namespace dt = date;

// Reads exactly n digits at text[pos]; advances pos.
std::optional<int> Digits(std::string_view text, size_t& pos, size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<Date> DateAt(std::string_view text, size_t& pos) {
  auto y = Digits(text, pos, 4);
  if (!y || !Expect(text, pos, '-')) return std::nullopt;
  auto m = Digits(text, pos, 2);
  if (!m || !Expect(text, pos, '-')) return std::nullopt;
  auto d = Digits(text, pos, 2);
  if (!d) return std::nullopt;
  Date ymd{dt::year{*y}, dt::month{static_cast<unsigned>(*m)}, dt::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

std::optional<Date> ParseDate(std::string_view text) {
  size_t pos = 0;
  auto d = DateAt(text, pos);
  if (!d || pos != text.size()) return std::nullopt;
  return d;
}

std::optional<std::chrono::minutes> ParseTimeOfDay(std::string_view text) {
  size_t pos = 0;
  auto h = Digits(text, pos, 2);
  if (!h || !Expect(text, pos, ':')) return std::nullopt;
  auto m = Digits(text, pos, 2);
  if (!m || pos != text.size() || *h > 23 || *m > 59) return std::nullopt;
  return std::chrono::minutes{*h * 60 + *m};
}

std::optional<Instant> ParseInstant(std::string_view text) {
  size_t pos = 0;
  auto d = DateAt(text, pos);
  if (!d || !(Expect(text, pos, 'T') || Expect(text, pos, 't') || Expect(text, pos, ' '))) {
    return std::nullopt;
  }
  auto h = Digits(text, pos, 2);
  if (!h || !Expect(text, pos, ':')) return std::nullopt;
  auto mi = Digits(text, pos, 2);
  if (!mi) return std::nullopt;
  int s = 0;
  if (Expect(text, pos, ':')) {
    auto sec = Digits(text, pos, 2);
    if (!sec) return std::nullopt;
    s = *sec;
    if (Expect(text, pos, '.')) {  // fractional seconds are accepted and dropped
      size_t start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  if (*h > 23 || *mi > 59 || s > 60) return std::nullopt;
  std::chrono::seconds offset{0};
  if (Expect(text, pos, 'Z') || Expect(text, pos, 'z')) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = Digits(text, pos, 2);
    if (!oh) return std::nullopt;
    Expect(text, pos, ':');
    auto om = Digits(text, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset = sign * (std::chrono::hours{*oh} + std::chrono::minutes{*om});
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  auto local = dt::sys_days{*d} + std::chrono::hours{*h} + std::chrono::minutes{*mi} +
               std::chrono::seconds{s};
  auto t = std::chrono::time_point_cast<std::chrono::seconds>(local - offset);
  // Only instants that print back as YYYY-MM-DDTHH:MM:SSZ (1970 to 9999 UTC).
  static const auto kFirst = Instant{};
  static const auto kLast = std::chrono::time_point_cast<std::chrono::seconds>(
      dt::sys_days{dt::year{9999} / 12 / 31} + std::chrono::hours{23} + std::chrono::minutes{59} +
      std::chrono::seconds{59});
  if (t < kFirst || t > kLast) return std::nullopt;
  return t;
}

std::string FormatDate(Date d) { return dt::format("%F", dt::sys_days{d}); }

std::string FormatTimeOfDay(std::chrono::minutes m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60),
                static_cast<int>(m.count() % 60));
  return buf;
}

std::string FormatUtc(Instant t) { return dt::format("%FT%TZ", t); }

std::string FormatLocal(Instant t, const date::time_zone* tz) {
  return dt::format("%F %R %Z", dt::make_zoned(tz, t));
}

namespace {
constexpr const char* kWeekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};
}

std::optional<date::weekday> ParseWeekday(std::string_view text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (unsigned i = 0; i < 7; ++i) {
    std::string_view name = kWeekdays[i];
    if (lower == name || lower == name.substr(0, 3)) return date::weekday{i};
  }
  return std::nullopt;
}

std::string WeekdayName(date::weekday wd) { return kWeekdays[wd.c_encoding()]; }

}  // namespace captain
