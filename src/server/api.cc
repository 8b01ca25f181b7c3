#include "server/api.h"

#include <chrono>
#include <cstdlib>

#include "app/ics.h"
#include "app/json_writer.h"
#include "app/oncall.h"
#include "app/op_input.h"
#include "app/participation.h"
#include "notify/slack_signature.h"

namespace captain {

HttpAnswer JsonAnswer(int status, const nlohmann::json& j) {
  return {status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

namespace {

Error Forbidden(const std::string& message) {
  return Error{message, ExitCode::kOther, "", ErrorKind::kDefault};
}

// Query values that are whole numbers are numbers (limit, count, an incident id).
nlohmann::json QueryValue(const std::string& v) {
  if (!v.empty() && v.size() <= 18 && v.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoll(v);
  }
  if (v == "true" || v == "false") return v == "true";
  return v;
}

// The release a request names ("id" on release routes, "release" on the others), or "".
std::string ReleaseOf(const nlohmann::json& fields) {
  std::string release;
  for (const char* key : {"id", "release"}) {
    if (fields.contains(key) && fields[key].is_string()) release = fields[key].get<std::string>();
  }
  return release;
}

}  // namespace

void Readiness::SetGitops(bool ok, const std::string& detail) {
  gitops_ok = ok;
  std::lock_guard<std::mutex> lock(mu);
  gitops_detail = detail;
}

int Api::StatusOf(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kDefault:
      break;
  }
  if (e.code == ExitCode::kUsage) return 400;
  if (e.code == ExitCode::kPolicy) return 422;
  return 500;
}

HttpAnswer Api::ErrorAnswer(int status, const Error& e) {
  auto j = ErrorJson(e);
  if (status == 401) j["code"] = "unauthorized";
  if (status == 403) j["code"] = "forbidden";
  if (status == 404 && e.kind != ErrorKind::kNotFound) j["code"] = "not-found";
  if (status == 405) j["code"] = "method-not-allowed";
  if (status == 413) j["code"] = "too-large";
  return JsonAnswer(status, {{"error", j}});
}

HttpAnswer Api::Handle(const HttpRequest& req, const RouteMatch& m) {
  auto start = std::chrono::steady_clock::now();
  std::string actor;
  HttpAnswer a;
  if (!m.route) {
    a = m.path_known ? ErrorAnswer(405, UsageError(req.method + " is not allowed on " + req.path))
                     : ErrorAnswer(404, UsageError("no route " + req.path));
  } else {
    try {
      a = Dispatch(req, m, actor);
    } catch (const std::exception& e) {
      a = ErrorAnswer(500, OtherError(std::string("unexpected failure: ") + e.what()));
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string label = m.route ? m.route->name : "unmatched";
  metrics_.Request(label, a.status, seconds);
  // Changes are logged; ArgoCD's notifications (thousands a minute in a busy cluster, each
  // kept in the store) only when refused.
  bool quiet_hook = m.route && m.route->kind == RouteKind::kArgoHook && a.status == 202;
  if (m.route && std::string(m.route->method) != "GET" && !quiet_hook) {
    log_.Info("request", {{"method", req.method},
                          {"path", req.path},
                          {"status", a.status},
                          {"ms", static_cast<int64_t>(seconds * 1000)},
                          {"actor", actor}});
  }
  return a;
}

Result<nlohmann::json> Api::Fields(const HttpRequest& req, const RouteMatch& m) {
  nlohmann::json fields = nlohmann::json::object();
  if (req.method == "POST" && !req.body.empty()) {
    nlohmann::json body;
    try {
      body = nlohmann::json::parse(req.body);
    } catch (const nlohmann::json::exception& e) {
      return UsageError(std::string("the request body is not JSON: ") + e.what());
    }
    if (m.route->body_field) {
      fields[m.route->body_field] = std::move(body);
    } else if (!body.is_object()) {
      return UsageError("the request body must be a JSON object");
    } else {
      fields = std::move(body);
    }
  }
  if (req.method == "GET" || req.method == "HEAD") {
    for (const auto& [k, v] : req.query) fields[k] = QueryValue(v);
  }
  for (const auto& [k, v] : m.params) fields[k] = QueryValue(v);
  return fields;
}

Status Api::Authorize(const Caller& caller, const Route& r, const nlohmann::json& fields) {
  if (caller.IsCaptain()) return AuthorizeCaptain(caller, r, fields);
  switch (r.access) {
    case Access::kRead:
      return {};
    case Access::kCaptain:
      return Forbidden("only a captain may " + std::string(r.name));
    case Access::kEvidence:
      if (caller.HasRole("ci")) return {};
      return Forbidden("only CI or a captain may upload evidence");
    case Access::kTeam:
      break;
  }
  auto teams = caller.Teams();
  if (teams.empty()) return Forbidden("only a team or a captain may " + std::string(r.name));
  auto config = pool_.config();
  auto mine = [&](const std::string& team) {
    return std::find(teams.begin(), teams.end(), team) != teams.end();
  };
  auto service_ok = [&](const std::string& service) -> Status {
    std::string team = config->TeamOf(service);
    if (team.empty() || mine(team)) return {};  // unknown: the operation says so (400)
    return Forbidden("service " + service + " belongs to team " + team);
  };
  OpInput in(fields);
  if (fields.contains("late_reason") && !fields["late_reason"].is_null() &&
      fields["late_reason"] != "") {
    return Forbidden("only a captain may accept an answer after the deadline");
  }
  switch (r.scope) {
    case Scope::kTeamField: {
      std::string team = in.Str("team");
      if (!in.ok()) return in.error();
      if (!mine(team)) return Forbidden("you act for team " + teams.front() + ", not team " + team);
      return {};
    }
    case Scope::kServiceField: {
      std::string service = in.Str("service");
      if (!in.ok()) return in.error();
      return service_ok(service);
    }
    case Scope::kServicesField: {
      auto services = in.Strs("services", true);
      if (!in.ok()) return in.error();
      for (const auto& s : services) {
        if (auto st = service_ok(s); !st) return st;
      }
      return {};
    }
    case Scope::kDefect: {
      int64_t id = in.Int("id", true, 0, 1, INT64_MAX);
      if (!in.ok()) return in.error();
      std::string service;
      auto out = pool_.Run(
          [&](const App& app) -> Result<Document> {
            auto s = DefectService(app, id);
            if (!s) return s.error();
            service = *s;
            return Document{};
          },
          /*serialize=*/false);
      if (!out) return out.error();
      return service_ok(service);
    }
    case Scope::kNone:
      break;
  }
  return Forbidden("only a captain may " + std::string(r.name));
}

Status Api::AuthorizeCaptain(const Caller& caller, const Route& r, const nlohmann::json& fields) {
  auto config = pool_.config();
  const OncallRules& oncall = config->oncall;
  if (!oncall.captains_only || std::string(r.method) == "GET") return {};
  if (std::find(oncall.admins.begin(), oncall.admins.end(), caller.name) != oncall.admins.end()) {
    return {};
  }
  // Changes to a release are its own captains'; the rest (evidence, ticks) any captain's.
  std::string release = ReleaseOf(fields);
  std::string path = r.path;
  bool about_release = path.rfind("/api/v1/releases/", 0) == 0 ||
                       path.rfind("/api/v1/requests/", 0) == 0 || path == "/api/v1/scheduled";
  if (release.empty() || !about_release) return {};
  Captains captains;
  auto out = pool_.Run(
      [&](const App& app) -> Result<Document> {
        auto c = CaptainsOfRelease(app, release);
        if (!c) return c.error();
        captains = *c;
        return Document{};
      },
      /*serialize=*/false);
  if (!out) return out.error();
  if (captains.Includes(caller.name)) return {};
  return Forbidden(caller.name + " is not a release captain of " + release + " (" +
                   (captains.primary.empty() ? "none named" : captains.primary) +
                   (captains.secondary.empty() ? "" : ", " + captains.secondary) +
                   "); oncall.captains_only is set");
}

HttpAnswer Api::Dispatch(const HttpRequest& req, const RouteMatch& m, std::string& actor) {
  const Route& r = *m.route;
  switch (r.kind) {
    case RouteKind::kHealth:
      return JsonAnswer(200, {{"status", "ok"}});
    case RouteKind::kReady:
      return Ready();
    case RouteKind::kMetrics:
      return {200, metrics_.Render(), "text/plain; version=0.0.4"};
    case RouteKind::kSlackCommand:
      actor = "slack";
      return SlackCommand(req, actor);
    case RouteKind::kSlackInteraction:
      actor = "slack";
      return SlackInteraction(req, actor);
    case RouteKind::kArgoHook:
      actor = "argocd";
      return ArgoHook(req);
    case RouteKind::kStatic:
      return StaticAsset(m);
    case RouteKind::kMe:
      // No token is nobody, not an error: the page asks for one unless reads are public.
      if (req.authorization.empty()) return Me(std::nullopt, *pool_.config());
      break;
    default:
      break;
  }
  auto config = pool_.config();
  std::optional<Caller> caller;
  if (auto token = BearerToken(req.authorization)) {
    caller = Authenticate(config->server.tokens, *token);
  }
  bool open_read =
      r.access == Access::kRead && std::string(r.method) == "GET" && config->server.public_reads;
  if (!caller && !open_read) {
    return ErrorAnswer(401,
                       OtherError(req.authorization.empty() ? "send Authorization: Bearer <token>"
                                                            : "unknown or malformed token"));
  }
  auto fields = Fields(req, m);
  if (!fields) return ErrorAnswer(400, fields.error());
  if (caller) {
    actor = caller->name;
    if (auto st = Authorize(*caller, r, *fields); !st) {
      int status = st.error().code == ExitCode::kUsage || st.error().kind != ErrorKind::kDefault
                       ? StatusOf(st.error())
                       : 403;
      return ErrorAnswer(status, st.error());
    }
  }
  switch (r.kind) {
    case RouteKind::kMe:
      return Me(caller, *config);
    case RouteKind::kOpenApi:
      return {200, OpenApiDocument(), "application/json"};
    case RouteKind::kIcs:
      return Calendar(*fields);
    case RouteKind::kJobs: {
      auto job = jobs_.Get((*fields)["job"].get<std::string>());
      if (!job) return ErrorAnswer(404, NotFoundError("unknown job"));
      return JsonAnswer(200, *job);
    }
    case RouteKind::kJob:
      return StartJob(r, *fields, actor);
    default:
      return RunOp(r, *fields, actor);
  }
}

HttpAnswer Api::RunOp(const Route& r, const nlohmann::json& fields, const std::string& actor) {
  auto run = [&]() -> HttpAnswer {
    OpRequest req{fields, actor, nullptr};
    auto doc = pool_.Run([&](const App& app) { return r.op(app, req); }, r.serialize);
    if (!doc) return ErrorAnswer(StatusOf(doc.error()), doc.error());
    if (!doc->text.empty()) return {200, doc->text + "\n"};
    return JsonAnswer(200, doc->value);
  };
  if (!r.cached) return run();
  auto version = pool_.Version();
  if (!version) return ErrorAnswer(StatusOf(version.error()), version.error());
  std::string key = std::string(r.name) + "|" + fields.dump() + "|" + version->data;
  HttpAnswer failed;
  auto body = cache_.GetOrCompute(key, version->second, [&]() -> ViewCache::Body {
    HttpAnswer a = run();
    if (a.status != 200) {
      failed = std::move(a);
      return nullptr;
    }
    return std::make_shared<const std::string>(std::move(a.body));
  });
  if (!body) return failed;
  return HttpAnswer{200, "", "application/json", body};
}

HttpAnswer Api::StartJob(const Route& r, const nlohmann::json& fields, const std::string& actor) {
  if (fields.value("dry_run", false) == true) return RunOp(r, fields, actor);
  std::string release = ReleaseOf(fields);
  // Bad input and policy refusals are answered now, not as a failed job.
  if (r.check) {
    OpRequest req{fields, actor, nullptr};
    auto ok = pool_.Run([&](const App& app) { return r.check(app, req); }, false);
    if (!ok) return ErrorAnswer(StatusOf(ok.error()), ok.error());
  }
  const Route* route = &r;
  auto job = jobs_.Start(
      r.name, release,
      [this, route, fields, actor](const Progress& progress) {
        OpRequest req{fields, actor, progress};
        return pool_.Run([&](const App& app) { return route->op(app, req); }, false);
      },
      [this](bool ok) {
        metrics_.DeployStep(ok ? "done" : "failed");
        metrics_.JobsRunning(jobs_.Running());
      });
  if (!job) return ErrorAnswer(StatusOf(job.error()), job.error());
  metrics_.JobsRunning(jobs_.Running());
  log_.Info("job started",
            {{"job", *job}, {"kind", r.name}, {"release", release}, {"actor", actor}});
  return JsonAnswer(202, {{"job", *job}, {"href", "/api/v1/jobs/" + *job}});
}

HttpAnswer Api::Ready() {
  nlohmann::json checks = nlohmann::json::object();
  bool ok = true;
  if (auto st = pool_.Ping(); !st) {
    checks["database"] = st.error().Text();
    ok = false;
  } else {
    checks["database"] = "ok";
  }
  checks["config"] = pool_.config() ? "ok" : "missing";
  {
    std::lock_guard<std::mutex> lock(ready_.mu);
    checks["gitops"] = ready_.gitops_ok ? "ok" : ready_.gitops_detail;
  }
  ok = ok && ready_.gitops_ok;
  return JsonAnswer(ok ? 200 : 503, {{"ready", ok}, {"checks", checks}});
}

HttpAnswer Api::ArgoHook(const HttpRequest& req) {
  auto config = pool_.config();
  const char* secret = std::getenv(config->argocd.webhook_secret_env.c_str());
  if (!secret || !*secret) {
    return ErrorAnswer(
        503, OtherError("no ArgoCD webhook secret: set $" + config->argocd.webhook_secret_env));
  }
  auto token = BearerToken(req.authorization);
  if (!token || !SameSecret(*token, secret)) {
    return ErrorAnswer(401, OtherError("send Authorization: Bearer <the ArgoCD webhook secret>"));
  }
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  auto n = ParseArgoNotification(body);
  if (!n) return ErrorAnswer(400, n.error());
  if (!hooks_) return ErrorAnswer(503, OtherError("the ArgoCD journal is not open"));
  auto seq = hooks_->Submit(*n);
  if (!seq) return ErrorAnswer(StatusOf(seq.error()), seq.error());
  auto app = config->argocd_apps.find(n->app);
  bool known = app != config->argocd_apps.end();
  JsonWriter w;
  w.BeginObject();
  w.Key("accepted").Int(*seq);
  w.Key("service").StringOrNull(known ? app->second.first : "");
  w.Key("env").StringOrNull(known ? app->second.second : "");
  w.EndObject();
  return {202, w.str() + "\n"};
}

HttpAnswer Api::Calendar(const nlohmann::json& fields) {
  OpInput in(fields);
  auto from = in.Day("from");
  int count = static_cast<int>(in.Int("count", false, 26, 1, 520));
  if (!in.ok()) return ErrorAnswer(400, in.error());
  auto config = pool_.config();
  Instant now = pool_.clock().Now();
  Date start = from ? *from : LocalDate(config->calendar.tz, now);
  auto trains = TrainsFrom(config->calendar, start, count);
  return {200, RenderIcs(trains, config->timezone, now), "text/calendar; charset=utf-8"};
}

}  // namespace captain
