// captain gitops get-tag / set-tag: one image tag read or edited in a local YAML file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "util/result.h"

namespace captain {

// The scalar at `key` in the `document`-th YAML document of `file` (default: the first that
// has the key).
Result<std::string> GetTagInFile(const std::string& file, const std::string& key,
                                 std::optional<size_t> document);

struct TagSet {
  std::string old_value;
  bool changed = false;  // false: the file already had the value and was not rewritten
};
// Sets that scalar to `value`, changing no other byte; the file is replaced atomically.
Result<TagSet> SetTagInFile(const std::string& file, const std::string& key,
                            const std::string& value, std::optional<size_t> document);

}  // namespace captain
