// Pushing to a local remote (a path or file://). libgit2's local transport writes the branch
// itself, without the old-value check a server makes and without running the repository's
// hooks; so captain copies the objects under a temporary ref of its own, then moves the
// branch with a compare-and-swap under git's ref lock, and refuses a remote with server hooks.
#pragma once

#include <git2.h>

#include <optional>
#include <string>

#include "gitops/git_util.h"
#include "util/result.h"

namespace captain::git {

// The directory of a local remote URL (a path, or file://path); nullopt for network URLs.
std::optional<std::string> LocalRemotePath(const std::string& url);

// The first server-side hook (pre-receive, update, post-receive…) the repository at `path`
// would run on a push, or nullopt.
std::optional<std::string> ServerHook(const std::string& path);

// Moves refs/heads/<branch> of the local remote at `remote_path` from `expected_old` to `next`
// after copying the objects. A branch that moved (or is locked by another push) meanwhile is
// a lost race; a remote with hooks is refused.
Result<PushOutcome> PushBranchLocal(git_remote* remote, const RemoteAccess& access,
                                    const std::string& remote_path, const std::string& branch,
                                    const git_oid& expected_old, const git_oid& next);

}  // namespace captain::git
