// libFuzzer target: the time parser behind --now, reports and schedules. What parses must
// format and parse back to the same instant.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/timefmt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = captain::ParseInstant(text);
  if (t) {
    auto back = captain::ParseInstant(captain::FormatUtc(*t));
    if (!back || *back != *t) __builtin_trap();
  }
  (void)captain::ParseDate(text);
  return 0;
}
