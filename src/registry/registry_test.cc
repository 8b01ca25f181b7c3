// The registry checks against a real registry on 127.0.0.1 (Debian's docker-registry, the CNCF
// distribution registry): images and cosign signatures pushed by the test, and each way an
// image can fail to be eligible reported as itself.
#include <gtest/gtest.h>

#include "registry/image_check.h"
#include "testing/test_registry.h"

namespace captain {
namespace {

using testing::TestRegistry;

const std::string kCommit = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
const std::string kOther = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807";

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest()
      : registry_(box_), key_(TestRegistry::NewKey()), other_key_(TestRegistry::NewKey()) {
    auto pk = ParsePublicKey(TestRegistry::PublicPem(key_.get()));
    EXPECT_TRUE(pk.ok());
    public_ = std::move(*pk);
    auto client = MakeCurlRegistry({registry_.url(), "", "", "", 5, 4, 2});
    EXPECT_TRUE(client.ok());
    client_ = std::move(*client);
  }

  ImageCheck Check(const std::string& repo, const std::string& tag,
                   const std::string& commit = kCommit,
                   const std::string& platform = "linux/amd64") {
    auto ref = ParseImageRef(registry_.host() + "/" + repo + ":" + tag);
    EXPECT_TRUE(ref.ok());
    return CheckImage(*client_, {public_.get()}, *ref, commit, platform);
  }

  testing::Sandbox box_;
  TestRegistry registry_;
  std::unique_ptr<EVP_PKEY, KeyFree> key_, other_key_;
  PublicKeyPtr public_;
  std::unique_ptr<RegistryClient> client_;
};

TEST_F(RegistryTest, ASignedImageOfTheCommitIsEligible) {
  std::string digest = registry_.PushImage("vro/app", "4f2a9c1", kCommit);
  registry_.PushSignature("vro/app", digest, key_.get());
  auto c = Check("vro/app", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kOk) << c.detail;
  EXPECT_EQ(c.digest, digest);
  EXPECT_EQ(c.revision, kCommit);
  ASSERT_TRUE(c.signed_at.has_value());
  EXPECT_EQ(c.signed_at->time_since_epoch().count(), 1764600000);
}

TEST_F(RegistryTest, EachFailureIsReportedAsItself) {
  // Unsigned.
  std::string unsigned_digest = registry_.PushImage("vro/unsigned", "4f2a9c1", kCommit);
  auto c = Check("vro/unsigned", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kUnsigned);
  EXPECT_NE(c.detail.find(CosignSignatureTag(unsigned_digest)), std::string::npos) << c.detail;
  // Signed with another key.
  std::string d = registry_.PushImage("vro/other-key", "4f2a9c1", kCommit);
  registry_.PushSignature("vro/other-key", d, other_key_.get());
  c = Check("vro/other-key", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kBadSignature);
  EXPECT_NE(c.detail.find("does not verify"), std::string::npos) << c.detail;
  // The payload changed after signing (another image's digest written in, same signature).
  d = registry_.PushImage("vro/tampered", "4f2a9c1", kCommit);
  std::string honest = TestRegistry::Payload(registry_.host() + "/vro/tampered", d);
  std::string forged = TestRegistry::Payload(registry_.host() + "/vro/tampered", d, 1999999999);
  registry_.PushSignature("vro/tampered", d, key_.get(), honest, forged);
  EXPECT_EQ(Check("vro/tampered", "4f2a9c1").verdict, ImageVerdict::kBadSignature);
  // A valid signature, of another image's digest.
  d = registry_.PushImage("vro/mismatch", "4f2a9c1", kCommit);
  std::string elsewhere = registry_.PushImage("vro/mismatch", "old", kOther);
  registry_.PushSignature("vro/mismatch", d, key_.get(),
                          TestRegistry::Payload(registry_.host() + "/vro/mismatch", elsewhere));
  c = Check("vro/mismatch", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kSignatureMismatch);
  EXPECT_NE(c.detail.find(elsewhere), std::string::npos) << c.detail;
  // Built from another commit, or with no revision label.
  d = registry_.PushImage("vro/stale", "4f2a9c1", kOther);
  registry_.PushSignature("vro/stale", d, key_.get());
  c = Check("vro/stale", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kStaleBuild);
  EXPECT_NE(c.detail.find("built from 9e8d7c6b5a4f, not 4f2a9c1e8b7d"), std::string::npos)
      << c.detail;
  registry_.PushImage("vro/unlabelled", "4f2a9c1", "");
  EXPECT_EQ(Check("vro/unlabelled", "4f2a9c1").verdict, ImageVerdict::kStaleBuild);
  // No such tag.
  c = Check("vro/app", "nope");
  EXPECT_EQ(c.verdict, ImageVerdict::kNoImage);
  EXPECT_NE(c.detail.find("does not exist"), std::string::npos) << c.detail;
}

TEST_F(RegistryTest, ATagDeletedAfterTheCheckIsCaught) {
  std::string digest = registry_.PushImage("vro/app", "4f2a9c1", kCommit);
  registry_.PushSignature("vro/app", digest, key_.get());
  EXPECT_EQ(Check("vro/app", "4f2a9c1").verdict, ImageVerdict::kOk);
  registry_.DeleteManifest("vro/app", digest);
  EXPECT_EQ(Check("vro/app", "4f2a9c1").verdict, ImageVerdict::kNoImage);
}

TEST_F(RegistryTest, AManifestListResolvesToTheConfiguredPlatform) {
  std::string amd = registry_.PushImage("vro/multi", "amd", kCommit, "amd64");
  std::string arm = registry_.PushImage("vro/multi", "arm", kOther, "arm64");
  std::string index = registry_.PushIndex("vro/multi", "4f2a9c1", {{amd, "amd64"}, {arm, "arm64"}});
  registry_.PushSignature("vro/multi", index, key_.get());
  auto c = Check("vro/multi", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kOk) << c.detail;
  EXPECT_EQ(c.digest, index);
  EXPECT_EQ(c.image_digest, amd);
  // The arm64 image was built from another commit; s390x does not exist.
  EXPECT_EQ(Check("vro/multi", "4f2a9c1", kCommit, "linux/arm64").verdict,
            ImageVerdict::kStaleBuild);
  c = Check("vro/multi", "4f2a9c1", kCommit, "linux/s390x");
  EXPECT_EQ(c.verdict, ImageVerdict::kNoImage);
  EXPECT_NE(c.detail.find("no linux/s390x image"), std::string::npos) << c.detail;
}

TEST_F(RegistryTest, ARegistryThatIsDownIsNeverEligible) {
  std::string digest = registry_.PushImage("vro/app", "4f2a9c1", kCommit);
  registry_.PushSignature("vro/app", digest, key_.get());
  registry_.Stop();
  auto c = Check("vro/app", "4f2a9c1");
  EXPECT_EQ(c.verdict, ImageVerdict::kUnreachable);
  EXPECT_FALSE(c.detail.empty());
}

TEST(Registry, PlainHttpOnlyToLoopback) {
  EXPECT_FALSE(MakeCurlRegistry({"http://registry.example.com", "", "", "", 5, 4, 2}).ok());
  EXPECT_FALSE(MakeCurlRegistry({"ftp://127.0.0.1", "", "", "", 5, 4, 2}).ok());
  EXPECT_TRUE(MakeCurlRegistry({"http://127.0.0.1:5000", "", "", "", 5, 4, 2}).ok());
  EXPECT_TRUE(MakeCurlRegistry({"https://ghcr.io", "", "", "", 5, 4, 2}).ok());
}

}  // namespace
}  // namespace captain
