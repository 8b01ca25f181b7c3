// Making cosign signatures as `cosign sign --key` makes them: the simple-signing payload of an
// image digest and its ECDSA P-256 / SHA-256 signature, base64 of the ASN.1 DER. captain only
// verifies signatures; these serve the example's images, the benchmarks and the tests.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "util/result.h"

namespace captain {

struct EvpKeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using PrivateKey = std::unique_ptr<EVP_PKEY, EvpKeyDeleter>;

// A new P-256 key.
PrivateKey NewSigningKey();
// A private key from PEM text (PKCS#8 or SEC1, unencrypted); a usage error when it is not one.
Result<PrivateKey> ParsePrivateKey(const std::string& pem);
// The PEM text of the key's public half, as signature.public_keys reads it.
std::string PublicKeyPem(EVP_PKEY* key);

// The simple-signing payload cosign signs for `digest` pushed as `reference` (registry/repo),
// with optional.timestamp (seconds since the epoch) when given.
std::string SimpleSigningPayload(const std::string& reference, const std::string& digest,
                                 std::optional<int64_t> timestamp);

// The base64 signature of `payload` by `key`.
Result<std::string> SignPayload(EVP_PKEY* key, const std::string& payload);

// Base64, standard alphabet, padded.
std::string Base64Encode(const std::string& bytes);

}  // namespace captain
