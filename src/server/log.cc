#include "server/log.h"

#include <chrono>
#include <iostream>

#include "core/timefmt.h"
#include "util/text.h"

namespace captain {

void Log::Write(const std::string& level, const std::string& message,
                const nlohmann::json& fields) {
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::string line;
  if (json_) {
    nlohmann::json j = {{"at", FormatUtc(now)}, {"level", level}, {"msg", message}};
    for (const auto& [k, v] : fields.items()) j[k] = v;
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = FormatUtc(now) + " " + level + " " + EscapeControls(message);
    for (const auto& [k, v] : fields.items()) {
      line += " " + k + "=" + (v.is_string() ? EscapeControls(v.get<std::string>()) : v.dump());
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::cerr << line << "\n" << std::flush;
}

}  // namespace captain
