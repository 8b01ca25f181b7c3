// A new version of a git tree with some files replaced or added, built as git objects in
// memory: only the trees on the changed paths are rewritten, every other subtree is shared.
// The result matches what `git write-tree` gives for the same files (git's entry order and
// mode spelling).
#pragma once

#include <git2.h>

#include <string>
#include <vector>

#include "gitops/pack_writer.h"
#include "util/result.h"

namespace captain::git {

struct BlobUpdate {
  std::string path;  // '/'-separated, relative to the root, already checked (CheckRepoPath)
  git_oid blob{};
  git_filemode_t mode = GIT_FILEMODE_BLOB;  // a blob mode (regular or executable)
};

// The id of `base` with the updates applied; the new trees are appended to `out` (none when
// nothing changes). A path through a file, or onto a directory, is a usage error.
Result<git_oid> UpdateTree(git_repository* repo, const git_tree* base,
                           const std::vector<BlobUpdate>& updates, std::vector<NewObject>& out);

}  // namespace captain::git
