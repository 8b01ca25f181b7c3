// Pushing images and cosign signatures to a registry through its API (OCI distribution spec:
// blob uploads, then the manifest). captain's commands only read registries; this is the
// tooling that fills one for the example, the benchmarks and the tests.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "registry/cosign_sign.h"
#include "util/result.h"

namespace captain {

class ImagePusher {
 public:
  // A registry over plain HTTP at host:port; `authorization` is sent with every request (a
  // bearer token with push rights, for a registry that wants one).
  ImagePusher(const std::string& host, int port, std::string authorization = "");

  // The registry's address as an image reference names it ("127.0.0.1:5000").
  const std::string& host() const { return host_; }

  // Uploads `bytes` as a blob of `repo`; its digest.
  Result<std::string> PushBlob(const std::string& repo, const std::string& bytes);
  // PUTs `manifest` at `reference` (a tag or a digest); its digest.
  Result<std::string> PushManifest(const std::string& repo, const std::string& reference,
                                   const nlohmann::json& manifest);
  // The digest of the OCI manifest `reference` names.
  Result<std::string> ManifestDigest(const std::string& repo, const std::string& reference);
  Status DeleteManifest(const std::string& repo, const std::string& digest);

  // A minimal linux/`arch` image (one small layer) labelled
  // org.opencontainers.image.revision=`revision` (no label when empty), tagged `tag`; its
  // manifest's digest. The same arguments make the same digest.
  Result<std::string> PushImage(const std::string& repo, const std::string& tag,
                                const std::string& revision, const std::string& arch = "amd64");
  // An OCI image index of `images` ({digest, arch}), tagged `tag`; its digest.
  Result<std::string> PushIndex(const std::string& repo, const std::string& tag,
                                const std::vector<std::pair<std::string, std::string>>& images);
  // The cosign signature manifest of `digest` (tag sha256-<hex>.sig): one simple-signing layer
  // holding `upload` (by default the payload signed) with the signature of `payload` by `key`
  // as its annotation. A different `upload` makes a tampered payload.
  Status PushSignature(const std::string& repo, const std::string& digest, EVP_PKEY* key,
                       const std::string& payload, const std::string& upload = "");

 private:
  httplib::Headers Headers(httplib::Headers extra = {}) const;
  std::string Answer(const httplib::Result& r) const;

  std::string host_;
  std::string authorization_;
  mutable httplib::Client client_;
};

}  // namespace captain
