#include "registry/cosign.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>

#include "core/timefmt.h"

namespace captain {

struct PublicKey {
  EVP_PKEY* pkey;
};

void PublicKeyDeleter::operator()(PublicKey* k) const {
  if (!k) return;
  EVP_PKEY_free(k->pkey);
  delete k;
}

std::string CosignSignatureTag(const std::string& digest) {
  std::string out = digest;
  auto colon = out.find(':');
  if (colon != std::string::npos) out[colon] = '-';
  return out + ".sig";
}

Result<SimpleSigning> ParseSimpleSigning(const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return UsageError("the signature payload is not JSON");
  auto at = [&](std::initializer_list<const char*> path) -> const nlohmann::json* {
    const nlohmann::json* node = &j;
    for (const char* key : path) {
      if (!node->is_object() || !node->contains(key)) return nullptr;
      node = &(*node)[key];
    }
    return node;
  };
  SimpleSigning s;
  const auto* digest = at({"critical", "image", "docker-manifest-digest"});
  if (!digest || !digest->is_string()) {
    return UsageError("the signature payload has no critical.image.docker-manifest-digest");
  }
  s.manifest_digest = digest->get<std::string>();
  if (const auto* ref = at({"critical", "identity", "docker-reference"}); ref && ref->is_string()) {
    s.docker_reference = ref->get<std::string>();
  }
  if (const auto* t = at({"optional", "timestamp"})) {
    if (t->is_number_integer()) {
      s.timestamp = Instant(std::chrono::seconds(t->get<int64_t>()));
    } else if (t->is_string()) {
      if (auto parsed = ParseInstant(t->get<std::string>())) s.timestamp = *parsed;
    }
  }
  return s;
}

Result<PublicKeyPtr> ParsePublicKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return OtherError("cannot read the key");
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!pkey) return UsageError("not a PEM public key (-----BEGIN PUBLIC KEY-----)");
  return PublicKeyPtr(new PublicKey{pkey});
}

std::optional<std::string> Base64Decode(const std::string& text) {
  std::string in;
  for (char ch : text) {
    if (ch != '\n' && ch != '\r' && ch != ' ') in += ch;
  }
  while (in.size() % 4 != 0) in += '=';
  if (in.empty()) return std::nullopt;
  std::string out(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  size_t pad = 0;
  for (size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) ++pad;
  out.resize(static_cast<size_t>(n) - std::min<size_t>(pad, 2));
  return out;
}

bool VerifyCosignSignature(const PublicKey& key, const std::string& payload,
                           const std::string& signature_b64) {
  auto sig = Base64Decode(signature_b64);
  if (!sig || sig->empty()) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return false;
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(payload.data()), payload.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace captain
