// Reads and validates captain.yaml. Every problem is reported with file:line:col and the
// field; unknown fields are errors. Returns a usage error (exit 2) listing them all.
#pragma once

#include <string>

#include "config/config.h"
#include "util/result.h"

namespace captain {

Result<Config> LoadConfig(const std::string& path);
Result<Config> LoadConfigString(const std::string& text, const std::string& name);

}  // namespace captain
