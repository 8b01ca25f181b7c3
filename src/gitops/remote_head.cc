#include "gitops/remote_head.h"

#include "gitops/git_util.h"

namespace captain {

Result<std::string> RemoteBranchHead(const std::string& repo, const std::string& branch) {
  git::EnsureLibgit2();
  git_remote* raw = nullptr;
  if (int rc = git_remote_create_detached(&raw, repo.c_str()); rc != 0) {
    return FieldError("repo", git::GitError(rc, repo).message);
  }
  git::Remote remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  if (int rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr);
      rc != 0) {
    return git::GitError(rc, "cannot reach " + repo);
  }
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (int rc = git_remote_ls(&heads, &count, remote.get()); rc != 0) {
    return git::GitError(rc, "cannot list " + repo);
  }
  std::string want = "refs/heads/" + branch;
  for (size_t i = 0; i < count; ++i) {
    if (want == heads[i]->name) {
      return git::OidHex(heads[i]->oid);
    }
  }
  return FieldError("branch", repo + " has no branch '" + branch + "'");
}

}  // namespace captain
