// A unified diff of two versions of a text file, for `deploy --dry-run`.
#pragma once

#include <string>

namespace captain {

// "--- a/path\n+++ b/path\n@@ …" with three lines of context; empty when equal.
std::string UnifiedDiff(const std::string& path, const std::string& before,
                        const std::string& after);

}  // namespace captain
