// An OCI distribution (v2) registry as captain reads it: manifests by tag or digest and blobs
// by digest, over libcurl, with the registry's auth challenge answered (bearer tokens from
// the realm it names, the flow ghcr.io uses, or basic auth), 429 Retry-After and 5xx retried
// with backoff, and a cap on requests in flight. Plain HTTP only to a loopback registry.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "util/result.h"

namespace captain {

struct RegistryOptions {
  std::string url;       // "https://ghcr.io", "http://127.0.0.1:5000"
  std::string username;  // with `password`: basic auth, or the credentials for a token
  std::string password;
  std::string ca_file;  // PEM bundle to trust instead of the system's
  int timeout_seconds = 10;
  int max_in_flight = 8;
  int max_attempts = 4;
};

struct Manifest {
  std::string digest;      // "sha256:…", of the bytes served
  std::string media_type;  // from the body, else Content-Type
  std::string body;        // as served (its digest is checked)
  nlohmann::json json;
};

// Why a registry request failed, as a plan reason would put it.
enum class RegistryFailure {
  kNotFound,     // 404: no such tag, manifest or blob
  kDenied,       // 401/403 after answering the challenge
  kUnreachable,  // connection refused, timeout, 5xx or 429 after the retries
  kInvalid,      // an answer that is not what the spec says (digest mismatch, bad JSON)
};

struct RegistryError {
  RegistryFailure kind;
  std::string message;
};

template <typename T>
struct RegistryResult {
  std::optional<T> value;
  std::optional<RegistryError> error;
  bool ok() const { return value.has_value(); }
};

class RegistryClient {
 public:
  virtual ~RegistryClient() = default;
  // The manifest `reference` (a tag or a digest) of `repository`, any of the media types
  // captain reads (Docker v2 and OCI manifests, manifest lists and image indexes).
  virtual RegistryResult<Manifest> GetManifest(const std::string& repository,
                                               const std::string& reference) = 0;
  // The blob `digest` of `repository`, following redirects; its digest is checked.
  virtual RegistryResult<std::string> GetBlob(const std::string& repository,
                                              const std::string& digest) = 0;
};

// A usage error when the URL is not http(s), or plain HTTP to a host that is not loopback.
Result<std::unique_ptr<RegistryClient>> MakeCurlRegistry(RegistryOptions options);

// "sha256:<hex>" of `bytes`.
std::string Sha256Digest(const std::string& bytes);

}  // namespace captain
