// OCI image references (registry/repository[:tag][@algorithm:hex]), parsed by the grammar of
// the distribution project's reference package. Pure.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace captain {

struct ImageRef {
  std::string registry;    // "ghcr.io", "127.0.0.1:5000"; empty when the reference has none
  std::string repository;  // "org/repo/name"
  std::string tag;         // may be empty
  std::string digest;      // "sha256:<64 hex>", may be empty

  // registry/repository, the part a service's configured image names.
  std::string Name() const { return registry.empty() ? repository : registry + "/" + repository; }
};

// A usage error saying what is wrong, never an exception.
Result<ImageRef> ParseImageRef(std::string_view text);

// True if `tag` matches the OCI tag grammar [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool IsImageTag(std::string_view tag);

}  // namespace captain
