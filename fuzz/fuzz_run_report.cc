// libFuzzer target: the SecRel run report parser.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto images = captain::ParseRunReport(text, "fuzz.json");
  if (images.ok() && images->empty()) __builtin_trap();  // a parsed report has images
  return 0;
}
