// Test fixture for the GitOps client: a scratch dir with remote.git (branch main seeded with
// two YAML files), another engineer's clone, and helpers to read what the remote holds.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gitops/git_repo.h"
#include "gitops/git_test_remote.h"

namespace captain::gittest {

namespace fs = std::filesystem;

inline constexpr char kSvcA[] = "deploy/svc-a/values-dev.yaml";
inline constexpr char kSvcB[] = "deploy/svc-b/values-dev.yaml";
// CRLF and comments: the client must keep every byte.
inline constexpr char kSvcAContents[] = "image:\r\n  tag: \"abc1234\"  # pinned by captain\r\n";
inline constexpr char kSvcBContents[] = "image:\n  repository: ghcr.io/org/svc-b\n  tag: 1111111\n";

enum class Transport { kLocal, kExec };

// A scratch dir with remote.git (branch main seeded with two YAML files) and helpers.
class GitRemoteFixture : public ::testing::Test {
 protected:
  void StartRemote(Transport transport) {
    transport_ = transport;
    ASSERT_TRUE(gittest::RegisterExecTransport());
    char tmpl[] = "/tmp/captain-git-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    gittest::WriteFileAt(root_ / "seed" / kSvcA, kSvcAContents);
    gittest::WriteFileAt(root_ / "seed" / kSvcB, kSvcBContents);
    // --template= skips copying sample hooks: each git init is then much cheaper.
    seed_commit_ =
        Sh("git init -q --template= --bare -b main remote.git && cd seed && "
           "git init -q --template= -b main && git add -A && git commit -q -m Seed && "
           "git push -q ../remote.git main && git rev-parse HEAD");
    seed_commit_ = seed_commit_.substr(0, seed_commit_.find('\n'));
  }

  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  // Runs a shell command in the scratch dir; fails the test if it fails.
  std::string Sh(const std::string& command) {
    gittest::ShellResult r = gittest::RunIn(root_, command);
    EXPECT_EQ(r.status, 0) << command << "\n" << r.output;
    return r.output;
  }
  std::string RemoteGit(const std::string& args) { return Sh("git --git-dir=remote.git " + args); }
  std::string RemoteHead() {
    std::string out = RemoteGit("rev-parse main");
    return out.substr(0, out.find('\n'));
  }
  std::string RemoteFile(const std::string& path) { return RemoteGit("show main:" + path); }

  // Another engineer's clone pushes a change to svc-b.
  void PushFromOtherClone(const std::string& tag) {
    Sh("(test -d other || git clone -q --template= remote.git other) && cd other && "
       "git pull -q origin main && "
       "printf 'image:\\n  repository: ghcr.io/org/svc-b\\n  tag: " +
       tag + "\\n' > " + kSvcB + " && git commit -q -am 'svc-b " + tag +
       "' && git push -q origin main");
  }

  GitRepoOptions Options() {
    GitRepoOptions o;
    std::string remote = (root_ / "remote.git").string();
    o.url =
        transport_ == Transport::kExec ? gittest::kExecScheme + (host_ + ":9" + remote) : remote;
    o.branch = "main";
    o.work_dir = (root_ / "work").string();
    o.author_name = "Release Captain";
    o.author_email = "captain@example.com";
    o.backoff = [this](int retry) { retries_.push_back(retry); };
    return o;
  }

  std::unique_ptr<GitopsRepo> Open(const GitRepoOptions& options) {
    Result<std::unique_ptr<GitopsRepo>> repo = OpenGitopsRepo(options);
    EXPECT_TRUE(repo.ok()) << repo.error().message;
    return repo.ok() ? std::move(repo).value() : nullptr;
  }
  std::unique_ptr<GitopsRepo> Open() { return Open(Options()); }

  static CommitSpec Spec(const std::string& release, const std::string& env) {
    CommitSpec spec;
    spec.subject = "Deploy " + release + " to " + env;
    spec.body = "svc-a: abc1234 -> def5678";
    spec.trailers = {{"Release", release}, {"Environment", env}, {"Deployed-By", "alice"}};
    return spec;
  }

  // Edits that replace svc-a's tag, computed from what the repo holds now.
  static GitopsRepo::EditFn SetSvcATag(const std::string& tag) {
    return [tag](GitopsRepo& repo) -> Result<std::vector<FileEdit>> {
      Result<std::string> current = repo.ReadFile(kSvcA);
      if (!current) return current.error();
      std::string next = *current;
      size_t at = next.find("tag: \"") + 6;
      next.replace(at, next.find('"', at) - at, tag);
      return std::vector<FileEdit>{{kSvcA, next}};
    };
  }

  Transport transport_ = Transport::kLocal;
  std::string host_ = "localhost";  // exec transport only
  fs::path root_;
  std::string seed_commit_;
  std::vector<int> retries_;
};

// Behaviour that depends on the transport runs over both: libgit2's local one and the smart
// protocol against git receive-pack / upload-pack (what a real server speaks).
}  // namespace captain::gittest
