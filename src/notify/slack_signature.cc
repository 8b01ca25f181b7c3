#include "notify/slack_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace captain {

std::string SlackSignature(const std::string& secret, const std::string& timestamp,
                           const std::string& body) {
  std::string base = "v0:" + timestamp + ":" + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac, &len);
  static const char* kHex = "0123456789abcdef";
  std::string out = "v0=";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

Status VerifySlackRequest(const std::string& secret, const std::string& timestamp,
                          const std::string& signature, const std::string& body, Instant now) {
  if (secret.empty()) return OtherError("no Slack signing secret is configured");
  if (timestamp.empty() || signature.empty()) {
    return UsageError("missing X-Slack-Request-Timestamp or X-Slack-Signature");
  }
  if (timestamp.size() > 12 || timestamp.find_first_not_of("0123456789") != std::string::npos) {
    return UsageError("X-Slack-Request-Timestamp is not a Unix time");
  }
  long long ts = std::atoll(timestamp.c_str());
  long long skew = now.time_since_epoch().count() - ts;
  if (skew > 300 || skew < -300) {
    return UsageError("X-Slack-Request-Timestamp is more than five minutes from now");
  }
  std::string want = SlackSignature(secret, timestamp, body);
  if (signature.size() != want.size() ||
      CRYPTO_memcmp(signature.data(), want.data(), want.size()) != 0) {
    return UsageError("the Slack signature does not match");
  }
  return {};
}

}  // namespace captain
