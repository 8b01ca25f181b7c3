#include "server/routes.h"

namespace captain {

const std::vector<Route>& Routes() {
  using A = Access;
  using S = Scope;
  using K = RouteKind;
  // Views that are read often and cost a plan per step: answers kept while nothing changes.
  auto view = [](Route r) {
    r.cached = true;
    return r;
  };
  static const std::vector<Route> kRoutes = {
      {"GET", "/", "dashboard", K::kStatic},
      {"GET", "/static/{file}", "dashboard.static", K::kStatic},
      {"GET", "/api/v1/me", "me", K::kMe},
      {"GET", "/healthz", "healthz", K::kHealth},
      {"GET", "/readyz", "readyz", K::kReady},
      {"GET", "/metrics", "metrics", K::kMetrics},
      {"POST", "/slack/commands", "slack.command", K::kSlackCommand},
      {"POST", "/slack/interactions", "slack.interaction", K::kSlackInteraction},
      {"POST", "/hooks/argocd", "argocd.hook", K::kArgoHook},
      {"GET", "/api/v1/argocd/apps", "argocd.apps", K::kOp, OpArgoApps},
      {"GET", "/api/v1/openapi.json", "openapi", K::kOpenApi},
      {"GET", "/api/v1/calendar.ics", "calendar", K::kIcs},
      {"GET", "/api/v1/schedule", "schedule", K::kOp, OpSchedule},
      view({"GET", "/api/v1/releases", "releases.list", K::kOp, OpReleaseList}),
      {"POST", "/api/v1/releases", "releases.open", K::kOp, OpReleaseOpen, A::kCaptain, S::kNone,
       true},
      view({"GET", "/api/v1/releases/{id}", "releases.show", K::kOp, OpReleaseShow}),
      {"POST", "/api/v1/releases/{id}/candidate", "releases.update", K::kOp, OpReleaseUpdate,
       A::kCaptain, S::kNone, true},
      {"POST", "/api/v1/releases/{id}/notes", "releases.note", K::kOp, OpReleaseNote, A::kCaptain,
       S::kNone, true},
      {"POST", "/api/v1/releases/{id}/draft-notes", "releases.draft_notes", K::kOp,
       OpReleaseDraftNotes, A::kCaptain, S::kNone, true},
      {"POST", "/api/v1/releases/{id}/cancel", "releases.cancel", K::kOp, OpReleaseCancel,
       A::kCaptain, S::kNone, true},
      {"POST", "/api/v1/releases/{id}/signoff", "releases.signoff", K::kOp, OpReleaseSignOff,
       A::kCaptain, S::kNone, true},
      view({"GET", "/api/v1/releases/{id}/plan", "plan", K::kOp, OpPlan}),
      {"POST", "/api/v1/releases/{release}/opt", "opt", K::kOp, OpOpt, A::kTeam, S::kTeamField,
       true},
      {"POST", "/api/v1/releases/{release}/overrides", "override", K::kOp, OpOverride, A::kCaptain,
       S::kNone, true},
      {"POST", "/api/v1/releases/{release}/signoffs", "signoff", K::kOp, OpSignOff, A::kTeam,
       S::kTeamField, true},
      {"POST", "/api/v1/releases/{release}/defects", "defects.open", K::kOp, OpDefectOpen, A::kTeam,
       S::kServiceField, true},
      {"POST", "/api/v1/defects/{id}/resolve", "defects.resolve", K::kOp, OpDefectResolve, A::kTeam,
       S::kDefect, true},
      {"POST", "/api/v1/releases/{release}/health", "health", K::kOp, OpHealth, A::kTeam,
       S::kServiceField, true},
      {"POST", "/api/v1/releases/{id}/deploy", "deploy", K::kJob, OpDeploy, A::kCaptain, S::kNone,
       false, nullptr, OpDeployCheck},
      {"POST", "/api/v1/releases/{release}/rollback", "rollback", K::kJob, OpRollback, A::kCaptain,
       S::kNone, false, nullptr, OpRollbackCheck},
      {"GET", "/api/v1/jobs/{job}", "jobs.show", K::kJobs},
      {"GET", "/api/v1/oncall", "oncall", K::kOp, OpOncall},
      {"POST", "/api/v1/oncall/swaps", "oncall.swap", K::kOp, OpOncallSwap, A::kCaptain, S::kNone,
       true},
      {"GET", "/api/v1/notify/messages", "notify.list", K::kOp, OpNotifyList},
      {"POST", "/api/v1/notify/messages/{id}/retry", "notify.retry", K::kOp, OpNotifyRetry,
       A::kCaptain, S::kNone, true},
      {"GET", "/api/v1/scheduled", "scheduled.list", K::kOp, OpScheduledList},
      {"POST", "/api/v1/scheduled", "scheduled.create", K::kOp, OpScheduleDeploy, A::kCaptain,
       S::kNone, true},
      {"POST", "/api/v1/scheduled/{id}/cancel", "scheduled.cancel", K::kOp, OpScheduledCancel,
       A::kCaptain, S::kNone, true},
      {"POST", "/api/v1/evidence/reports", "evidence.import", K::kOp, OpEvidenceImport,
       A::kEvidence, S::kNone, true, "report"},
      {"POST", "/api/v1/evidence/develop", "evidence.develop", K::kOp, OpEvidenceDevelop,
       A::kEvidence, S::kNone, true},
      {"POST", "/api/v1/requests", "requests.file", K::kOp, OpRequestFile, A::kTeam,
       S::kServicesField, true},
      {"POST", "/api/v1/requests/{id}/approve", "requests.approve", K::kOp, OpRequestApprove,
       A::kCaptain, S::kNone, true},
      {"GET", "/api/v1/incidents", "incidents.list", K::kOp, OpIncidentList},
      {"GET", "/api/v1/incidents/{id}", "incidents.show", K::kOp, OpIncidentShow},
      {"GET", "/api/v1/drift", "drift", K::kOp, OpDrift},
      view({"GET", "/api/v1/signatures", "signatures", K::kOp, OpSignatures}),
      {"GET", "/api/v1/audit", "audit", K::kOp, OpAudit},
      {"POST", "/api/v1/tick", "tick", K::kOp, OpTick, A::kCaptain, S::kNone, true},
  };
  return kRoutes;
}

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool Match(const std::string& pattern, const std::vector<std::string>& parts,
           std::map<std::string, std::string>& params) {
  auto want = Split(pattern);
  if (want.size() != parts.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    const auto& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (parts[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = parts[i];
    } else if (w != parts[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

RouteMatch MatchRoute(const std::string& method, const std::string& path) {
  RouteMatch m;
  if (path.empty() || path[0] != '/') return m;
  auto parts = Split(path);
  for (const auto& r : Routes()) {
    std::map<std::string, std::string> params;
    if (!Match(r.path, parts, params)) continue;
    if (method == r.method || (method == "HEAD" && std::string(r.method) == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.path_known = true;
  }
  return m;
}

bool AnswersAtOnce(const Route& r) {
  switch (r.kind) {
    case RouteKind::kHealth:
    case RouteKind::kStatic:
    case RouteKind::kOpenApi:
    case RouteKind::kArgoHook:
      return true;
    default:
      return false;
  }
}

}  // namespace captain
