// Operations on the GitOps repository: deploy, rollback, drift, incidents, recovery.
#include "app/ops.h"

#include "app/deploy.h"
#include "app/drift.h"
#include "app/locked_repo.h"
#include "app/op_input.h"
#include "app/rollback.h"
#include "gitops/configured_repo.h"
#include "gitops/remote_head.h"

namespace captain {
namespace {

Document Json(nlohmann::json j) { return Document{std::move(j), ""}; }

// A failure to reach or read the GitOps repository is the remote's, not captain's: the daemon
// answers 503.
Error Upstream(Error e) {
  if (e.code == ExitCode::kOther && e.kind == ErrorKind::kDefault) e.kind = ErrorKind::kUnavailable;
  return e;
}

nlohmann::json CommitJson(const std::string& commit) {
  return commit.empty() ? nlohmann::json() : nlohmann::json(commit);
}

nlohmann::json EnvJson(const EnvDeploy& e, bool dry_run) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : e.changes) {
    changes.push_back({{"service", c.service},
                       {"file", c.file},
                       {"key", c.key},
                       {"old_tag", c.old_tag},
                       {"new_tag", c.new_tag},
                       {"changed", c.old_tag != c.new_tag}});
  }
  nlohmann::json j = {{"env", e.env},
                      {"commit", CommitJson(e.gitops_commit)},
                      {"no_change", e.no_change},
                      {"services", changes}};
  if (dry_run) {
    j["diff"] = e.diff;
  } else {
    j["attempts"] = e.attempts;
  }
  return j;
}

nlohmann::json IncidentJson(const Incident& i) {
  return {{"id", i.id},
          {"release", i.release_id},
          {"env", i.env},
          {"title", i.title},
          {"reported_by_team", i.reported_by_team},
          {"description", i.description},
          {"replication", i.replication},
          {"non_functional", i.non_functional},
          {"blocker", i.blocker},
          {"root_cause", i.root_cause},
          {"services", i.services},
          {"gitops_commit", i.gitops_commit},
          {"opened_by", i.opened_by},
          {"opened_at", FormatUtc(i.opened_at)}};
}

}  // namespace

namespace {

Result<DeployArgs> DeployArgsOf(const OpRequest& req) {
  OpInput in(req.body);
  DeployArgs a;
  a.release_id = in.Str("id");
  a.step = in.Str("tier");
  a.env = in.Str("env", false);
  a.dry_run = in.Bool("dry_run");
  a.by = req.actor;
  if (!in.ok()) return in.error();
  return a;
}

Result<RollbackArgs> RollbackArgsOf(const OpRequest& req) {
  OpInput in(req.body);
  RollbackArgs a;
  a.release_id = in.Str("release");
  a.env = in.Str("env");
  a.services = in.Strs("services");
  a.reason = in.Str("reason");
  a.title = in.Str("title", false);
  a.team = in.Str("team", false);
  a.replication = in.Str("replication", false);
  a.non_functional = in.Bool("non_functional");
  a.blocker = in.Bool("blocker");
  if (std::string rc = in.Str("root_cause", false); !rc.empty()) a.root_cause = rc;
  a.dry_run = in.Bool("dry_run");
  a.by = req.actor;
  if (!in.ok()) return in.error();
  return a;
}

}  // namespace

Result<Document> OpDeployCheck(const App& app, const OpRequest& req) {
  auto a = DeployArgsOf(req);
  if (!a) return a.error();
  if (auto st = CheckDeploy(app, *a); !st) return st.error();
  return Document{};
}

Result<Document> OpDeploy(const App& app, const OpRequest& req) {
  auto a = DeployArgsOf(req);
  if (!a) return a.error();
  if (req.progress) {
    a->on_env = [&](const std::string& env, const char* phase) {
      req.progress(env + ": " + phase);
    };
  }
  auto repo = OpenLockedRepo(app);
  if (!repo) return repo.error();
  auto outcome = Deploy(app, **repo, *a);
  if (!outcome) return outcome.error();
  nlohmann::json envs = nlohmann::json::array();
  for (const auto& e : outcome->envs) envs.push_back(EnvJson(e, a->dry_run));
  return Json({{"release", a->release_id},
               {"tier", a->step},
               {"dry_run", a->dry_run},
               {"recovered", outcome->recovered},
               {"environments", envs}});
}

