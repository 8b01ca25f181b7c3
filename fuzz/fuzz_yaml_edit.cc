// libFuzzer target: the in-place tag editor. The input is a YAML text; the editor reads and
// rewrites image.tag, and an edit that succeeds must read back as the new value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gitops/yaml_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)captain::GetScalar(text, "fuzz.yaml", "image.tag");
  auto edited = captain::EditScalar(text, "fuzz.yaml", "image.tag", "4f2a9c1");
  if (edited.ok()) {
    auto back = captain::GetScalar(edited->text, "fuzz.yaml", "image.tag");
    if (!back.ok() || *back != "4f2a9c1") __builtin_trap();
  }
  return 0;
}
