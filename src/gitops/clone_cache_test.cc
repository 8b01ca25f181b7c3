// The bare clone is a cache: an interrupted clone, a clone deleted in use and lock files a
// crashed captain left are cleared by the next one; a lock in the remote is named as such.
#include "gitops/clone_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gitops/git_repo_fixture.h"

namespace captain {
namespace {

using gittest::GitRemoteFixture;
using ::testing::HasSubstr;
using ::testing::Not;

class CloneCacheTest : public GitRemoteFixture {
 protected:
  void SetUp() override { StartRemote(gittest::Transport::kLocal); }
  void Deploy(const std::string& tag) {
    auto repo = Open();
    ASSERT_NE(repo, nullptr);
    Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag(tag), Spec("r-" + tag, "dev"));
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
    EXPECT_EQ(pushed->commit, RemoteHead());
  }
};

TEST_F(CloneCacheTest, AnInterruptedCloneIsClearedAndCloneAgain) {
  // What a kill -9 in the middle of git_clone leaves: a git-shaped directory that does not
  // open, and an unfinished staging clone beside it.
  Sh("mkdir -p work/objects/pack work/refs && echo garbage > work/HEAD && "
     "touch work/objects/pack/tmp_pack_x && mkdir -p work.clone-99/objects");
  Deploy("def5678");
  EXPECT_EQ(Sh("ls -d work.clone-* 2>/dev/null || true"), "");
}

TEST_F(CloneCacheTest, ACloneDeletedWhileInUseHeals) {
  Deploy("def5678");
  // Removed and partly recreated, as a process still writing into it would.
  Sh("rm -rf work && mkdir -p work/objects/pack work/refs/remotes/origin");
  Deploy("aaa1111");
}

TEST_F(CloneCacheTest, LockFilesACrashedCaptainLeftAreCleared) {
  Deploy("def5678");
  Sh("touch work/refs/heads/main.lock work/refs/remotes/origin/main.lock work/packed-refs.lock "
     "work/config.lock");
  Deploy("aaa1111");
}

TEST_F(CloneCacheTest, AWorkDirWithOtherFilesIsNotDeleted) {
  Sh("mkdir -p work && echo mine > work/notes.txt");
  Result<std::unique_ptr<GitopsRepo>> repo = OpenGitopsRepo(Options());
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr("not a git repository"));
  EXPECT_EQ(Sh("cat work/notes.txt"), "mine\n");
}

TEST_F(CloneCacheTest, ALockInTheRemoteIsReportedAsALock) {
  Sh("touch remote.git/refs/heads/main.lock");
  GitRepoOptions options = Options();
  options.max_attempts = 2;
  auto repo = Open(options);
  ASSERT_NE(repo, nullptr);
  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_THAT(pushed.error().message, HasSubstr("refs/heads/main.lock exists"));
  EXPECT_THAT(pushed.error().message, HasSubstr("remove the lock file"));
  EXPECT_THAT(pushed.error().message, Not(HasSubstr("kept moving")));
  Sh("rm remote.git/refs/heads/main.lock");
  pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
}

}  // namespace
}  // namespace captain
