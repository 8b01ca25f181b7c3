// The daemon's log: one line per event on stderr, as text or JSON lines. Never a token.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace captain {

class Log {
 public:
  explicit Log(bool json) : json_(json) {}
  // `fields` are extra key/values (route, status, ms, actor…).
  void Write(const std::string& level, const std::string& message,
             const nlohmann::json& fields = nlohmann::json::object());
  void Info(const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
    Write("info", m, f);
  }
  void Warn(const std::string& m, const nlohmann::json& f = nlohmann::json::object()) {
    Write("warn", m, f);
  }

 private:
  bool json_;
  std::mutex mu_;
};

}  // namespace captain
