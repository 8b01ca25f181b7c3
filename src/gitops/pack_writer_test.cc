#include "gitops/pack_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "gitops/git_test_remote.h"
#include "gitops/git_util.h"

namespace captain::git {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class PackWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EnsureLibgit2();
    char tmpl[] = "/tmp/captain-pack-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    Sh("git init -q --template= --bare repo.git");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Sh(const std::string& command) {
    gittest::ShellResult r = gittest::RunIn(root_, command);
    EXPECT_EQ(r.status, 0) << command << "\n" << r.output;
    return r.output;
  }
  std::string Git(const std::string& args) { return Sh("git --git-dir=repo.git " + args); }
  std::string PackDir() { return (fs::path(root_) / "repo.git" / "objects" / "pack").string(); }

  fs::path root_;
};

TEST_F(PackWriterTest, GitReadsEveryObjectBackByteForByte) {
  // Sizes that need one, two and three bytes of entry header; text with CRLF and NUL bytes.
  std::string small = "tag: abc1234\n";
  std::string crlf = "image:\r\n  tag: \"def5678\"  # pinned\r\n" + std::string(200, 'x');
  std::string big(100000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  std::vector<NewObject> objects = {
      MakeObject(GIT_OBJECT_BLOB, small), MakeObject(GIT_OBJECT_BLOB, crlf),
      MakeObject(GIT_OBJECT_BLOB, big), MakeObject(GIT_OBJECT_BLOB, small)};  // stored once
  // A tree naming them and a commit of that tree, as git writes them.
  std::string tree = "100644 a.yaml";
  tree.push_back('\0');
  tree.append(reinterpret_cast<const char*>(objects[0].id.id), GIT_OID_RAWSZ);
  tree += "100755 b.sh";
  tree.push_back('\0');
  tree.append(reinterpret_cast<const char*>(objects[1].id.id), GIT_OID_RAWSZ);
  tree += "100644 c.txt";
  tree.push_back('\0');
  tree.append(reinterpret_cast<const char*>(objects[2].id.id), GIT_OID_RAWSZ);
  objects.push_back(MakeObject(GIT_OBJECT_TREE, tree));
  std::string commit = "tree " + OidHex(objects.back().id) +
                       "\nauthor A <a@example.com> 1764621000 +0000\n"
                       "committer A <a@example.com> 1764621000 +0000\n\nfirst\n";
  objects.push_back(MakeObject(GIT_OBJECT_COMMIT, commit));
  std::string commit_id = OidHex(objects.back().id);

  Result<std::string> name = WritePack(PackDir(), objects);
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_TRUE(fs::exists(PackDir() + "/" + *name + ".pack"));
  EXPECT_TRUE(fs::exists(PackDir() + "/" + *name + ".idx"));
  EXPECT_EQ(Sh("ls repo.git/objects/pack | grep -c tmp_ || true"), "0\n");

  // git's own checks: the pack's checksums and every object's hash, then the contents.
  std::string verified = Git("verify-pack -v repo.git/objects/pack/" + *name + ".idx");
  EXPECT_THAT(verified, HasSubstr("non delta: 5 objects"));
  Git("update-ref refs/heads/main " + commit_id);
  Git("fsck --strict --no-dangling");
  EXPECT_EQ(Git("cat-file -p main:a.yaml"), small);
  EXPECT_EQ(Git("cat-file -p main:b.sh"), crlf);
  EXPECT_EQ(Git("cat-file -p main:c.txt"), big);
  EXPECT_EQ(Git("log -1 --format=%s main"), "first\n");
  EXPECT_EQ(Git("hash-object --stdin < /dev/null"), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n");
  EXPECT_EQ(OidHex(MakeObject(GIT_OBJECT_BLOB, "").id), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST_F(PackWriterTest, RefusesNothingToWriteAndReportsAnUnwritableDirectory) {
  Result<std::string> empty = WritePack(PackDir(), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ExitCode::kUsage);

  Result<std::string> missing =
      WritePack((fs::path(root_) / "no-such-dir").string(), {MakeObject(GIT_OBJECT_BLOB, "x")});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("no-such-dir"));
}

TEST(Sha1HexTest, KnownDigests) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

}  // namespace
}  // namespace captain::git
