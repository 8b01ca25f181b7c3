#include "registry/cosign_sign.h"

#include <openssl/pem.h>

#include <nlohmann/json.hpp>

namespace captain {
namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

PrivateKey NewSigningKey() { return PrivateKey(EVP_EC_gen("P-256")); }

Result<PrivateKey> ParsePrivateKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return OtherError("out of memory reading the private key");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return UsageError("not a PEM private key (unencrypted PKCS#8 or SEC1)");
  return PrivateKey(key);
}

std::string PublicKeyPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  return BioText(bio);
}

std::string SimpleSigningPayload(const std::string& reference, const std::string& digest,
                                 std::optional<int64_t> timestamp) {
  nlohmann::json payload = {{"critical",
                             {{"identity", {{"docker-reference", reference}}},
                              {"image", {{"docker-manifest-digest", digest}}},
                              {"type", "cosign container image signature"}}},
                            {"optional", nullptr}};
  if (timestamp) payload["optional"] = {{"timestamp", *timestamp}};
  return payload.dump();
}

Result<std::string> SignPayload(EVP_PKEY* key, const std::string& payload) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(payload.data());
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, data, payload.size()) == 1;
  std::string sig(len, '\0');
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, data,
                            payload.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) return OtherError("signing the payload failed (OpenSSL)");
  sig.resize(len);
  return Base64Encode(sig);
}

std::string Base64Encode(const std::string& bytes) {
  std::string b64(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  b64.resize(static_cast<size_t>(n));
  return b64;
}

}  // namespace captain
