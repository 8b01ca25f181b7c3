#include "registry/image_push.h"

#include "registry/cosign.h"
#include "registry/registry_client.h"

namespace captain {
namespace {

constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";

}  // namespace

ImagePusher::ImagePusher(const std::string& host, int port, std::string authorization)
    : host_(host + ":" + std::to_string(port)),
      authorization_(std::move(authorization)),
      client_(host, port) {
  client_.set_keep_alive(true);
  client_.set_tcp_nodelay(true);
  client_.set_connection_timeout(10);
  client_.set_read_timeout(30);
}

httplib::Headers ImagePusher::Headers(httplib::Headers extra) const {
  if (!authorization_.empty()) extra.emplace("Authorization", authorization_);
  return extra;
}

std::string ImagePusher::Answer(const httplib::Result& r) const {
  if (!r) return "no answer from " + host_ + " (" + httplib::to_string(r.error()) + ")";
  return "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 300);
}

Result<std::string> ImagePusher::PushBlob(const std::string& repo, const std::string& bytes) {
  std::string digest = Sha256Digest(bytes);
  auto start = client_.Post(("/v2/" + repo + "/blobs/uploads/").c_str(), Headers(), "", "");
  if (!start || start->status != 202) {
    return OtherError("starting a blob upload to " + host_ + "/" + repo + ": " + Answer(start));
  }
  std::string location = start->get_header_value("Location");
  if (location.rfind("http", 0) == 0) location = location.substr(location.find('/', 8));
  location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") +
              httplib::detail::encode_query_param(digest);
  auto put = client_.Put(location.c_str(), Headers(), bytes, "application/octet-stream");
  if (!put || put->status != 201) {
    return OtherError("uploading blob " + digest + " to " + host_ + "/" + repo + ": " +
                      Answer(put));
  }
  return digest;
}

Result<std::string> ImagePusher::PushManifest(const std::string& repo, const std::string& reference,
                                              const nlohmann::json& manifest) {
  std::string body = manifest.dump();
  auto put = client_.Put(("/v2/" + repo + "/manifests/" + reference).c_str(), Headers(), body,
                         manifest.value("mediaType", "").c_str());
  if (!put || put->status != 201) {
    return OtherError("putting manifest " + host_ + "/" + repo + ":" + reference + ": " +
                      Answer(put));
  }
  return Sha256Digest(body);
}

Result<std::string> ImagePusher::ManifestDigest(const std::string& repo,
                                                const std::string& reference) {
  auto r = client_.Get(("/v2/" + repo + "/manifests/" + reference).c_str(),
                       Headers({{"Accept", kOciManifest}}));
  if (!r || r->status != 200) {
    return OtherError("reading manifest " + host_ + "/" + repo + ":" + reference + ": " +
                      Answer(r));
  }
  return Sha256Digest(r->body);
}

Status ImagePusher::DeleteManifest(const std::string& repo, const std::string& digest) {
  auto del = client_.Delete(("/v2/" + repo + "/manifests/" + digest).c_str(), Headers());
  if (!del || del->status != 202) {
    return OtherError("deleting manifest " + host_ + "/" + repo + "@" + digest + ": " +
                      Answer(del));
  }
  return {};
}

Result<std::string> ImagePusher::PushImage(const std::string& repo, const std::string& tag,
                                           const std::string& revision, const std::string& arch) {
  std::string layer = "captain test layer " + repo + " " + arch + " " + revision;
  auto layer_digest = PushBlob(repo, layer);
  if (!layer_digest) return layer_digest;
  nlohmann::json labels = nlohmann::json::object();
  if (!revision.empty()) labels["org.opencontainers.image.revision"] = revision;
  nlohmann::json config = {{"architecture", arch},
                           {"os", "linux"},
                           {"config", {{"Labels", labels}}},
                           {"rootfs", {{"type", "layers"}, {"diff_ids", {*layer_digest}}}}};
  std::string config_bytes = config.dump();
  auto config_digest = PushBlob(repo, config_bytes);
  if (!config_digest) return config_digest;
  nlohmann::json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kOciManifest},
      {"config",
       {{"mediaType", kOciConfig}, {"digest", *config_digest}, {"size", config_bytes.size()}}},
      {"layers",
       {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
         {"digest", *layer_digest},
         {"size", layer.size()}}}}};
  return PushManifest(repo, tag, manifest);
}

Result<std::string> ImagePusher::PushIndex(
    const std::string& repo, const std::string& tag,
    const std::vector<std::pair<std::string, std::string>>& images) {
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& [digest, arch] : images) {
    // The size must be exact: read each manifest back.
    auto r = client_.Get(("/v2/" + repo + "/manifests/" + digest).c_str(),
                         Headers({{"Accept", kOciManifest}}));
    if (!r || r->status != 200) {
      return OtherError("reading manifest " + host_ + "/" + repo + "@" + digest + ": " + Answer(r));
    }
    manifests.push_back({{"mediaType", kOciManifest},
                         {"digest", digest},
                         {"size", r->body.size()},
                         {"platform", {{"os", "linux"}, {"architecture", arch}}}});
  }
  return PushManifest(repo, tag,
                      {{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", manifests}});
}

Status ImagePusher::PushSignature(const std::string& repo, const std::string& digest, EVP_PKEY* key,
                                  const std::string& payload, const std::string& upload) {
  const std::string& stored = upload.empty() ? payload : upload;
  auto signature = SignPayload(key, payload);
  if (!signature) return signature.error();
  auto payload_digest = PushBlob(repo, stored);
  if (!payload_digest) return payload_digest.error();
  const std::string config = "{}";
  auto config_digest = PushBlob(repo, config);
  if (!config_digest) return config_digest.error();
  nlohmann::json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kOciManifest},
      {"config", {{"mediaType", kOciConfig}, {"digest", *config_digest}, {"size", config.size()}}},
      {"layers",
       {{{"mediaType", kSimpleSigningMediaType},
         {"digest", *payload_digest},
         {"size", stored.size()},
         {"annotations", {{kCosignSignatureAnnotation, *signature}}}}}}};
  auto pushed = PushManifest(repo, CosignSignatureTag(digest), manifest);
  if (!pushed) return pushed.error();
  return {};
}

}  // namespace captain
