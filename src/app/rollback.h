// Rollback: restore each service's previous tag in one environment, in one commit, and
// open an incident report.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"
#include "gitops/git_repo.h"

namespace captain {

struct RollbackArgs {
  std::string release_id;
  std::string env;
  std::vector<std::string> services;  // empty: every service the release deployed there
  std::string reason;                 // the incident's description
  std::string by;
  std::string title;        // default: derived
  std::string team;         // reporting team; default: the first service's team
  std::string replication;  // steps to reproduce
  bool non_functional = false;
  bool blocker = false;
  std::string root_cause = "RC VRO";
  bool dry_run = false;  // say what would be restored; push, record and report nothing
};

struct TagRestore {
  std::string service;
  std::string to;    // the previous tag
  std::string from;  // the tag being rolled back
};

struct RollbackOutcome {
  std::vector<std::string> recovered;  // interrupted deploys and rollbacks finished first
  std::string gitops_commit;
  bool no_change = false;
  std::vector<std::pair<std::string, std::string>> restored;  // service, tag
  int64_t incident_id = 0;
  bool dry_run = false;
};

// The checks a rollback makes before touching the repository (input, the release open).
Status CheckRollback(const App& app, const RollbackArgs& args);
// Restores the previous tags in one commit, with an intent recorded before the push (trailer
// Captain-Deploy) like a deploy's, so a crash in between is reconciled by the next captain.
Result<RollbackOutcome> Rollback(const App& app, GitopsRepo& repo, const RollbackArgs& args);

// A rollback's intent (step "rollback"), and recording one whose commit has landed.
inline constexpr const char* kRollbackStep = "rollback";
bool IsRollbackIntent(const DeployIntent& i);
Status RecordRollbackIntent(const App& app, const DeployIntent& intent,
                            const std::string& gitops_commit);

// The incident report as Markdown, with its timeline from the audit log.
std::string IncidentMarkdown(const Incident& i, const std::vector<AuditEntry>& timeline);

}  // namespace captain
