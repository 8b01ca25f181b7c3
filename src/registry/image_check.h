// One image checked against the registry: the tag exists (for a multi-platform index, the
// configured platform's image), its config's org.opencontainers.image.revision label is the
// commit the release ships, and a cosign signature by one of the configured keys covers its
// digest. Never "eligible" on a failure: each is reported with its reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/image_ref.h"
#include "registry/cosign.h"
#include "registry/registry_client.h"

namespace captain {

enum class ImageVerdict {
  kOk,
  kNoImage,            // the tag (or the platform's image) does not exist
  kStaleBuild,         // built from another commit (or no revision label)
  kUnsigned,           // no signature manifest, or no signature layer
  kBadSignature,       // no signature verifies with a configured key (another key, or an
                       // edited payload)
  kSignatureMismatch,  // a valid signature, but of another image's digest
  kUnreachable,        // the registry is down, denied access, or answered nonsense
  kOtherRegistry,      // the reference names a host registry.url does not serve
};
std::string_view VerdictName(ImageVerdict v);

struct ImageCheck {
  ImageVerdict verdict = ImageVerdict::kUnreachable;
  std::string digest;        // the tag's manifest (an index for a multi-platform image)
  std::string image_digest;  // the platform's image manifest
  std::string revision;      // the label, "" when none
  std::optional<Instant> signed_at;
  std::string detail;   // why, for anything but kOk
  bool cached = false;  // kOk from a KnownGood: the tag still resolves to it
};

// A check that passed before: when the tag still resolves to `digest`, it stands without
// fetching the config or the signature again.
struct KnownGood {
  std::string digest;
  std::string image_digest;
  std::string revision;
  std::optional<Instant> signed_at;
};

// `platform` is "os/architecture[/variant]", e.g. "linux/amd64".
ImageCheck CheckImage(RegistryClient& registry, const std::vector<const PublicKey*>& keys,
                      const ImageRef& ref, const std::string& commit,
                      const std::string& platform = "linux/amd64",
                      const KnownGood* known = nullptr);

}  // namespace captain
