// The daemon's request handling, apart from the socket: authenticate, authorize, read the
// body, run the route's operation (or start its job), answer JSON.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/app_pool.h"
#include "server/hook_journal.h"
#include "server/jobs.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/routes.h"
#include "server/slack_groups.h"
#include "server/view_cache.h"

namespace captain {

struct HttpRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::string authorization;    // the Authorization header
  std::string slack_timestamp;  // X-Slack-Request-Timestamp
  std::string slack_signature;  // X-Slack-Signature
  std::string if_none_match;    // If-None-Match (a GET's ETag from before)
  std::string body;
};

struct HttpAnswer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::shared_ptr<const std::string> shared;  // set: the body, shared with the view cache
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type
};

// `j` as the answer's body.
HttpAnswer JsonAnswer(int status, const nlohmann::json& j);

// What /readyz reports beyond the database.
struct Readiness {
  std::atomic<bool> gitops_ok{true};
  std::mutex mu;
  std::string gitops_detail;  // guarded by mu
  void SetGitops(bool ok, const std::string& detail);
};

class Api {
 public:
  Api(AppPool& pool, Jobs& jobs, Metrics& metrics, Log& log, Readiness& ready)
      : pool_(pool), jobs_(jobs), metrics_(metrics), log_(log), ready_(ready) {}

  // Where POST /hooks/argocd keeps notifications (none: 503).
  void SetHookJournal(HookJournal* journal) { hooks_ = journal; }

  // Answers `req`, its route already matched (MatchRoute(req.method, req.path)).
  HttpAnswer Handle(const HttpRequest& req, const RouteMatch& m);
  // The HTTP status of an error.
  static int StatusOf(const Error& e);
  static HttpAnswer ErrorAnswer(int status, const Error& e);

 private:
  HttpAnswer Dispatch(const HttpRequest& req, const RouteMatch& m, std::string& actor);
  // Builds the operation's fields from the body, the path and (GET) the query.
  Result<nlohmann::json> Fields(const HttpRequest& req, const RouteMatch& m);
  // 403 unless `caller` may make this request.
  Status Authorize(const Caller& caller, const Route& r, const nlohmann::json& fields);
  // With oncall.captains_only: a captain changes only the releases it is a captain of
  // (admins every one).
  Status AuthorizeCaptain(const Caller& caller, const Route& r, const nlohmann::json& fields);
  HttpAnswer RunOp(const Route& r, const nlohmann::json& fields, const std::string& actor);
  HttpAnswer StartJob(const Route& r, const nlohmann::json& fields, const std::string& actor);
  HttpAnswer Ready();
  HttpAnswer Calendar(const nlohmann::json& fields);
  // Slack's calls (api_slack.cc), verified with the signing secret: the /captain slash
  // command, answered ephemerally, and the buttons of captain's messages, answered with an
  // ephemeral message through the outbox. `actor` is set to the Slack user's.
  HttpAnswer SlackCommand(const HttpRequest& req, std::string& actor);
  HttpAnswer SlackInteraction(const HttpRequest& req, std::string& actor);
  // POST /hooks/argocd: a notification of the shipped template, authenticated with the
  // webhook secret, journaled before the answer and applied to the store just after.
  HttpAnswer ArgoHook(const HttpRequest& req);
  // The dashboard (api_web.cc).
  HttpAnswer StaticAsset(const RouteMatch& m);
  HttpAnswer Me(const std::optional<Caller>& caller, const Config& config);
  // 401's error unless the request carries a valid signature.
  Status VerifySlack(const HttpRequest& req);
  // Runs route `route` for a Slack user, authorized with the user's roles: what to tell them.
  std::string RunForSlack(const std::string& user_id, const std::string& user_name,
                          const std::string& route, nlohmann::json fields, std::string& actor);

  AppPool& pool_;
  Jobs& jobs_;
  Metrics& metrics_;
  Log& log_;
  Readiness& ready_;
  ViewCache cache_;
  SlackGroups slack_groups_;
  HookJournal* hooks_ = nullptr;
};

// The OpenAPI 3.1 document (docs/openapi.json, built in).
const std::string& OpenApiDocument();

}  // namespace captain