Result<Document> OpRollbackCheck(const App& app, const OpRequest& req) {
  auto a = RollbackArgsOf(req);
  if (!a) return a.error();
  if (auto st = CheckRollback(app, *a); !st) return st.error();
  return Document{};
}

Result<Document> OpRollback(const App& app, const OpRequest& req) {
  auto a = RollbackArgsOf(req);
  if (!a) return a.error();
  auto repo = OpenLockedRepo(app);
  if (!repo) return repo.error();
  if (req.progress) req.progress(a->env + ": start");
  auto out = Rollback(app, **repo, *a);
  if (!out) return out.error();
  if (req.progress) req.progress(a->env + ": done");
  nlohmann::json restored = nlohmann::json::object();
  for (const auto& [s, t] : out->restored) restored[s] = t;
  return Json({{"release", a->release_id},
               {"recovered", out->recovered},
               {"env", a->env},
               {"commit", CommitJson(out->gitops_commit)},
               {"no_change", out->no_change},
               {"restored", restored},
               {"incident", out->incident_id},
               {"dry_run", out->dry_run}});
}

Result<Document> OpDrift(const App& app, const OpRequest&) {
  auto repo = OpenConfiguredRepo(app.config);
  if (!repo) return Upstream(repo.error());
  auto report = CheckDrift(app, **repo);
  if (!report) return Upstream(report.error());
  nlohmann::json rows = nlohmann::json::array(), channels = nlohmann::json::array();
  for (const auto& r : report->rows) {
    rows.push_back({{"service", r.service},
                    {"env", r.env},
                    {"repo_tag", r.repo_tag},
                    {"recorded_tag", r.recorded_tag},
                    {"status", DriftStatusName(r.status)},
                    {"never_in_lower", r.never_in_lower},
                    {"detail", r.detail}});
  }
  for (const auto& c : report->channels) {
    channels.push_back({{"service", c.service},
                        {"env", c.env},
                        {"field", c.field},
                        {"found", c.found},
                        {"expected", c.expected}});
  }
  return Json({{"clean", report->clean()}, {"tags", rows}, {"channels", channels}});
}

Result<Document> OpIncidentList(const App& app, const OpRequest&) {
  auto list = app.store.ListIncidents();
  if (!list) return list.error();
  nlohmann::json j = nlohmann::json::array();
  for (const auto& i : *list) j.push_back(IncidentJson(i));
  return Json({{"incidents", j}});
}

Result<Document> OpIncidentShow(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  int64_t id = in.Int("id", true, 0, 1, INT64_MAX);
  std::string format = in.Str("format", false);
  if (!in.ok()) return in.error();
  if (!format.empty() && format != "json" && format != "markdown") {
    return FieldError("format", "expected json or markdown");
  }
  auto list = app.store.ListIncidents();
  if (!list) return list.error();
  for (const auto& i : *list) {
    if (i.id != id) continue;
    auto timeline = app.store.ListAudit(i.release_id);
    if (!timeline) return timeline.error();
    auto j = IncidentJson(i);
    j["timeline"] = nlohmann::json::array();
    for (const auto& e : *timeline) {
      j["timeline"].push_back({{"at", FormatUtc(e.at)},
                               {"actor", e.actor},
                               {"action", e.action},
                               {"subject", e.subject}});
    }
    j["markdown"] = IncidentMarkdown(i, *timeline);
    return Json(std::move(j));
  }
  return NotFoundError("unknown incident #" + std::to_string(id));
}

Result<Document> OpCheckGitops(const App& app, const OpRequest&) {
  if (app.config.gitops.repo.empty()) return Json({{"reachable", true}, {"head", nullptr}});
  auto head =
      RemoteBranchHead(app.config.ResolvePath(app.config.gitops.repo), app.config.gitops.branch);
  if (!head) return Json({{"reachable", false}, {"error", head.error().Text()}});
  return Json({{"reachable", true}, {"head", *head}});
}

Result<Document> OpRecover(const App& app, const OpRequest&) {
  auto repo = OpenLockedRepo(app);
  if (!repo) return Upstream(repo.error());
  auto lines = RecoverDeploys(app, **repo);
  if (!lines) return Upstream(lines.error());
  return Json({{"recovered", *lines}});
}

}  // namespace captain
