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
};

struct TagRestore {
  std::string service;
  std::string to;    // the previous tag
  std::string from;  // the tag being rolled back
};

struct RollbackOutcome {
  std::string gitops_commit;
  bool no_change = false;
  std::vector<std::pair<std::string, std::string>> restored;  // service, tag
  int64_t incident_id = 0;
};

Result<RollbackOutcome> Rollback(const App& app, GitopsRepo& repo, const RollbackArgs& args);

// The incident report as Markdown, with its timeline from the audit log.
std::string IncidentMarkdown(const Incident& i, const std::vector<AuditEntry>& timeline);

}  // namespace captain
