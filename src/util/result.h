// Result<T>: a value or an Error a user should see. Exceptions are kept for start-up
// failures and bugs; expected failures travel as values.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace captain {

// Exit codes of the external contract.
enum class ExitCode : int { kOk = 0, kOther = 1, kUsage = 2, kPolicy = 3 };

// What a front end needs beyond the exit code to answer well (the daemon's HTTP status).
enum class ErrorKind { kDefault, kNotFound, kConflict, kUnavailable };

struct Error {
  std::string message;  // when `field` is set, without the field's name in front
  ExitCode code = ExitCode::kOther;
  std::string field;  // the input field at fault ("team", "late_reason"), or ""
  ErrorKind kind = ErrorKind::kDefault;

  // The message with its field in front ("team: unknown team 'x'").
  std::string Text() const { return field.empty() ? message : field + ": " + message; }
};

inline Error UsageError(std::string message) { return {std::move(message), ExitCode::kUsage}; }
inline Error PolicyError(std::string message) { return {std::move(message), ExitCode::kPolicy}; }
inline Error OtherError(std::string message) { return {std::move(message), ExitCode::kOther}; }
// Bad input in one named field of a request (a CLI flag, a JSON body field).
inline Error FieldError(std::string field, std::string message) {
  return {std::move(message), ExitCode::kUsage, std::move(field)};
}
// A release, service, defect or incident that does not exist.
inline Error NotFoundError(std::string message) {
  return {std::move(message), ExitCode::kUsage, "", ErrorKind::kNotFound};
}
// A change that conflicts with one in progress or a stale precondition.
inline Error ConflictError(std::string message) {
  return {std::move(message), ExitCode::kOther, "", ErrorKind::kConflict};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace captain
