// Key paths name one node of a YAML document: `image.tag`, `global.imageTag`,
// `"my.key".tag`, `'a/b'.tag`, `containers.0.image.tag`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace captain {

// Splits a key path into its segments. Segments are separated by `.`; a segment holding `.`,
// `/`, quotes or spaces must be quoted: "…" (with \" and \\ escapes) or '…' (with '' for ').
// An all-digit segment indexes a sequence when the node is a sequence, else it is a mapping key.
// A malformed path is a UsageError.
Result<std::vector<std::string>> ParseKeyPath(std::string_view path);

// The first `count` segments written back as a key path, quoting segments that need it.
std::string FormatKeyPath(const std::vector<std::string>& segments, size_t count);

// True when `segment` is a non-empty run of ASCII digits.
bool IsIndexSegment(std::string_view segment);

}  // namespace captain
