#include "gitops/tree_update.h"

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

// A repository whose names test git's entry order: "a-b" < "a.b" < "a" (directory, sorts as
// "a/") < "a0", and a file "b" next to a directory "b.d".
class TreeUpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EnsureLibgit2();
    char tmpl[] = "/tmp/captain-tree-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    for (const char* f : {"a-b", "a.b", "a/x.yaml", "a/y/z.yaml", "a0", "b", "b.d/q.yaml",
                          "deploy/svc/values-dev.yaml", "deploy/svc/values-qa.yaml"}) {
      gittest::WriteFileAt(root_ / "work" / f, std::string(f) + "\n");
    }
    Sh("cd work && git init -q --template= && chmod +x a0 && git add -A && "
       "git -c user.name=t -c user.email=t@t commit -q -m seed");
    git_repository* raw = nullptr;
    ASSERT_EQ(git_repository_open(&raw, (root_ / "work").c_str()), 0);
    repo_.reset(raw);
    git_object* obj = nullptr;
    ASSERT_EQ(git_revparse_single(&obj, repo_.get(), "HEAD^{tree}"), 0);
    base_.reset(reinterpret_cast<git_tree*>(obj));
  }
  void TearDown() override {
    base_.reset();
    repo_.reset();
    fs::remove_all(root_);
  }

  std::string Sh(const std::string& command) {
    gittest::ShellResult r = gittest::RunIn(root_, command);
    EXPECT_EQ(r.status, 0) << command << "\n" << r.output;
    return r.output;
  }

  // What git itself makes of the same change: write the files, `git add`, `git write-tree`.
  std::string GitTreeAfter(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string cmd = "cd work";
    for (const auto& [path, text] : files) {
      gittest::WriteFileAt(root_ / "work" / path, text);
      cmd += " && git add -- '" + path + "'";
    }
    std::string out = Sh(cmd + " && git write-tree");
    return out.substr(0, out.find('\n'));
  }

  Result<git_oid> Update(const std::vector<std::pair<std::string, std::string>>& files,
                         std::vector<NewObject>& objects) {
    std::vector<BlobUpdate> updates;
    for (const auto& [path, text] : files) {
      objects.push_back(MakeObject(GIT_OBJECT_BLOB, text));
      updates.push_back({path, objects.back().id, GIT_FILEMODE_BLOB});
    }
    return UpdateTree(repo_.get(), base_.get(), updates, objects);
  }

  fs::path root_;
  Repository repo_;
  Tree base_;
};

TEST_F(TreeUpdateTest, MatchesGitWriteTreeForReplacedAndAddedFiles) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"deploy/svc/values-dev.yaml", "image:\n  tag: \"1a2b3c4\"\n"},  // replaced
      {"a/y/z.yaml", "changed deep\n"},                                // replaced, two levels
      {"a/new.yaml", "added to an existing directory\n"},
      {"a.c", "added between a.b and the a/ directory\n"},
      {"new/dir/file.yaml", "added with its directories\n"}};
  std::vector<NewObject> objects;
  Result<git_oid> tree = Update(files, objects);
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  EXPECT_EQ(OidHex(*tree), GitTreeAfter(files));
  // New trees: root, deploy, deploy/svc, a, a/y, new, new/dir = 7, plus the 5 blobs.
  EXPECT_EQ(objects.size(), 12u);
}

TEST_F(TreeUpdateTest, KeepsTheExecutableBitAndSharesUnchangedSubtrees) {
  std::vector<NewObject> objects;
  std::vector<BlobUpdate> updates;
  objects.push_back(MakeObject(GIT_OBJECT_BLOB, "still executable\n"));
  updates.push_back({"a0", objects.back().id, GIT_FILEMODE_BLOB_EXECUTABLE});
  Result<git_oid> tree = UpdateTree(repo_.get(), base_.get(), updates, objects);
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  EXPECT_EQ(OidHex(*tree), GitTreeAfter({{"a0", "still executable\n"}}));
  EXPECT_EQ(objects.size(), 2u);  // the blob and the root: a/, b.d/, deploy/ are shared
}

TEST_F(TreeUpdateTest, SameContentGivesTheBaseTreeAndNoNewTrees) {
  std::vector<NewObject> objects;
  Result<git_oid> tree = Update({{"a/x.yaml", "a/x.yaml\n"}}, objects);
  ASSERT_TRUE(tree.ok()) << tree.error().message;
  EXPECT_TRUE(git_oid_equal(&*tree, git_tree_id(base_.get())));
  EXPECT_EQ(objects.size(), 1u);  // only the (identical) blob
}

TEST_F(TreeUpdateTest, RefusesPathsThroughFilesAndOntoDirectories) {
  std::vector<NewObject> objects;
  Result<git_oid> through = Update({{"b/inside.yaml", "x"}}, objects);
  ASSERT_FALSE(through.ok());
  EXPECT_EQ(through.error().code, ExitCode::kUsage);
  EXPECT_THAT(through.error().message, HasSubstr("b is a file"));

  Result<git_oid> onto = Update({{"a/y", "x"}}, objects);
  ASSERT_FALSE(onto.ok());
  EXPECT_THAT(onto.error().message, HasSubstr("a/y is a directory"));

  Result<git_oid> both = Update({{"n/m", "x"}, {"n", "y"}}, objects);
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.error().message, HasSubstr("both as a file and as a directory"));
}

}  // namespace
}  // namespace captain::git
