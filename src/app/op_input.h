// Reading an operation's fields: each reader keeps the first problem, named by its field, so
// an operation reads everything and checks once.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/timefmt.h"
#include "util/result.h"

namespace captain {

class OpInput {
 public:
  explicit OpInput(const nlohmann::json& body);

  // A string field; "" when optional and absent (or null).
  std::string Str(const char* field, bool required = true);
  // A list of strings; a single string is taken as a list of one.
  std::vector<std::string> Strs(const char* field, bool required = false);
  bool Bool(const char* field, bool fallback = false);
  int64_t Int(const char* field, bool required, int64_t fallback, int64_t min, int64_t max);
  // A UTC time (YYYY-MM-DDTHH:MM:SSZ or ISO 8601 with an offset); nullopt when absent.
  std::optional<Instant> Time(const char* field);
  std::optional<Date> Day(const char* field);

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }

 private:
  const nlohmann::json* Find(const char* field, bool required);
  void Fail(const char* field, const std::string& message);

  const nlohmann::json& body_;
  std::optional<Error> error_;
};

}  // namespace captain
