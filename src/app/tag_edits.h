// Image-tag edits for one environment: each GitOps file read once from the repository's
// current head, every service's tag set in it, the files that changed returned. Shared by
// deploy and rollback.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "gitops/git_repo.h"
#include "util/result.h"

namespace captain {

struct TagTarget {
  std::string service;
  std::string env;
  GitopsLocation loc;
  std::string tag;  // the value to write
};

struct TagEdits {
  std::vector<std::string> old_tags;             // per target, in the targets' order
  std::vector<FileEdit> edits;                   // the changed files, in first-use order
  std::map<std::string, std::string> originals;  // every file read, as it was
};

// Errors name the service and environment, then the file:line:col of the YAML refusal.
Result<TagEdits> EditTags(GitopsRepo& repo, const std::vector<TagTarget>& targets);

}  // namespace captain
