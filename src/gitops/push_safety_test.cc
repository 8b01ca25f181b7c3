// No push is lost and no server hook skipped: captain racing a person's `git push` on a local
// remote and over git:// (Debian's git daemon, started here on 127.0.0.1), hooks on a local
// remote refused, and hooks over the network honoured.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "gitops/git_repo_fixture.h"
#include "gitops/local_push.h"

namespace captain {
namespace {

using gittest::GitRemoteFixture;
using gittest::kSvcA;
using ::testing::HasSubstr;

// A free loopback port at the moment of asking.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

class PushSafetyTest : public GitRemoteFixture {
 protected:
  void SetUp() override { StartRemote(gittest::Transport::kLocal); }
  void TearDown() override {
    if (daemon_pid_ > 0) kill(daemon_pid_, SIGTERM);
    GitRemoteFixture::TearDown();
  }

  // Serves the scratch dir over git:// on 127.0.0.1 (receive-pack enabled); returns the URL of
  // remote.git.
  std::string StartDaemon() {
    for (int attempt = 0; attempt < 5 && daemon_pid_ <= 0; ++attempt) {
      int port = FreePort();
      std::string pid_file = (root_ / "daemon.pid").string();
      Sh("git daemon --reuseaddr --listen=127.0.0.1 --port=" + std::to_string(port) +
         " --export-all --enable=receive-pack --base-path=. --pid-file=" + pid_file +
         " --detach .");
      for (int i = 0; i < 100 && !Accepts(port); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!Accepts(port)) continue;
      std::ifstream(pid_file) >> daemon_pid_;
      daemon_url_ = "git://127.0.0.1:" + std::to_string(port) + "/remote.git";
    }
    EXPECT_GT(daemon_pid_, 0) << "git daemon did not start";
    return daemon_url_;
  }

  void AddHook(const std::string& name, const std::string& script) {
    Sh("mkdir -p remote.git/hooks && printf '%s' '" + script + "' > remote.git/hooks/" + name +
       " && chmod +x remote.git/hooks/" + name);
  }

  // The person pushes `count` commits (retrying on a rejection) while captain deploys `count`
  // times; every one of both must be on the branch afterwards.
  void RaceAPerson(const std::string& url, int count) {
    Sh("git clone -q --template= " + url + " person");
    std::thread person([&] {
      for (int i = 0; i < count; ++i) {
        Sh("cd person && echo " + std::to_string(i) + " > person-" + std::to_string(i) +
           " && git add -A && git -c user.name=p -c user.email=p@x commit -q -m 'person " +
           std::to_string(i) +
           "' && for t in $(seq 1 50); do git push -q origin main 2>/dev/null && exit 0; "
           "git -c user.name=p -c user.email=p@x pull -q --rebase origin main; done; exit 1");
      }
    });
    GitRepoOptions options = Options();
    options.url = url;
    options.max_attempts = 50;
    options.backoff = [](int) { std::this_thread::sleep_for(std::chrono::milliseconds(5)); };
    auto repo = Open(options);
    ASSERT_NE(repo, nullptr);
    for (int i = 0; i < count; ++i) {
      // A large new file with each deploy widens the time the push spends copying objects,
      // which is when an unguarded branch update loses the person's commit.
      auto edits = [i](GitopsRepo& r) -> Result<std::vector<FileEdit>> {
        auto tag = SetSvcATag("c" + std::to_string(1000000 + i).substr(1))(r);
        if (!tag) return tag;
        std::string blob(2 << 20, '\0');
        uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(i + 1);
        for (auto& ch : blob) {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          ch = static_cast<char>(x);
        }
        tag->push_back({"blobs/" + std::to_string(i) + ".bin", blob});
        return tag;
      };
      Result<PushResult> pushed = repo->CommitAndPush(edits, Spec("r-" + std::to_string(i), "dev"));
      EXPECT_TRUE(pushed.ok()) << pushed.error().message;
    }
    person.join();
    std::string log = RemoteGit("log --format=%s main");
    for (int i = 0; i < count; ++i) {
      EXPECT_THAT(log, HasSubstr("person " + std::to_string(i) + "\n")) << log;
      EXPECT_THAT(log, HasSubstr("Deploy r-" + std::to_string(i) + " to dev\n")) << log;
    }
    EXPECT_EQ(RemoteGit("fsck --no-progress 2>&1 | grep -v dangling || true"), "");
  }

  void PushInTheWindow(const std::string& remote) {
    GitRepoOptions options = Options();
    int negotiated = 0;
    options.url = remote;
    options.on_push_negotiated = [&] {
      if (++negotiated == 1) PushFromOtherClone("2222222");
    };
    auto repo = Open(options);
    ASSERT_NE(repo, nullptr);
    Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
    ASSERT_TRUE(pushed.ok()) << pushed.error().message;
    EXPECT_GE(negotiated, 1);
    EXPECT_EQ(pushed->attempts, 2);
    EXPECT_EQ(RemoteGit("log --format=%s main"), "Deploy r-1 to dev\nsvc-b 2222222\nSeed\n");
    EXPECT_EQ(RemoteHead(), pushed->commit);
  }

