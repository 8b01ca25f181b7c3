// YAML 1.2 single-quoted scalars decoded from their source text ('' is a quote; line breaks
// fold). libfyaml 0.8 decodes two or more escaped quotes in a row wrongly ('a''''b' gives
// a''' instead of a''), and leaks memory on four or more.
#pragma once

#include <string>
#include <string_view>

namespace captain {

// `raw`: the text between the quotes, as written.
std::string UnquoteSingle(std::string_view raw);

}  // namespace captain
