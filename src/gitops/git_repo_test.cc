#include "gitops/git_repo.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "gitops/git_repo_fixture.h"
#include "gitops/git_test_remote.h"
#include "gitops/git_util.h"

namespace captain {
namespace {

namespace fs = std::filesystem;
using gittest::GitRemoteFixture;
using gittest::kSvcA;
using gittest::kSvcAContents;
using gittest::kSvcB;
using gittest::kSvcBContents;
using gittest::Transport;
using ::testing::HasSubstr;
using ::testing::Not;

class GitRepoTransportTest : public GitRemoteFixture,
                             public ::testing::WithParamInterface<Transport> {
 protected:
  void SetUp() override { StartRemote(GetParam()); }
};

class GitRepoTest : public GitRemoteFixture {
 protected:
  void SetUp() override { StartRemote(Transport::kLocal); }
};

TEST_P(GitRepoTransportTest, CommitAndPushLandsEditWithTrailersAndAuthor) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  ASSERT_TRUE(repo->Sync().ok());
  Result<std::string> before = repo->ReadFile(kSvcA);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(*before, kSvcAContents);

  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(pushed->attempts, 1);
  EXPECT_FALSE(pushed->no_change);
  EXPECT_EQ(pushed->commit, RemoteHead());
  EXPECT_EQ(pushed->commit.size(), 40u);
  EXPECT_EQ(RemoteFile(kSvcA), "image:\r\n  tag: \"def5678\"  # pinned by captain\r\n");
  EXPECT_EQ(RemoteFile(kSvcB), kSvcBContents);
  EXPECT_EQ(RemoteGit("log -1 --format='%an <%ae>|%cn <%ce>|%P' main"),
            "Release Captain <captain@example.com>|Release Captain <captain@example.com>|" +
                seed_commit_ + "\n");
  EXPECT_EQ(RemoteGit("log -1 --format=%B main"),
            "Deploy r-1 to dev\n\nsvc-a: abc1234 -> def5678\n\nRelease: r-1\n"
            "Environment: dev\nDeployed-By: alice\n\n");
  EXPECT_EQ(RemoteGit("log -1 --format='%(trailers:key=Release,valueonly)' main"), "r-1\n\n");
  Result<std::string> head = repo->HeadCommit();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, pushed->commit);
  // The work dir is a bare clone whose branch is the pushed commit, with its objects on disk
  // (read back by another process).
  EXPECT_EQ(Sh("git --git-dir=work rev-parse --is-bare-repository main"),
            "true\n" + pushed->commit + "\n");
  EXPECT_EQ(Sh("git --git-dir=work show main:" + std::string(kSvcA)), RemoteFile(kSvcA));
  Sh("git --git-dir=work fsck --no-dangling --strict");
}

TEST_F(GitRepoTest, SpecAuthorOverridesTheConfiguredOne) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  CommitSpec spec = Spec("r-1", "dev");
  spec.body.clear();
  spec.author_name = "Bob Builder";
  spec.author_email = "bob@example.com";
  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("0a0a0a0"), spec);
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(RemoteGit("log -1 --format='%an <%ae>%n%B' main"),
            "Bob Builder <bob@example.com>\nDeploy r-1 to dev\n\nRelease: r-1\n"
            "Environment: dev\nDeployed-By: alice\n\n");
}

TEST_F(GitRepoTest, IdenticalEditsMakeNoCommit) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  auto same = [](GitopsRepo& r) -> Result<std::vector<FileEdit>> {
    Result<std::string> a = r.ReadFile(kSvcA);
    if (!a) return a.error();
    return std::vector<FileEdit>{{kSvcA, *a}, {kSvcB, kSvcBContents}};
  };
  Result<PushResult> pushed = repo->CommitAndPush(same, Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_TRUE(pushed->no_change);
  EXPECT_EQ(pushed->commit, "");
  EXPECT_EQ(pushed->attempts, 1);
  EXPECT_EQ(RemoteHead(), seed_commit_);
  EXPECT_EQ(*repo->HeadCommit(), seed_commit_);
}

