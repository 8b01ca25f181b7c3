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
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "registry/cosign.h"
#include "registry/cosign_sign.h"
#include "registry/image_push.h"
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

  // The pushes of registry/image_push.h, each failure a test failure; see there.
  std::string ManifestDigest(const std::string& repo, const std::string& reference) {
    return Expect(Pusher().ManifestDigest(repo, reference));
  }
  void DeleteManifest(const std::string& repo, const std::string& digest) {
    Status st = Pusher().DeleteManifest(repo, digest);
    EXPECT_TRUE(st.ok()) << st.error().message;
  }
  std::string PushImage(const std::string& repo, const std::string& tag,
                        const std::string& revision, const std::string& arch = "amd64") {
    return Expect(Pusher().PushImage(repo, tag, revision, arch));
  }
  std::string PushIndex(const std::string& repo, const std::string& tag,
                        const std::vector<std::pair<std::string, std::string>>& images) {
    return Expect(Pusher().PushIndex(repo, tag, images));
  }
  // By default the payload is the simple-signing payload of `digest`.
  void PushSignature(const std::string& repo, const std::string& digest, EVP_PKEY* key,
                     std::string payload = "", const std::string& upload = "") {
    if (payload.empty()) payload = Payload(host() + "/" + repo, digest);
    Status st = Pusher().PushSignature(repo, digest, key, payload, upload);
    EXPECT_TRUE(st.ok()) << st.error().message;
  }

  static std::string Payload(const std::string& reference, const std::string& digest,
                             int64_t timestamp = 1764600000) {
    return SimpleSigningPayload(reference, digest, timestamp);
  }
  static EVP_PKEY* NewKey() { return NewSigningKey().release(); }
  static std::string PublicPem(EVP_PKEY* key) { return PublicKeyPem(key); }
  static std::string Sign(EVP_PKEY* key, const std::string& payload) {
    return Expect(SignPayload(key, payload));
  }
  static std::string Base64(const std::string& bytes) { return Base64Encode(bytes); }

 private:
  ImagePusher Pusher() const { return ImagePusher("127.0.0.1", port_, authorization_); }
  static std::string Expect(Result<std::string> r) {
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : "";
  }

  const Sandbox& box_;
  int port_ = 0;
  pid_t pid_ = 0;
  std::string authorization_;
};

}  // namespace captain::testing
