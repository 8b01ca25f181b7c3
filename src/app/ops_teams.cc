// Operations teams and CI perform: opt in/out, overrides, sign-offs, defects, health,
// evidence and requests.
#include "app/evidence.h"
#include "app/op_input.h"
#include "app/ops.h"
#include "app/participation.h"
#include "app/requests.h"
#include "gitops/remote_head.h"

namespace captain {
namespace {

Document Json(nlohmann::json j) { return Document{std::move(j), ""}; }

}  // namespace

Result<Document> OpOpt(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  OptRequest o;
  o.release_id = in.Str("release");
  o.team = in.Str("team");
  o.services = in.Strs("services");
  std::string answer = in.Str("answer");
  o.late_reason = in.Str("late_reason", false);
  o.by = req.actor;
  if (!in.ok()) return in.error();
  if (answer != "in" && answer != "out") return FieldError("answer", "expected 'in' or 'out'");
  o.answer = answer == "in" ? OptAnswer::kIn : OptAnswer::kOut;
  if (auto st = RecordOpt(app, o); !st) return st.error();
  return Json(
      {{"release", o.release_id}, {"team", o.team}, {"services", o.services}, {"answer", answer}});
}

Result<Document> OpOverride(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release"), service = in.Str("service"), reason = in.Str("reason");
  bool cutoff = in.Bool("cutoff");
  if (!in.ok()) return in.error();
  auto st = cutoff ? OverrideCutoff(app, release, service, reason, req.actor)
                   : OverrideGate(app, release, service, reason, req.actor);
  if (!st) return st.error();
  return Json({{"release", release},
               {"service", service},
               {"kind", cutoff ? kOverrideCutoff : kOverrideGate},
               {"reason", reason}});
}

Result<Document> OpSignOff(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release"), team = in.Str("team"), env = in.Str("env");
  if (!in.ok()) return in.error();
  if (auto st = RecordSignOff(app, release, team, env, req.actor); !st) return st.error();
  return Json({{"release", release}, {"team", team}, {"env", env}});
}

Result<Document> OpDefectOpen(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release"), service = in.Str("service"), title = in.Str("title");
  if (!in.ok()) return in.error();
  auto id = OpenDefect(app, release, service, title, req.actor);
  if (!id) return id.error();
  return Json({{"id", *id}, {"release", release}, {"service", service}, {"open", true}});
}

Result<Document> OpDefectResolve(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  int64_t id = in.Int("id", true, 0, 1, INT64_MAX);
  if (!in.ok()) return in.error();
  if (auto st = ResolveDefect(app, id, req.actor); !st) return st.error();
  return Json({{"id", id}, {"open", false}});
}

Result<Document> OpHealth(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release"), env = in.Str("env"), service = in.Str("service");
  if (!req.body.is_object() || !req.body.contains("healthy")) {
    return FieldError("healthy", "is required (true or false)");
  }
  bool healthy = in.Bool("healthy");
  if (!in.ok()) return in.error();
  if (auto st = RecordHealth(app, release, env, service, healthy, req.actor); !st) {
    return st.error();
  }
  return Json({{"release", release}, {"env", env}, {"service", service}, {"healthy", healthy}});
}

Result<Document> OpEvidenceImport(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string name = in.Str("name", false);
  if (!in.ok()) return in.error();
  const auto& body = req.body;
  auto it = body.find("report");
  if (it == body.end() || !(it->is_string() || it->is_object())) {
    return FieldError("report", "expected the SecRel run report (a JSON object)");
  }
  std::string text = it->is_string()
                         ? it->get<std::string>()
                         : it->dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  if (text.size() > kMaxReportBytes) return FieldError("report", "the report is too large");
  auto out = ImportRunReport(app, text, name.empty() ? "report" : name, req.actor);
  if (!out) return out.error();
  return Json({{"run_id", out->run_id},
               {"commit", out->commit},
               {"images", out->images},
               {"already_imported", out->already_imported},
               {"warnings", out->warnings}});
}

Result<Document> OpEvidenceDevelop(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string commit = in.Str("commit", false), repo = in.Str("repo", false),
              branch = in.Str("branch", false);
  if (!in.ok()) return in.error();
  if (commit.empty() == repo.empty()) {
    return FieldError("commit", "give either the commit or the repository to read it from");
  }
  if (!repo.empty()) {
    auto head = RemoteBranchHead(repo, branch.empty() ? app.config.source_repo.branch : branch);
    if (!head) return head.error();
    commit = *head;
  }
  if (auto st = RecordDevelopHead(app, commit, req.actor); !st) return st.error();
  return Json({{"commit", commit}});
}

Result<Document> OpRequestFile(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  RequestArgs a;
  std::string kind = in.Str("kind");
  a.commit = in.Str("commit");
  a.changelog = in.Str("changelog", false);
  a.services = in.Strs("services", true);
  a.at = in.Time("at");
  a.by = req.actor;
  if (!in.ok()) return in.error();
  if (kind != "adhoc" && kind != "emergency") {
    return FieldError("kind", "expected 'adhoc' or 'emergency'");
  }
  a.kind = kind == "adhoc" ? ReleaseKind::kAdhoc : ReleaseKind::kEmergency;
  auto r = CreateRequest(app, a);
  if (!r) return r.error();
  return Json(ReleaseJson(*r));
}

Result<Document> OpRequestApprove(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id");
  auto at = in.Time("at");
  if (!in.ok()) return in.error();
  if (auto st = ApproveRequest(app, id, at, req.actor); !st) return st.error();
  return Json({{"release", id}, {"approved", true}});
}

}  // namespace captain
