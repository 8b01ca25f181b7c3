#include "gitops/local_push.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>

namespace captain::git {
namespace {

namespace fs = std::filesystem;

constexpr const char* kServerHooks[] = {"pre-receive",          "update",       "post-receive",
                                        "post-update",          "proc-receive", "push-to-checkout",
                                        "reference-transaction"};

struct OpenedRepo {
  git_repository* repo = nullptr;
  ~OpenedRepo() { git_repository_free(repo); }
};

std::string TempRef() {
  std::random_device rd;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return std::string("refs/captain/incoming/") + buf;
}

}  // namespace

std::optional<std::string> LocalRemotePath(const std::string& url) {
  if (url.rfind("file://", 0) == 0) return url.substr(7);
  if (url.find("://") != std::string::npos) return std::nullopt;
  if (url.find(':') < url.find('/')) return std::nullopt;  // user@host:path
  return url;
}

std::optional<std::string> ServerHook(const std::string& path) {
  OpenedRepo r;
  if (git_repository_open_ext(&r.repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    return std::nullopt;
  }
  fs::path hooks = fs::path(git_repository_path(r.repo)) / "hooks";
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, r.repo) == 0) {
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_path(&value, config, "core.hooksPath") == 0) {
      fs::path configured = value.ptr;
      hooks = configured.is_absolute() ? configured : fs::path(path) / configured;
    }
    git_buf_dispose(&value);
    git_config_free(config);
  }
  git_error_clear();
  for (const char* name : kServerHooks) {
    fs::path hook = hooks / name;
    if (access(hook.c_str(), X_OK) == 0 && fs::is_regular_file(hook)) return hook.string();
  }
  return std::nullopt;
}

Result<PushOutcome> PushBranchLocal(git_remote* remote, const RemoteAccess& access,
                                    const std::string& remote_path, const std::string& branch,
                                    const git_oid& expected_old, const git_oid& next) {
  std::string where = "pushing branch " + branch + " to " + access.display_url;
  if (auto hook = ServerHook(remote_path)) {
    return OtherError(where + ": the repository has a server hook (" + *hook +
                      ") that a push over a local path would skip; push through git:// or "
                      "http(s):// instead (git daemon, git http-backend) so the server runs it");
  }
  // 1. The objects, under a ref no one else uses.
  std::string temp = TempRef();
  std::string spec = "refs/heads/" + branch + ":" + temp;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  RemoteCallbacks cbs(access);
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = cbs.callbacks();
  if (int rc = git_remote_push(remote, &refspecs, &opts); rc < 0) return cbs.Fail(rc, where);
  // 2. The branch, only if it is still what the commit was built on.
  OpenedRepo r;
  if (int rc = git_repository_open_ext(&r.repo, remote_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                                       nullptr);
      rc < 0) {
    return GitError(rc, where);
  }
  std::string name = "refs/heads/" + branch;
  git_reference* moved = nullptr;
  int rc = git_reference_create_matching(&moved, r.repo, name.c_str(), &next, /*force=*/1,
                                         &expected_old, "captain: push");
  git_reference_free(moved);
  std::string why = rc == GIT_EMODIFIED ? "the branch moved since captain fetched it"
                    : rc == GIT_ELOCKED ? remote_path + "/" + name + ".lock exists"
                                        : "";
  if (rc < 0 && why.empty()) {
    Error e = GitError(rc, where);
    static_cast<void>(git_reference_remove(r.repo, temp.c_str()));
    return e;
  }
  static_cast<void>(git_reference_remove(r.repo, temp.c_str()));
  git_error_clear();
  if (rc < 0) return PushOutcome{/*accepted=*/false, /*race_lost=*/true, why};
  return PushOutcome{/*accepted=*/true, /*race_lost=*/false, ""};
}

}  // namespace captain::git
