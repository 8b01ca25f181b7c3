#include "gitops/configured_repo.h"

namespace captain {

GitRepoOptions RepoOptionsFrom(const Config& c) {
  GitRepoOptions o;
  o.url = c.ResolvePath(c.gitops.repo);
  o.branch = c.gitops.branch;
  o.work_dir = c.ResolvePath(c.state_dir) + "/gitops.git";
  o.credentials.token_env = c.gitops.token_env;
  o.credentials.token_file =
      c.gitops.credentials_file.empty() ? "" : c.ResolvePath(c.gitops.credentials_file);
  o.author_name = c.gitops.author_name;
  o.author_email = c.gitops.author_email;
  return o;
}

Result<std::unique_ptr<GitopsRepo>> OpenConfiguredRepo(const Config& c) {
  if (c.gitops.repo.empty()) {
    return UsageError(
        c.source + ": gitops.repo: not configured; captain needs the GitOps repository to deploy");
  }
  return OpenGitopsRepo(RepoOptionsFrom(c));
}

}  // namespace captain
