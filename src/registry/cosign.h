// cosign's signatures as they sit in a registry: the signature manifest of image digest
// sha256:<hex> is tagged sha256-<hex>.sig in the image's repository; each of its layers is a
// simple-signing payload whose ECDSA signature (base64, ASN.1 DER) is the layer's
// `dev.cosignproject.cosign/signature` annotation. Pure functions over bytes (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "util/result.h"

namespace captain {

inline constexpr const char* kCosignSignatureAnnotation = "dev.cosignproject.cosign/signature";
inline constexpr const char* kSimpleSigningMediaType =
    "application/vnd.dev.cosign.simplesigning.v1+json";

// The tag of the signature manifest of `digest` ("sha256:ab…" -> "sha256-ab….sig").
std::string CosignSignatureTag(const std::string& digest);

struct SimpleSigning {
  std::string manifest_digest;       // critical.image.docker-manifest-digest
  std::string docker_reference;      // critical.identity.docker-reference
  std::optional<Instant> timestamp;  // optional.timestamp, when present
};

// A usage error naming what is missing when `payload` is not a cosign simple-signing payload.
Result<SimpleSigning> ParseSimpleSigning(const std::string& payload);

// A public key from PEM text; a usage error when it is not one.
struct PublicKey;
struct PublicKeyDeleter {
  void operator()(PublicKey* k) const;
};
using PublicKeyPtr = std::unique_ptr<PublicKey, PublicKeyDeleter>;
Result<PublicKeyPtr> ParsePublicKey(const std::string& pem);

// Whether `signature_b64` is a valid signature of `payload` by `key` (ECDSA with SHA-256).
bool VerifyCosignSignature(const PublicKey& key, const std::string& payload,
                           const std::string& signature_b64);

// Base64 (standard alphabet, padding optional); nullopt when it is not.
std::optional<std::string> Base64Decode(const std::string& text);

}  // namespace captain
