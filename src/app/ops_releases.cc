// Operations on releases and their views.
#include "app/audit.h"
#include "app/notes_draft.h"
#include "app/op_input.h"
#include "app/ops.h"
#include "app/release_view.h"
#include "app/releases.h"
#include "app/schedule_view.h"
#include "app/tick.h"

namespace captain {

namespace {

Document Json(nlohmann::json j) { return Document{std::move(j), ""}; }
Document Text(std::string t) { return Document{nullptr, std::move(t)}; }

Status CheckFilter(const Config& c, const ViewFilter& f) {
  if (!f.team.empty()) {
    if (auto t = CheckTeam(c, f.team); !t) return t.error();
  }
  if (!f.env.empty()) return CheckEnvironment(c, f.env);
  return {};
}

}  // namespace

Result<Document> OpReleaseList(const App& app, const OpRequest&) {
  auto list = ListReleases(app);
  if (!list) return list.error();
  nlohmann::json j = nlohmann::json::array();
  for (const auto& r : *list) j.push_back(ReleaseJson(r));
  return Json({{"releases", j}});
}

Result<Document> OpReleaseShow(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id");
  ViewFilter f{in.Str("team", false), in.Str("env", false)};
  if (!in.ok()) return in.error();
  if (auto st = CheckFilter(app.config, f); !st) return st.error();
  auto v = ShowRelease(app, id);
  if (!v) return v.error();
  return Text(ReleaseViewJson(app.config, *v, app.Now(), f));
}

Result<Document> OpReleaseOpen(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  auto day = in.Day("release_day");
  if (!in.ok()) return in.error();
  auto r = OpenRelease(app, day, req.actor);
  if (!r) return r.error();
  return Json(ReleaseJson(*r));
}

Result<Document> OpReleaseUpdate(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id"), service = in.Str("service", false), commit = in.Str("commit");
  if (!in.ok()) return in.error();
  if (auto st = UpdateCandidate(app, id, service, commit, req.actor); !st) return st.error();
  return Json({{"release", id}, {"service", service}, {"commit", commit}});
}

Result<Document> OpReleaseNote(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id"), category = in.Str("category"), text = in.Str("text", false);
  if (!in.ok()) return in.error();
  if (auto st = AddReleaseNote(app, id, category, text, req.actor); !st) return st.error();
  return Json({{"release", id}, {"category", category}, {"text", text}});
}

Result<Document> OpReleaseDraftNotes(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id"), from = in.Str("from", false);
  bool save = in.Bool("save");
  if (!in.ok()) return in.error();
  auto d = DraftReleaseNotes(app, id, from, save, req.actor);
  if (!d) return d.error();
  return Json({{"release", id},
               {"from", d->from},
               {"to", d->to},
               {"commits", d->commits},
               {"notes", d->notes},
               {"saved", save}});
}

Result<Document> OpReleaseCancel(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id"), service = in.Str("service", false), reason = in.Str("reason");
  if (!in.ok()) return in.error();
  if (auto st = CancelRelease(app, id, service, reason, req.actor); !st) return st.error();
  if (!service.empty()) return Json({{"release", id}, {"service", service}, {"cancelled", true}});
  return Json({{"release", id}, {"state", "cancelled"}});
}

Result<Document> OpReleaseSignOff(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id");
  if (!in.ok()) return in.error();
  if (auto st = SignOffRelease(app, id, req.actor); !st) return st.error();
  return Json({{"release", id}, {"state", "signed-off"}});
}

Result<Document> OpPlan(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string id = in.Str("id"), tier = in.Str("tier");
  ViewFilter f{in.Str("team", false), ""};
  if (!in.ok()) return in.error();
  if (auto st = CheckFilter(app.config, f); !st) return st.error();
  auto p = PlanRelease(app, id, tier);
  if (!p) return p.error();
  return Text(PlanJson(*p, f));
}

Result<Document> OpTick(const App& app, const OpRequest&) {
  auto done = Tick(app);
  if (!done) return done.error();
  return Json({{"now", FormatUtc(app.Now())}, {"done", *done}});
}

Result<Document> OpSignatures(const App& app, const OpRequest&) {
  auto ages = Signatures(app);
  if (!ages) return ages.error();
  return Text(SignaturesJson(*ages));
}

Result<Document> OpAudit(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  AuditQuery q;
  q.release_id = in.Str("release", false);
  q.actor = in.Str("actor", false);
  q.action = in.Str("action", false);
  q.limit = in.Int("limit", false, 0, 0, INT64_MAX);
  q.since = in.Time("since");
  if (!in.ok()) return in.error();
  nlohmann::json entries = nlohmann::json::array();
  Status st = StreamAudit(app, q, [&](const AuditEntry& e) -> Status {
    entries.push_back(AuditJson(e));
    return {};
  });
  if (!st) return st.error();
  return Json({{"entries", std::move(entries)}});
}

Result<Document> OpSchedule(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  auto from = in.Day("from");
  int count = static_cast<int>(in.Int("count", false, 4, 1, 520));
  if (!in.ok()) return in.error();
  Date start = from ? *from : LocalDate(app.config.calendar.tz, app.Now());
  return Json(ScheduleJson(TrainsFrom(app.config.calendar, start, count), app.config.timezone));
}

}  // namespace captain
