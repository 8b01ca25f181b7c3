// The GitOps repository opened under the store's "gitops" lock, so deploys and rollbacks from
// daemons on different hosts (each with its own work directory) run one at a time.
#pragma once

#include <memory>

#include "app/app.h"
#include "gitops/git_repo.h"
#include "store/store.h"

namespace captain {

struct LockedRepo {
  std::unique_ptr<StoreLock> lock;  // first: released after the repository is closed
  std::unique_ptr<GitopsRepo> repo;
  GitopsRepo& operator*() { return *repo; }
};

Result<LockedRepo> OpenLockedRepo(const App& app);

}  // namespace captain
