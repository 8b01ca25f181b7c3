#include "server/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace captain {

bool SameSecret(const std::string& given, const std::string& secret) {
  // Hashed first: both sides are then 64 characters, whatever was sent.
  std::string a = Sha256Hex(given), b = Sha256Hex(secret);
  return !secret.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // Fetched once: the implicit fetch EVP_sha256() makes on every call showed in the profile
  // of the daemon under load (every request with a token hashes it).
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  if (!sha256 || EVP_Digest(text.data(), text.size(), digest, &len, sha256, nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string NewToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes");
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "cpt_";
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      out += kAlphabet[(acc >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 63];
  return out;
}

bool Caller::HasRole(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<std::string> Caller::Teams() const {
  std::vector<std::string> out;
  for (const auto& r : roles) {
    if (r.rfind("team:", 0) == 0) out.push_back(r.substr(5));
  }
  return out;
}

std::optional<std::string> BearerToken(const std::string& header) {
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  std::string token = header.substr(prefix.size());
  if (token.find_first_of(" \t\r\n") != std::string::npos) return std::nullopt;
  return token;
}

std::optional<Caller> Authenticate(const std::vector<ApiToken>& tokens, const std::string& token) {
  // Hash first, then compare every entry in full: the time taken says nothing about which
  // configured token (if any) was close.
  std::string hash = Sha256Hex(token);
  const ApiToken* found = nullptr;
  for (const auto& t : tokens) {
    if (t.sha256.size() == hash.size() &&
        CRYPTO_memcmp(t.sha256.data(), hash.data(), hash.size()) == 0) {
      found = &t;
    }
  }
  if (!found) return std::nullopt;
  return Caller{found->name, found->roles};
}

}  // namespace captain
