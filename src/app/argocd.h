// ArgoCD's view of the cluster, from argocd-notifications' webhook: every notification is
// kept; an application's health is recorded against the release running there (so the plan's
// `unhealthy` comes from the cluster); failed syncs and degraded health go to the owning
// team's channel; and a deploy step's environment is watched until every application it
// changed is Synced and Healthy at the step's GitOps commit (or flagged after
// argocd.verify_timeout_minutes).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app.h"

namespace captain {

// The body the shipped template (deploy/argocd/argocd-notifications-cm.yaml) sends.
struct ArgoNotification {
  std::string app;
  std::string event;  // sync-succeeded, sync-failed, health-degraded, deployed
  std::string sync;
  std::string health;
  std::string revision;
  std::string message;
};

// A usage error naming the field when the body is not one.
Result<ArgoNotification> ParseArgoNotification(const nlohmann::json& body);

struct ArgoIngested {
  int64_t id = 0;
  std::string service;  // "" when argocd.app_pattern maps the application to no service
  std::string env;
};

// Records `batch` in one transaction, in order.
Result<std::vector<ArgoIngested>> IngestArgo(const App& app,
                                             const std::vector<ArgoNotification>& batch);

// The daemon's journal of notifications (server/hook_journal.h): `batch`, its entries up to
// `last_seq`, applied in one transaction with the journal's mark; and the mark.
Status ApplyArgoJournal(const App& app, const std::string& journal,
                        const std::vector<ArgoNotification>& batch, int64_t last_seq);
Result<int64_t> ArgoJournalApplied(const App& app, const std::string& journal);

// Starts watching a deployed step's environment (called with the step's record), when
// captain.yaml has an `argocd` section.
Status WatchStep(const App& app, const std::string& release_id, const std::string& step,
                 const std::string& env, const std::string& gitops_commit, const std::string& by,
                 const std::vector<std::string>& services);

// Flags the watches older than argocd.verify_timeout_minutes; returns what it flagged.
Result<std::vector<std::string>> ExpireWatches(const App& app);

// Whether ArgoCD's `revision` is the GitOps commit `commit` (either may be abbreviated).
bool SameRevision(const std::string& revision, const std::string& commit);

}  // namespace captain
