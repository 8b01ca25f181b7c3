// Text that reaches people: input checks and terminal-safe output.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace captain {

// The length of the well-formed UTF-8 sequence starting at s[i], or 0 if there is none.
size_t Utf8SequenceAt(std::string_view s, size_t i);

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsUtf8(std::string_view s);

// True if `s` has a C0 control character other than newline and tab, DEL, or a C1 control.
bool HasControl(std::string_view s, bool allow_newlines = true);

// Where `s` stops being well-formed UTF-8 or holds a NUL byte, as (line, column), 1-based;
// nullopt when it is clean.
std::optional<std::pair<size_t, size_t>> FirstBadByte(std::string_view s);

// `s` made safe to print on a terminal: control characters (other than newline and tab when
// `keep_newlines`) become \xNN, invalid UTF-8 bytes become \xNN too.
std::string EscapeControls(std::string_view s, bool keep_newlines = true);

// The items of `v` with `sep` between them.
std::string Join(const std::vector<std::string>& v, std::string_view sep);

}  // namespace captain
