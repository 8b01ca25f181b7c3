// The GitOps repository named by captain.yaml's `gitops` section, cloned under state_dir.
#pragma once

#include <memory>

#include "config/config.h"
#include "gitops/git_repo.h"

namespace captain {

GitRepoOptions RepoOptionsFrom(const Config& c);
Result<std::unique_ptr<GitopsRepo>> OpenConfiguredRepo(const Config& c);

}  // namespace captain