TEST_P(GitRepoTransportTest, LostRaceReappliesOnTheNewHead) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  ASSERT_TRUE(repo->Sync().ok());
  int calls = 0;
  auto edits = [&](GitopsRepo& r) {
    if (++calls == 1) PushFromOtherClone("2222222");  // lands between our fetch and push
    return SetSvcATag("def5678")(r);
  };
  Result<PushResult> pushed = repo->CommitAndPush(edits, Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(pushed->attempts, 2);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(retries_, std::vector<int>{1});
  EXPECT_EQ(pushed->commit, RemoteHead());
  EXPECT_THAT(RemoteFile(kSvcA), HasSubstr("tag: \"def5678\""));
  EXPECT_THAT(RemoteFile(kSvcB), HasSubstr("tag: 2222222"));
  EXPECT_EQ(RemoteGit("log --format=%s main"), "Deploy r-1 to dev\nsvc-b 2222222\nSeed\n");
}

TEST_F(GitRepoTest, GivesUpWhenTheBranchKeepsMoving) {
  GitRepoOptions options = Options();
  options.max_attempts = 2;
  auto repo = Open(options);
  ASSERT_NE(repo, nullptr);
  int calls = 0;
  auto edits = [&](GitopsRepo& r) {
    PushFromOtherClone("300000" + std::to_string(++calls));
    return SetSvcATag("def5678")(r);
  };
  Result<PushResult> pushed = repo->CommitAndPush(edits, Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_THAT(pushed.error().message, HasSubstr("gave up after 2 attempts"));
  EXPECT_EQ(retries_, std::vector<int>{1});
  EXPECT_THAT(RemoteFile(kSvcA), HasSubstr("abc1234"));
  // The unpushed commit is gone: the local head is the remote head last fetched.
  EXPECT_EQ(*repo->HeadCommit() + "\n", RemoteGit("rev-parse main~1"));
}

TEST_F(GitRepoTest, EditErrorsStopWithoutPushing) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  auto failing = [](GitopsRepo&) -> Result<std::vector<FileEdit>> {
    return UsageError("image.tag not found in deploy/svc-a/values-dev.yaml");
  };
  Result<PushResult> pushed = repo->CommitAndPush(failing, Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().message, "image.tag not found in deploy/svc-a/values-dev.yaml");

  auto escaping = [](GitopsRepo&) -> Result<std::vector<FileEdit>> {
    return std::vector<FileEdit>{{"../outside.yaml", "x"}};
  };
  pushed = repo->CommitAndPush(escaping, Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().code, ExitCode::kUsage);
  EXPECT_FALSE(fs::exists(root_ / "outside.yaml"));

  CommitSpec bad = Spec("r-1", "dev");
  bad.trailers.push_back({"Deployed By", "x"});
  pushed = repo->CommitAndPush(SetSvcATag("def5678"), bad);
  ASSERT_FALSE(pushed.ok());
  EXPECT_THAT(pushed.error().message, HasSubstr("trailer key 'Deployed By'"));
  EXPECT_EQ(RemoteHead(), seed_commit_);
}

TEST_P(GitRepoTransportTest, SyncDiscardsLocalCommitsAndFollowsTheRemote) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  ASSERT_TRUE(repo->Sync().ok());
  // A commit made in the work dir by hand, then another engineer's push.
  Sh("tree=$(git --git-dir=work rev-parse main^{tree}) && "
     "c=$(git --git-dir=work -c user.name=x -c user.email=x@x commit-tree $tree -p main "
     "-m 'local only') && git --git-dir=work update-ref refs/heads/main $c");
  PushFromOtherClone("4444444");

  ASSERT_TRUE(repo->Sync().ok());
  EXPECT_EQ(*repo->HeadCommit(), RemoteHead());
  EXPECT_EQ(Sh("git --git-dir=work rev-parse main"), RemoteHead() + "\n");
  EXPECT_EQ(*repo->ReadFile(kSvcA), kSvcAContents);
  EXPECT_THAT(*repo->ReadFile(kSvcB), HasSubstr("4444444"));
  EXPECT_EQ(Sh("git --git-dir=work symbolic-ref HEAD"), "refs/heads/main\n");
  EXPECT_EQ(Sh("git --git-dir=work rev-parse --is-bare-repository"), "true\n");
}

