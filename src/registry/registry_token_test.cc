// The bearer-token flow ghcr.io uses, against docker-registry configured for token auth: the
// registry answers 401 with a WWW-Authenticate challenge naming a token endpoint (a small
// server started by the test, issuing ES256 JWTs whose x5c certificate is the registry's
// trusted root); captain fetches a token there with its credentials and retries.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <atomic>

#include "registry/image_check.h"
#include "testing/test_registry.h"

namespace captain {
namespace {

using testing::TestRegistry;

const std::string kCommit = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";

std::string B64(const std::string& bytes) { return TestRegistry::Base64(bytes); }
std::string B64Url(const std::string& bytes) {
  std::string b64 = B64(bytes);
  for (char& ch : b64) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return b64;
}

// A token issuer: a P-256 key and its self-signed certificate (the registry's root bundle).
class Issuer {
 public:
  Issuer() : key_(TestRegistry::NewKey()), cert_(X509_new()) {
    X509_set_version(cert_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 3600);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("captain test issuer"), -1,
                               -1, 0);
    X509_set_issuer_name(cert_, name);
    X509_sign(cert_, key_, EVP_sha256());
  }
  ~Issuer() {
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  std::string CertPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert_);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(bio);
    return out;
  }
  // A token for `scope` ("repository:NAME:ACTIONS").
  std::string Token(const std::string& scope) const {
    unsigned char* der = nullptr;
    int len = i2d_X509(cert_, &der);
    std::string cert_der(reinterpret_cast<char*>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    nlohmann::json header = {{"typ", "JWT"}, {"alg", "ES256"}, {"x5c", {B64(cert_der)}}};
    nlohmann::json access = nlohmann::json::array();
    if (!scope.empty()) {
      auto first = scope.find(':'), last = scope.rfind(':');
      nlohmann::json actions = nlohmann::json::array();
      std::string list = scope.substr(last + 1);
      for (size_t pos = 0; pos <= list.size();) {
        size_t comma = list.find(',', pos);
        actions.push_back(
            list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      access.push_back({{"type", scope.substr(0, first)},
                        {"name", scope.substr(first + 1, last - first - 1)},
                        {"actions", actions}});
    }
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    nlohmann::json claims = {{"iss", "captain-test-issuer"},
                             {"sub", "ci"},
                             {"aud", "captain-test-registry"},
                             {"exp", now + 600},
                             {"nbf", now - 60},
                             {"iat", now},
                             {"jti", std::to_string(++serial_)},
                             {"access", access}};
    std::string input = B64Url(header.dump()) + "." + B64Url(claims.dump());
    // ES256 is the raw r||s of the ECDSA signature, not its DER.
    auto der_sig = Base64Decode(TestRegistry::Sign(key_, input));
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der_sig->data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_sig->size()));
    const BIGNUM *r = nullptr, *s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    std::string raw(64, '\0');
    BN_bn2binpad(r, reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(s, reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    return input + "." + B64Url(raw);
  }

 private:
  EVP_PKEY* key_;
  X509* cert_;
  mutable std::atomic<int> serial_{0};
};

class TokenAuthTest : public ::testing::Test {
 protected:
  TokenAuthTest() {
    std::ofstream(box_.Path("issuer.pem")) << issuer_.CertPem();
    // The token endpoint: basic auth ci:s3cret, a token for the scope asked.
    server_.Get("/token", [this](const httplib::Request& req, httplib::Response& res) {
      ++token_calls_;
      std::string expected = "Basic " + B64("ci:s3cret");
      if (req.get_header_value("Authorization") != expected) {
        res.status = 401;
        return;
      }
      res.set_content(
          nlohmann::json({{"token", issuer_.Token(req.get_param_value("scope"))}}).dump(),
          "application/json");
    });
    token_port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    registry_ = std::make_unique<TestRegistry>(
        box_, "auth:\n  token:\n    realm: http://127.0.0.1:" + std::to_string(token_port_) +
                  "/token\n    service: captain-test-registry\n    issuer: captain-test-issuer\n"
                  "    rootcertbundle: " +
                  box_.Path("issuer.pem") + "\n");
  }
  ~TokenAuthTest() override {
    registry_.reset();
    server_.stop();
    thread_.join();
  }

  ImageCheck Check(const std::string& user, const std::string& password, const PublicKey& key) {
    auto client = MakeCurlRegistry({registry_->url(), user, password, "", 5, 4, 1});
    EXPECT_TRUE(client.ok());
    auto ref = ParseImageRef(registry_->host() + "/vro/app:4f2a9c1");
    return CheckImage(**client, {&key}, *ref, kCommit);
  }

  testing::Sandbox box_;
  Issuer issuer_;
  httplib::Server server_;
  std::thread thread_;
  int token_port_ = 0;
  std::atomic<int> token_calls_{0};
  std::unique_ptr<TestRegistry> registry_;
};

TEST_F(TokenAuthTest, ATokenFromTheRealmWithTheCredentialsOpensTheRegistry) {
  // The test pushes with a token of its own.
  registry_->SetAuthorization("Bearer " + issuer_.Token("repository:vro/app:pull,push"));
  EVP_PKEY* signer = TestRegistry::NewKey();
  std::string digest = registry_->PushImage("vro/app", "4f2a9c1", kCommit);
  registry_->PushSignature("vro/app", digest, signer);
  auto key = ParsePublicKey(TestRegistry::PublicPem(signer));
  EVP_PKEY_free(signer);
  ASSERT_TRUE(key.ok());

  auto c = Check("ci", "s3cret", **key);
  EXPECT_EQ(c.verdict, ImageVerdict::kOk) << c.detail;
  EXPECT_GE(token_calls_.load(), 1);
  // Wrong credentials: the token endpoint refuses, the registry stays closed.
  c = Check("ci", "wrong", **key);
  EXPECT_EQ(c.verdict, ImageVerdict::kUnreachable);
  EXPECT_NE(c.detail.find("access denied (401)"), std::string::npos) << c.detail;
}

}  // namespace
}  // namespace captain
