// Rendering a new value into the place of an existing YAML scalar so that it reads back as the
// same string.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace captain {

enum class ScalarStyle { kPlain, kSingleQuoted, kDoubleQuoted };

// Refuses values a one-line scalar cannot hold: line breaks (including NEL, U+2028/9), other
// control characters, a byte order mark, and invalid UTF-8. The error text is the reason only.
Status CheckScalarValue(std::string_view value);

// True when a plain scalar with this text would not read as a string in YAML 1.1 or 1.2
// (null, bool, int, float, .inf/.nan, 1.1 timestamps, `<<`, `=`), following the resolvers
// of YAML 1.2 core and of PyYAML / go-yaml for 1.1. `1.2.3` reads as a string.
bool ResolvesToNonString(std::string_view value);

// True when `value` cannot be written as a plain scalar that reads back as this string;
// `in_flow` is true inside `{…}` or `[…]`.
bool NeedsQuotes(std::string_view value, bool in_flow);

// The bytes that replace the span of an existing scalar of style `original` (libfyaml spans
// exclude the quotes of quoted scalars): the escaped content for quoted styles, the bare value
// for a plain scalar when it is safe, else the value in double quotes. `value` must have passed
// CheckScalarValue.
std::string RenderReplacement(std::string_view value, ScalarStyle original, bool in_flow);

}  // namespace captain