TEST_P(GitRepoTransportTest, FindsCommitsByTrailersAndReadsOlderFiles) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  Result<PushResult> first = repo->CommitAndPush(SetSvcATag("1111111"), Spec("r-1", "dev"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  PushFromOtherClone("5555555");
  CommitSpec no_body = Spec("r-2", "dev");  // trailers straight after the subject
  no_body.body.clear();
  Result<PushResult> second = repo->CommitAndPush(SetSvcATag("2222222"), no_body);
  ASSERT_TRUE(second.ok()) << second.error().message;

  auto find = [&](std::vector<Trailer> trailers) {
    Result<std::optional<std::string>> found = repo->FindCommitWithTrailers(trailers);
    EXPECT_TRUE(found.ok()) << found.error().message;
    return found.ok() && *found ? **found : "(none)";
  };
  EXPECT_EQ(find({{"Release", "r-1"}, {"Environment", "dev"}}), first->commit);
  EXPECT_EQ(find({{"release", "r-2"}}), second->commit);
  EXPECT_EQ(find({{"Release", "r-1"}, {"Environment", "prod"}}), "(none)");
  EXPECT_EQ(find({{"Release", "r-9"}}), "(none)");

  Result<std::optional<std::string>> old = repo->ReadFileAt(first->commit, kSvcA);
  ASSERT_TRUE(old.ok()) << old.error().message;
  ASSERT_TRUE(old->has_value());
  EXPECT_THAT(**old, HasSubstr("1111111"));
  Result<std::optional<std::string>> seed = repo->ReadFileAt(seed_commit_, kSvcA);
  ASSERT_TRUE(seed.ok() && seed->has_value());
  EXPECT_EQ(**seed, kSvcAContents);
  Result<std::optional<std::string>> missing = repo->ReadFileAt(seed_commit_, "nope.yaml");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_FALSE(repo->ReadFileAt(std::string(40, 'f'), kSvcA).ok());
  Result<std::string> absent = repo->ReadFile("deploy/svc-z/values-dev.yaml");
  ASSERT_FALSE(absent.ok());
  EXPECT_THAT(absent.error().message, HasSubstr("does not exist"));
}

TEST_F(GitRepoTest, ReopensAnExistingWorkDirAndUpdatesOrigin) {
  GitRepoOptions options = Options();
  ASSERT_NE(Open(options), nullptr);
  Sh("cd work && git remote set-url origin /nonexistent/elsewhere.git");
  auto repo = Open(options);
  ASSERT_NE(repo, nullptr);
  EXPECT_EQ(Sh("cd work && git remote get-url origin"), options.url + "\n");
  PushFromOtherClone("6666666");
  ASSERT_TRUE(repo->Sync().ok());
  EXPECT_EQ(*repo->HeadCommit(), RemoteHead());
}

TEST_F(GitRepoTest, SyncFailsWhenTheBranchIsDeletedUpstream) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  RemoteGit("update-ref -d refs/heads/main");
  Status synced = repo->Sync();
  ASSERT_FALSE(synced.ok());
  EXPECT_THAT(synced.error().message, HasSubstr("branch main does not exist in"));
}

TEST_F(GitRepoTest, ManyPackFilesAreRewrittenAsOneOnOpen) {
  GitRepoOptions options = Options();
  options.max_packs = 3;
  std::vector<std::string> commits;
  {
    auto repo = Open(options);
    ASSERT_NE(repo, nullptr);
    for (const char* tag : {"1111111", "2222222", "3333333", "4444444", "5555555"}) {
      Result<PushResult> pushed =
          repo->CommitAndPush(SetSvcATag(tag), Spec(std::string("r-") + tag, "dev"));
      ASSERT_TRUE(pushed.ok()) << pushed.error().message;
      commits.push_back(pushed->commit);
    }
  }
  auto packs = [&] { return std::stoi(Sh("ls work/objects/pack | grep -c '[.]pack$' || true")); };
  EXPECT_GE(packs(), 5);  // one per commit (and the clone's, if it came as a pack)

  // References the history walk alone would not keep: an annotated tag, a tag of a blob.
  Sh("git --git-dir=work -c user.name=t -c user.email=t@t tag -a v1 -m 'release v1' " + commits[1] +
     " && git --git-dir=work tag blob-tag " + commits[2] + ":" + kSvcA);

  auto repo = Open(options);
  ASSERT_NE(repo, nullptr);
  EXPECT_EQ(packs(), 1);
  Sh("git --git-dir=work fsck --strict --no-dangling");
  EXPECT_EQ(Sh("git --git-dir=work cat-file -t v1 && git --git-dir=work cat-file -t blob-tag"),
            "tag\nblob\n");
  Result<std::string> now = repo->ReadFile(kSvcA);
  ASSERT_TRUE(now.ok()) << now.error().message;
  EXPECT_THAT(*now, HasSubstr("5555555"));
  Result<std::optional<std::string>> first = repo->ReadFileAt(commits.front(), kSvcA);
  ASSERT_TRUE(first.ok() && *first) << (first.ok() ? "missing" : first.error().message);
  EXPECT_THAT(**first, HasSubstr("1111111"));
  Result<PushResult> next = repo->CommitAndPush(SetSvcATag("6666666"), Spec("r-6", "dev"));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->commit, RemoteHead());
}

