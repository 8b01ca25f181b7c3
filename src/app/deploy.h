// Deploying: the plan's tags written into the GitOps repository, one commit per environment,
// with an intent recorded before each push and reconciled after a crash.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "gitops/git_repo.h"

namespace captain {

struct TagChange {
  std::string service;
  std::string file;
  std::string key;
  std::string old_tag;
  std::string new_tag;
  std::string commit;  // the image's source commit
  std::optional<Instant> signed_at;
};

struct EnvDeploy {
  std::string env;
  std::string gitops_commit;  // empty: nothing pushed
  bool no_change = false;     // every tag was already in place
  int attempts = 0;
  std::vector<TagChange> changes;
  std::string diff;  // --dry-run only
};

struct DeployArgs {
  std::string release_id;
  std::string step;  // lower, prod-test, prod…
  std::string env;   // optional: only this environment of the step
  bool dry_run = false;
  std::string by;
  // Called as each environment starts ("start") and is recorded ("done"): a job's progress.
  std::function<void(const std::string& env, const char* phase)> on_env;
};

struct DeployOutcome {
  std::vector<std::string> recovered;  // interrupted deploys and rollbacks finished first
  std::vector<EnvDeploy> envs;
};

// The checks a deploy makes before touching the repository: input, the release, the step's
// milestone at `when` (default: now). What the daemon answers before starting a job.
Status CheckDeploy(const App& app, const DeployArgs& args,
                   std::optional<Instant> when = std::nullopt);
// Deploys one step. Refused (exit 3) for a finished release, before the step's milestone
// for a standard release, or for an unapproved request.
Result<DeployOutcome> Deploy(const App& app, GitopsRepo& repo, const DeployArgs& args);

// Finishes or abandons deploy and rollback intents left pending by a crash (or by a record
// that failed after the push): one whose commit (found by its Captain-Deploy trailer) reached
// the remote is recorded; the others are abandoned. Returns a line per intent handled.
Result<std::vector<std::string>> RecoverDeploys(const App& app, GitopsRepo& repo);

}  // namespace captain
