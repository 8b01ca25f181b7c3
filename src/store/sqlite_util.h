// Conversions shared by the SQLite store's files: instants as Unix seconds, string lists as
// comma-separated text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/timefmt.h"

namespace captain::sqlite {

inline int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
inline Instant At(int64_t s) { return Instant{std::chrono::seconds{s}}; }

inline std::string JoinList(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

inline std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t comma = s.find(',', pos);
    out.push_back(s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace captain::sqlite
