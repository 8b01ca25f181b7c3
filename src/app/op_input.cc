#include "app/op_input.h"

namespace captain {

OpInput::OpInput(const nlohmann::json& body) : body_(body) {
  if (!body_.is_object()) error_ = UsageError("the request body must be a JSON object");
}

void OpInput::Fail(const char* field, const std::string& message) {
  if (!error_) error_ = FieldError(field, message);
}

const nlohmann::json* OpInput::Find(const char* field, bool required) {
  if (!body_.is_object()) return nullptr;
  auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    if (required) Fail(field, "is required");
    return nullptr;
  }
  return &*it;
}

std::string OpInput::Str(const char* field, bool required) {
  const auto* v = Find(field, required);
  if (!v) return "";
  if (!v->is_string()) {
    Fail(field, "expected a string");
    return "";
  }
  return v->get<std::string>();
}

std::vector<std::string> OpInput::Strs(const char* field, bool required) {
  const auto* v = Find(field, required);
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) return {v->get<std::string>()};
  if (!v->is_array()) {
    Fail(field, "expected a list of strings");
    return out;
  }
  for (const auto& item : *v) {
    if (!item.is_string()) {
      Fail(field, "expected a list of strings");
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

bool OpInput::Bool(const char* field, bool fallback) {
  const auto* v = Find(field, false);
  if (!v) return fallback;
  if (!v->is_boolean()) {
    Fail(field, "expected true or false");
    return fallback;
  }
  return v->get<bool>();
}

int64_t OpInput::Int(const char* field, bool required, int64_t fallback, int64_t min, int64_t max) {
  const auto* v = Find(field, required);
  if (!v) return fallback;
  if (!v->is_number_integer()) {
    Fail(field, "expected an integer");
    return fallback;
  }
  // Unsigned values above INT64_MAX are out of range too.
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(max)) {
    Fail(field, "must be at most " + std::to_string(max));
    return fallback;
  }
  int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    Fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return fallback;
  }
  return n;
}

std::optional<Instant> OpInput::Time(const char* field) {
  std::string text = Str(field, false);
  if (text.empty()) return std::nullopt;
  auto t = ParseInstant(text);
  if (!t) Fail(field, "expected a time such as 2026-12-08T15:00:00Z, got '" + text + "'");
  return t;
}

std::optional<Date> OpInput::Day(const char* field) {
  std::string text = Str(field, false);
  if (text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d) Fail(field, "expected YYYY-MM-DD, got '" + text + "'");
  return d;
}

}  // namespace captain
