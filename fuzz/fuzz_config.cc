// libFuzzer target: captain.yaml loading and validation must never crash, hang or abort.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto config = captain::LoadConfigString(text, "fuzz.yaml");
  if (!config.ok() && config.error().message.empty()) __builtin_trap();
  return 0;
}
