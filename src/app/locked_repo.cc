#include "app/locked_repo.h"

#include "gitops/configured_repo.h"

namespace captain {

Result<LockedRepo> OpenLockedRepo(const App& app) {
  LockedRepo out;
  auto lock = app.store.Lock("gitops", std::chrono::minutes(2));
  if (!lock) return lock.error();
  out.lock = std::move(*lock);
  auto repo = OpenConfiguredRepo(app.config);
  if (!repo) return repo.error();
  out.repo = std::move(*repo);
  return out;
}

}  // namespace captain
