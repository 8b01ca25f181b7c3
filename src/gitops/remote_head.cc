#include "gitops/remote_head.h"

#include <git2.h>

#include <memory>

namespace captain {
namespace {

std::string LastError() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

struct RemoteFree {
  void operator()(git_remote* r) const { git_remote_free(r); }
};

}  // namespace

Result<std::string> RemoteBranchHead(const std::string& repo, const std::string& branch) {
  static const int init = git_libgit2_init();
  (void)init;
  git_remote* raw = nullptr;
  if (git_remote_create_detached(&raw, repo.c_str()) != 0) {
    return UsageError("--repo: " + repo + ": " + LastError());
  }
  std::unique_ptr<git_remote, RemoteFree> remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0) {
    return OtherError("cannot reach " + repo + ": " + LastError());
  }
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (git_remote_ls(&heads, &count, remote.get()) != 0) {
    return OtherError("cannot list " + repo + ": " + LastError());
  }
  std::string want = "refs/heads/" + branch;
  for (size_t i = 0; i < count; ++i) {
    if (want == heads[i]->name) {
      char hex[GIT_OID_HEXSZ + 1];
      git_oid_tostr(hex, sizeof hex, &heads[i]->oid);
      return std::string(hex);
    }
  }
  return UsageError("--branch: " + repo + " has no branch '" + branch + "'");
}

}  // namespace captain
