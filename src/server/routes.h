// The daemon's routes: each maps an HTTP method and path to an operation of src/app, with
// the access it needs. The OpenAPI document lists exactly these (a test checks).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/ops.h"
#include "server/auth.h"

namespace captain {

// Which services a team-scoped request touches.
enum class Scope { kNone, kTeamField, kServiceField, kServicesField, kDefect };

enum class RouteKind {
  kOp,                // runs `op` and answers its document
  kJob,               // runs `op` as a job: 202 with the job id (a dry run answers at once)
  kJobs,              // GET a job's progress
  kIcs,               // the calendar feed
  kOpenApi,           // the OpenAPI document
  kHealth,            // /healthz
  kReady,             // /readyz
  kMetrics,           // /metrics
  kSlackCommand,      // POST /slack/commands: signed by Slack, no bearer token
  kSlackInteraction,  // POST /slack/interactions: the same
  kArgoHook,          // POST /hooks/argocd: the ArgoCD webhook secret as bearer token
  kStatic,            // the dashboard's files: public (the page asks for a token itself)
  kMe,                // who the token is: name, roles, teams (the dashboard's buttons)
};

struct Route {
  const char* method;
  const char* path;  // "/api/v1/releases/{id}"
  const char* name;  // operation id (OpenAPI) and metrics label
  RouteKind kind;
  OpFn op = nullptr;
  Access access = Access::kRead;
  Scope scope = Scope::kNone;
  bool serialize = false;            // a read-then-write use case: one at a time
  const char* body_field = nullptr;  // the whole body is this field (a SecRel report)
  OpFn check = nullptr;              // kJob: answered before the job starts
  bool cached = false;               // a view: its answer is kept while nothing changes
};

const std::vector<Route>& Routes();

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;  // {id} and friends
  bool path_known = false;                    // the path exists with another method
};
RouteMatch MatchRoute(const std::string& method, const std::string& path);

// Whether the route is answered on the socket's own thread: it never waits on the store or on
// another host (health, the dashboard's files, the OpenAPI document, ArgoCD's notifications,
// which are only journaled). The others run on the worker pool.
bool AnswersAtOnce(const Route& r);

}  // namespace captain