TEST_F(GitRepoTest, OneUserOfAWorkDirAtATime) {
  auto first = Open();
  ASSERT_NE(first, nullptr);
  GitRepoOptions options = Options();
  options.lock_wait = std::chrono::milliseconds(100);
  options.work_dir += "/";  // the same directory, spelled differently
  Result<std::unique_ptr<GitopsRepo>> second = OpenGitopsRepo(options);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.error().message, HasSubstr("another captain process is using the gitops "
                                                "work dir"));
  first.reset();  // released with the object
  second = OpenGitopsRepo(options);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE((*second)->Sync().ok());
}

TEST_F(GitRepoTest, OpenExplainsBadSettings) {
  GitRepoOptions options = Options();
  options.branch = "release";
  Result<std::unique_ptr<GitopsRepo>> repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr("release"));

  options = Options();
  gittest::WriteFileAt(root_ / "notgit" / "file.txt", "x");
  options.work_dir = (root_ / "notgit").string();
  repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr("is not a git repository"));

  // A clone with a work tree (not what captain makes) is refused, not written into.
  Sh("git clone -q --template= remote.git worktree-clone");
  options = Options();
  options.work_dir = (root_ / "worktree-clone").string();
  repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr("has a work tree"));

  options = Options();
  options.branch = "bad..name";
  repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_EQ(repo.error().code, ExitCode::kUsage);
}

INSTANTIATE_TEST_SUITE_P(Transports, GitRepoTransportTest,
                         ::testing::Values(Transport::kLocal, Transport::kExec),
                         [](const auto& info) {
                           return info.param == Transport::kLocal ? "local" : "exec";
                         });

// Server-side hooks only run behind receive-pack, so these use the exec transport.
class GitRepoServerTest : public GitRemoteFixture {
 protected:
  void SetUp() override { StartRemote(Transport::kExec); }
};

TEST_F(GitRepoServerTest, HookRefusalIsAnErrorCarryingTheRemoteReason) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  gittest::WriteFileAt(root_ / "remote.git" / "hooks" / "pre-receive",
                       "#!/bin/sh\necho 'main is frozen until 17:00 (change CHG0042)'\nexit 1\n");
  fs::permissions(root_ / "remote.git" / "hooks" / "pre-receive", fs::perms::owner_all);
  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_THAT(pushed.error().message, HasSubstr("pre-receive hook declined"));
  EXPECT_THAT(pushed.error().message, HasSubstr("main is frozen until 17:00 (change CHG0042)"));
  EXPECT_TRUE(retries_.empty());
  EXPECT_EQ(RemoteHead(), seed_commit_);
  EXPECT_EQ(*repo->HeadCommit(), seed_commit_);
}

// HTTPS-style authentication, through the exec transport's "token-required" host.
class GitRepoCredentialTest : public GitRemoteFixture {
 protected:
  void SetUp() override {
    StartRemote(Transport::kExec);
    host_ = "token-required";
    gittest::Auth() = {"s3cret-token", "", 0};
  }
  void TearDown() override {
    unsetenv(kTokenEnv);
    GitRemoteFixture::TearDown();
  }
  static constexpr char kTokenEnv[] = "CAPTAIN_GIT_TEST_TOKEN";
};

