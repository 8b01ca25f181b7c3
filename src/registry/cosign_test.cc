// cosign's signature format with fixed vectors: a signature cosign made (published in the
// sigstore-rs test suite: the key, the simple-signing payload and the signature) verifies byte
// for byte; a changed byte, another key, and payloads missing their digest do not.
#include "registry/cosign.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

const char* kKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAENptdY/l3nB0yqkXLBWkZWQwo6+cu\n"
    "OSWS1X9vPavpiQOoTTGC0xX57OojUadxF1cdQmrsiReWg2Wn4FneJfa8xw==\n"
    "-----END PUBLIC KEY-----\n";
const char* kOtherKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETJP9cqpUQsn2ggmJniWGjHdlsHzD\n"
    "JsB89BPhZYch0U0hKANx5TY+ncrm0s8bfJxxHoenAEFhwhuXeb4PqIrtoQ==\n"
    "-----END PUBLIC KEY-----\n";
const std::string kPayload =
    R"({"critical":{"identity":{"docker-reference":"registry-testing.svc.lan/busybox"},)"
    R"("image":{"docker-manifest-digest":"sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b"},)"
    R"("type":"cosign container image signature"},"optional":null})";
const char* kSignature =
    "MEUCIQD6q/"
    "COgzOyW0YH1Dk+CCYSt4uAhm3FDHUwvPI55zwnlwIgE0ZK58ZOWpZw8YVmBapJhBqCfdPekIknimuO0xH8Jh8=";

TEST(Cosign, ARealSignatureVerifiesByteForByte) {
  auto key = ParsePublicKey(kKey);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_TRUE(VerifyCosignSignature(**key, kPayload, kSignature));
  auto parsed = ParseSimpleSigning(kPayload);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->manifest_digest,
            "sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b");
  EXPECT_EQ(parsed->docker_reference, "registry-testing.svc.lan/busybox");
  EXPECT_FALSE(parsed->timestamp.has_value());  // "optional": null
}

TEST(Cosign, AChangedByteOrAnotherKeyDoesNotVerify) {
  auto key = ParsePublicKey(kKey);
  auto other = ParsePublicKey(kOtherKey);
  ASSERT_TRUE(key.ok() && other.ok());
  std::string changed = kPayload;
  changed[changed.find("f3cf")] = 'e';
  EXPECT_FALSE(VerifyCosignSignature(**key, changed, kSignature));
  EXPECT_FALSE(VerifyCosignSignature(**other, kPayload, kSignature));
  std::string sig = kSignature;
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyCosignSignature(**key, kPayload, sig));
  EXPECT_FALSE(VerifyCosignSignature(**key, kPayload, "not base64 at all!"));
  EXPECT_FALSE(VerifyCosignSignature(**key, kPayload, ""));
}

TEST(Cosign, PayloadsAndTags) {
  EXPECT_FALSE(ParseSimpleSigning("[]").ok());
  EXPECT_FALSE(ParseSimpleSigning(R"({"critical":{"image":{}}})").ok());
  auto with_time = ParseSimpleSigning(
      R"({"critical":{"image":{"docker-manifest-digest":"sha256:ab"}},"optional":{"timestamp":1764600000}})");
  ASSERT_TRUE(with_time.ok());
  ASSERT_TRUE(with_time->timestamp.has_value());
  EXPECT_EQ(with_time->timestamp->time_since_epoch().count(), 1764600000);
  EXPECT_EQ(CosignSignatureTag("sha256:f3cf"), "sha256-f3cf.sig");
  EXPECT_FALSE(ParsePublicKey("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_EQ(Base64Decode("aGVsbG8="), std::optional<std::string>("hello"));
  EXPECT_EQ(Base64Decode("aGVsbG8"), std::optional<std::string>("hello"));
}

}  // namespace
}  // namespace captain
