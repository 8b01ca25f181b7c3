// libFuzzer target: OCI image references. What parses must print back to itself.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/image_ref.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto ref = captain::ParseImageRef(text);
  if (!ref.ok()) return 0;
  std::string again = ref->Name() + (ref->tag.empty() ? "" : ":" + ref->tag) +
                      (ref->digest.empty() ? "" : "@" + ref->digest);
  if (again != text) __builtin_trap();
  return 0;
}
