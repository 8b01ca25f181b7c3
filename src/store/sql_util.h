// Conversions shared by the store's files: instants as Unix seconds, string lists as
// comma-separated text, and binding a statement's parameters in one call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/timefmt.h"
#include "store/sql/database.h"

namespace captain::sql {

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

// One parameter, stored the way the schema keeps it.
inline void BindOne(sql::Statement& q, int i, const std::string& v) { q.bind(i, v); }
inline void BindOne(sql::Statement& q, int i, const char* v) { q.bind(i, v); }
inline void BindOne(sql::Statement& q, int i, int v) { q.bind(i, v); }
inline void BindOne(sql::Statement& q, int i, int64_t v) { q.bind(i, v); }
inline void BindOne(sql::Statement& q, int i, bool v) { q.bind(i, v ? 1 : 0); }
inline void BindOne(sql::Statement& q, int i, Instant v) { q.bind(i, Secs(v)); }
inline void BindOne(sql::Statement& q, int i, const std::optional<Instant>& v) {
  if (v) {
    q.bind(i, Secs(*v));
  } else {
    q.bind(i);  // NULL
  }
}
inline void BindOne(sql::Statement& q, int i, const std::vector<std::string>& v) {
  q.bind(i, JoinList(v));
}

// Runs an INSERT … RETURNING id to its end (SQLite commits only then) and gives the id.
inline int64_t ReturnedId(Statement& q) {
  q.executeStep();
  int64_t id = q.getColumn(0).getInt64();
  while (q.executeStep()) {
  }
  return id;
}

// Binds `args` to parameters 1, 2, … of `q`.
template <typename... Args>
void Bind(sql::Statement& q, const Args&... args) {
  int i = 0;
  (BindOne(q, ++i, args), ...);
}

}  // namespace captain::sql
