// Whole-file reads and crash-safe whole-file writes. Failures are OtherErrors naming the path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace captain {

// Past `max_bytes` the read stops with a usage error naming the path and the limit.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = SIZE_MAX);

// Replaces the contents of `path` atomically: writes a temporary file in the same directory,
// fsyncs it, renames it over `path` and fsyncs the directory, so readers see the old or the new
// contents, never a mix. Keeps the permission bits of an existing file (a new one gets 0644) and
// writes through a symlink to its target.
Status WriteFileAtomic(const std::string& path, std::string_view contents);

}  // namespace captain