  pid_t daemon_pid_ = -1;
  std::string daemon_url_;
};

// The branch moves only from the commit captain built on: a stale expectation is a lost race
// and the branch keeps the other push.
TEST_F(PushSafetyTest, LocalPushIsACompareAndSwapOfTheBranch) {
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  int calls = 0;
  auto edits = [&](GitopsRepo& r) {
    if (++calls == 1) PushFromOtherClone("2222222");
    return SetSvcATag("def5678")(r);
  };
  Result<PushResult> pushed = repo->CommitAndPush(edits, Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(pushed->attempts, 2);
  EXPECT_EQ(RemoteGit("log --format=%s main"), "Deploy r-1 to dev\nsvc-b 2222222\nSeed\n");
  EXPECT_EQ(RemoteGit("for-each-ref refs/captain"), "");  // the temporary ref is gone
}

// A person's push that lands after libgit2 has checked that captain's push fast-forwards, and
// before it writes the branch: the window in which libgit2's local transport, which writes the
// ref without checking its old value, overwrote the person's commit. Over a local path and
// over git://, the person's commit stays and captain's lands on top of it.
TEST_F(PushSafetyTest, APushLandingAfterNegotiationIsKeptOnALocalRemote) {
  PushInTheWindow((root_ / "remote.git").string());
}

TEST_F(PushSafetyTest, APushLandingAfterNegotiationIsKeptOverGitDaemon) {
  PushInTheWindow(StartDaemon());
}

// The branch update checks the value captain built on, not only that the push fast-forwards:
// a commit built on a stale base is refused even when it happens to descend from the new head.
TEST_F(PushSafetyTest, ABranchThatMovedIsNotOverwrittenEvenByAFastForward) {
  PushFromOtherClone("2222222");  // main: seed -> Y
  std::string y = RemoteHead();
  Sh("git clone -q --template= remote.git work2 && cd work2 && echo z > z && git add z && "
     "git -c user.name=c -c user.email=c@x commit -q -m Z");
  std::string z = Sh("git -C work2 rev-parse HEAD");
  z = z.substr(0, 40);
  git_repository* raw = nullptr;
  ASSERT_EQ(git_repository_open(&raw, (root_ / "work2").c_str()), 0);
  git::Repository work(raw);
  std::string path = (root_ / "remote.git").string();
  auto remote = git::MakeRemote(work.get(), path);
  ASSERT_TRUE(remote.ok());
  git::RemoteAccess access{"origin", path, {}};
  git_oid stale, next;
  git_oid_fromstr(&stale, seed_commit_.c_str());
  git_oid_fromstr(&next, z.c_str());
  auto pushed = git::PushBranchLocal(remote->get(), access, path, "main", stale, next);
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_FALSE(pushed->accepted);
  EXPECT_TRUE(pushed->race_lost);
  EXPECT_EQ(RemoteHead(), y);
  git_oid current;
  git_oid_fromstr(&current, y.c_str());
  pushed = git::PushBranchLocal(remote->get(), access, path, "main", current, next);
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_TRUE(pushed->accepted);
  EXPECT_EQ(RemoteHead(), z);
}

TEST_F(PushSafetyTest, RacingAPersonOnALocalRemoteLosesNoCommit) {
  RaceAPerson((root_ / "remote.git").string(), 10);
}

TEST_F(PushSafetyTest, RacingAPersonOverGitDaemonLosesNoCommit) { RaceAPerson(StartDaemon(), 6); }

TEST_F(PushSafetyTest, ALocalRemoteWithServerHooksIsRefused) {
  AddHook("pre-receive", "#!/bin/sh\necho no pushes today >&2\nexit 1\n");
  std::string before = RemoteHead();
  auto repo = Open();
  ASSERT_NE(repo, nullptr);
  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_THAT(pushed.error().message, HasSubstr("server hook"));
  EXPECT_THAT(pushed.error().message, HasSubstr("pre-receive"));
  EXPECT_EQ(RemoteHead(), before);
  // A sample hook (not executable, .sample) is no hook.
  Sh("mv remote.git/hooks/pre-receive remote.git/hooks/pre-receive.sample");
  EXPECT_EQ(git::ServerHook((root_ / "remote.git").string()), std::nullopt);
}

TEST_F(PushSafetyTest, OverGitDaemonTheServersHooksRunAndRefuse) {
  std::string url = StartDaemon();
  AddHook("pre-receive", "#!/bin/sh\necho frozen for the audit >&2\nexit 1\n");
  std::string before = RemoteHead();
  GitRepoOptions options = Options();
  options.url = url;
  auto repo = Open(options);
  ASSERT_NE(repo, nullptr);
  Result<PushResult> pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_FALSE(pushed.ok());
  EXPECT_THAT(pushed.error().message, HasSubstr("refused"));
  EXPECT_EQ(RemoteHead(), before);
  Sh("rm remote.git/hooks/pre-receive");
  pushed = repo->CommitAndPush(SetSvcATag("def5678"), Spec("r-1", "dev"));
  ASSERT_TRUE(pushed.ok()) << pushed.error().message;
  EXPECT_EQ(RemoteHead(), pushed->commit);
}

}  // namespace
}  // namespace captain
