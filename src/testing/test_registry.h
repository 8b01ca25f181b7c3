// Test helper: Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 with a
// temporary storage directory and a config of the test's own, started and stopped by the
// test; images pushed through the registry API (blobs, then the manifest), and cosign
// signature manifests made with an OpenSSL P-256 key of the test's.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "registry/cosign.h"
#include "registry/registry_client.h"
#include "testing/sandbox.h"

namespace captain::testing {

class TestRegistry {
 public:
  // `auth`: an `auth:` section for the registry's config ("" : none).
  explicit TestRegistry(const Sandbox& box, const std::string& auth = "") : box_(box) {
    port_ = FreePort();
    std::ofstream(box.Path("registry.yml"))
        << "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
        << "storage:\n  filesystem:\n    rootdirectory: " << box.Path("registry-data")
        << "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:" << port_ << "\n"
        << auth;
    Start();
  }
  // Sent with the helper's own requests (a token with push rights, for a token-auth registry).
  void SetAuthorization(std::string value) { authorization_ = std::move(value); }
  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
  }
  ~TestRegistry() { Stop(); }

  void Start() {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = std::fopen(box_.Path("registry.log").c_str(), "w");
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
      std::string cfg = box_.Path("registry.yml");
      execl("/usr/bin/docker-registry", "docker-registry", "serve", cfg.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      httplib::Client cli("127.0.0.1", port_);
      if (auto r = cli.Get("/v2/"); r && (r->status == 200 || r->status == 401)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "docker-registry did not start on port " << port_;
  }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  // Uploads `bytes` as a blob of `repo`; its digest.
  std::string PushBlob(const std::string& repo, const std::string& bytes) {
    httplib::Client cli("127.0.0.1", port_);
    std::string digest = Sha256Digest(bytes);
    auto start = cli.Post(("/v2/" + repo + "/blobs/uploads/").c_str(), Auth(), "", "");
    EXPECT_TRUE(start && start->status == 202);
    if (!start) return digest;
    std::string location = start->get_header_value("Location");
    if (location.rfind("http", 0) == 0) location = location.substr(location.find('/', 8));
    location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") +
                httplib::detail::encode_query_param(digest);
    auto put = cli.Put(location.c_str(), Auth(), bytes, "application/octet-stream");
    EXPECT_TRUE(put && put->status == 201) << (put ? put->body : "no answer");
    return digest;
  }
  // PUTs a manifest at `reference` (a tag or digest); its digest.
  std::string PushManifest(const std::string& repo, const std::string& reference,
                           const nlohmann::json& manifest) {
    httplib::Client cli("127.0.0.1", port_);
    std::string body = manifest.dump();
    auto put = cli.Put(("/v2/" + repo + "/manifests/" + reference).c_str(), Auth(), body,
                       manifest.value("mediaType", "").c_str());
    EXPECT_TRUE(put && put->status == 201) << (put ? put->body : "no answer");
    return Sha256Digest(body);
  }
  // The digest `reference` (a tag) resolves to.
  std::string ManifestDigest(const std::string& repo, const std::string& reference) {
    httplib::Client cli("127.0.0.1", port_);
    httplib::Headers h = {{"Accept", "application/vnd.oci.image.manifest.v1+json"}};
    auto r = cli.Get(("/v2/" + repo + "/manifests/" + reference).c_str(), h);
    EXPECT_TRUE(r && r->status == 200);
    return r ? Sha256Digest(r->body) : "";
  }
  void DeleteManifest(const std::string& repo, const std::string& digest) {
    httplib::Client cli("127.0.0.1", port_);
    auto del = cli.Delete(("/v2/" + repo + "/manifests/" + digest).c_str());
    EXPECT_TRUE(del && del->status == 202) << (del ? del->body : "no answer");
  }

  // A minimal linux/`arch` image built from `files`, labelled with `revision`, tagged `tag`;
  // the manifest's digest.
  std::string PushImage(const std::string& repo, const std::string& tag,
                        const std::string& revision, const std::string& arch = "amd64") {
    std::string layer = "captain test layer " + repo + " " + arch + " " + revision;
    std::string layer_digest = PushBlob(repo, layer);
    nlohmann::json config = {
        {"architecture", arch},
        {"os", "linux"},
        {"config", {{"Labels", {{"org.opencontainers.image.revision", revision}}}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", {layer_digest}}}}};
    if (revision.empty()) config["config"]["Labels"] = nlohmann::json::object();
    std::string config_bytes = config.dump();
    std::string config_digest = PushBlob(repo, config_bytes);
    nlohmann::json manifest = {{"schemaVersion", 2},
                               {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                               {"config",
                                {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                                 {"digest", config_digest},
                                 {"size", config_bytes.size()}}},
                               {"layers",
                                {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                                  {"digest", layer_digest},
                                  {"size", layer.size()}}}}};
    return PushManifest(repo, tag, manifest);
  }

  // An index of `images` ({digest, arch}) tagged `tag`; its digest.
  std::string PushIndex(const std::string& repo, const std::string& tag,
                        const std::vector<std::pair<std::string, std::string>>& images) {
    nlohmann::json manifests = nlohmann::json::array();
    for (const auto& [digest, arch] : images) {
      manifests.push_back({{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                           {"digest", digest},
                           {"size", 400},
                           {"platform", {{"os", "linux"}, {"architecture", arch}}}});
    }
    // Sizes must be exact: read each manifest back.
    httplib::Client cli("127.0.0.1", port_);
    for (auto& m : manifests) {
      httplib::Headers h = {{"Accept", "application/vnd.oci.image.manifest.v1+json"}};
      auto r = cli.Get(("/v2/" + repo + "/manifests/" + m["digest"].get<std::string>()).c_str(), h);
      if (r) m["size"] = r->body.size();
    }
    return PushManifest(repo, tag,
                        {{"schemaVersion", 2},
                         {"mediaType", "application/vnd.oci.image.index.v1+json"},
                         {"manifests", manifests}});
  }

  // A cosign signature manifest for `digest`, signed by `key` over `payload` (by default the
  // simple-signing payload of `digest`); `upload` replaces the payload bytes stored (a
  // tampered payload keeps the original signature).
  void PushSignature(const std::string& repo, const std::string& digest, EVP_PKEY* key,
                     std::string payload = "", const std::string& upload = "") {
    if (payload.empty()) payload = Payload(host() + "/" + repo, digest);
    std::string stored = upload.empty() ? payload : upload;
    std::string payload_digest = PushBlob(repo, stored);
    std::string config = "{}";
    std::string config_digest = PushBlob(repo, config);
    nlohmann::json manifest = {
        {"schemaVersion", 2},
        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
        {"config",
         {{"mediaType", "application/vnd.oci.image.config.v1+json"},
          {"digest", config_digest},
          {"size", config.size()}}},
        {"layers",
         {{{"mediaType", kSimpleSigningMediaType},
           {"digest", payload_digest},
           {"size", stored.size()},
           {"annotations", {{kCosignSignatureAnnotation, Sign(key, payload)}}}}}}};
    PushManifest(repo, CosignSignatureTag(digest), manifest);
  }

  static std::string Payload(const std::string& reference, const std::string& digest,
                             int64_t timestamp = 1764600000) {
    return nlohmann::json({{"critical",
                            {{"identity", {{"docker-reference", reference}}},
                             {"image", {{"docker-manifest-digest", digest}}},
                             {"type", "cosign container image signature"}}},
                           {"optional", {{"timestamp", timestamp}}}})
        .dump();
  }

  static EVP_PKEY* NewKey() { return EVP_EC_gen("P-256"); }
  static std::string PublicPem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  }
  static std::string Sign(EVP_PKEY* key, const std::string& payload) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(payload.data()),
                   payload.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    return Base64(sig);
  }
  static std::string Base64(const std::string& bytes) {
    std::string b64(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    b64.resize(static_cast<size_t>(n));
    return b64;
  }

 private:
  httplib::Headers Auth() const {
    httplib::Headers h;
    if (!authorization_.empty()) h.emplace("Authorization", authorization_);
    return h;
  }

  const Sandbox& box_;
  int port_ = 0;
  pid_t pid_ = 0;
  std::string authorization_;
};

}  // namespace captain::testing