TEST_F(GitRepoCredentialTest, SendsTheTokenFromTheEnvironmentAsXAccessToken) {
  setenv(kTokenEnv, "s3cret-token", 1);
  GitRepoOptions options = Options();
  options.credentials.token_env = kTokenEnv;
  auto repo = Open(options);
  ASSERT_NE(repo, nullptr);
  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(gittest::Auth().seen_username, "x-access-token");
  EXPECT_EQ(pushed->commit, RemoteHead());
}

TEST_F(GitRepoCredentialTest, ReadsTheTokenFromAFile) {
  gittest::WriteFileAt(root_ / "token", "  s3cret-token\n");
  GitRepoOptions options = Options();
  options.credentials.token_file = (root_ / "token").string();
  EXPECT_NE(Open(options), nullptr);
}

TEST_F(GitRepoCredentialTest, ARefusedTokenIsAnErrorThatDoesNotShowIt) {
  setenv(kTokenEnv, "wrong-token", 1);
  GitRepoOptions options = Options();
  options.credentials.token_env = kTokenEnv;
  Result<std::unique_ptr<GitopsRepo>> repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr("refused captain's credentials"));
  EXPECT_THAT(repo.error().message, Not(HasSubstr("wrong-token")));
  EXPECT_EQ(gittest::Auth().asks, 2);  // no retry loop with a token already refused
}

TEST_F(GitRepoCredentialTest, AMissingTokenNamesWhereItShouldBe) {
  GitRepoOptions options = Options();
  options.credentials.token_env = kTokenEnv;
  Result<std::unique_ptr<GitopsRepo>> repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr(kTokenEnv));
  options.credentials = {};
  repo = OpenGitopsRepo(options);
  ASSERT_FALSE(repo.ok());
  EXPECT_THAT(repo.error().message, HasSubstr("no token is configured"));
}

TEST(GitUtilTest, ComposesCommitMessages) {
  CommitSpec spec{"Deploy r-1 to dev", "body line\n\n", {{"Release", "r-1"}}, "", ""};
  EXPECT_EQ(*git::ComposeCommitMessage(spec), "Deploy r-1 to dev\n\nbody line\n\nRelease: r-1\n");
  spec.trailers.clear();
  EXPECT_EQ(*git::ComposeCommitMessage(spec), "Deploy r-1 to dev\n\nbody line\n");
  spec.subject = "two\nlines";
  EXPECT_FALSE(git::ComposeCommitMessage(spec).ok());
  spec = {"s", "", {{"Release", "a\nb"}}, "", ""};
  EXPECT_FALSE(git::ComposeCommitMessage(spec).ok());
  spec = {"s", "", {{"Release", ""}}, "", ""};
  EXPECT_FALSE(git::ComposeCommitMessage(spec).ok());
}

TEST(GitUtilTest, ChecksRepoPaths) {
  for (const char* ok : {"a.yaml", "deploy/svc/values-dev.yaml", ".github/x", "a..b/c"}) {
    EXPECT_TRUE(git::CheckRepoPath(ok).ok()) << ok;
  }
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/", ".git/config",
                          "sub/.GIT/x", "a\\b"}) {
    EXPECT_FALSE(git::CheckRepoPath(bad).ok()) << bad;
  }
}

TEST(GitUtilTest, TellsLostRacesFromRefusals) {
  for (const char* race : {"non-fast-forward", "fetch first", "stale info", "failed to update ref",
                           "cannot lock ref 'refs/heads/main'"}) {
    EXPECT_TRUE(git::IsRaceRejection(race)) << race;
  }
  for (const char* refusal : {"pre-receive hook declined", "protected branch hook declined",
                              "permission denied", "deny updating a hidden ref"}) {
    EXPECT_FALSE(git::IsRaceRejection(refusal)) << refusal;
  }
}

TEST(GitUtilTest, RedactsUrlPasswords) {
  EXPECT_EQ(git::RedactUrlPasswords("cloning https://bot:s3cret@github.com/org/apps.git failed"),
            "cloning https://bot:***@github.com/org/apps.git failed");
  EXPECT_EQ(git::RedactUrlPasswords("ssh://git@host:22/x and https://host/y"),
            "ssh://git@host:22/x and https://host/y");
}

}  // namespace
}  // namespace captain
