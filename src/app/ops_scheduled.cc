// Operations on scheduled deploy steps.
#include "app/locked_repo.h"
#include "app/op_input.h"
#include "app/ops.h"
#include "app/scheduled.h"
#include "gitops/configured_repo.h"

namespace captain {

Result<Document> OpScheduleDeploy(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  DeployArgs a;
  a.release_id = in.Str("id");
  a.step = in.Str("tier");
  a.env = in.Str("env", false);
  a.by = req.actor;
  auto at = in.Time("at");
  if (!in.ok()) return in.error();
  if (!at) return FieldError("at", "is required (when to deploy)");
  auto s = ScheduleDeploy(app, a, *at);
  if (!s) return s.error();
  return Document{ScheduledJson(*s), ""};
}

Result<Document> OpScheduledList(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  bool all = in.Bool("all");
  if (!in.ok()) return in.error();
  auto list = app.store.ListScheduled(/*pending_only=*/!all);
  if (!list) return list.error();
  nlohmann::json j = nlohmann::json::array();
  for (const auto& s : *list) j.push_back(ScheduledJson(s));
  return Document{{{"scheduled", j}}, ""};
}

Result<Document> OpScheduledCancel(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  int64_t id = in.Int("id", true, 0, 1, INT64_MAX);
  if (!in.ok()) return in.error();
  if (auto st = CancelScheduled(app, id, req.actor); !st) return st.error();
  return Document{{{"id", id}, {"state", "cancelled"}}, ""};
}

Result<Document> OpRunScheduled(const App& app, const OpRequest&) {
  auto pending = app.store.ListScheduled(/*pending_only=*/true);
  if (!pending) return pending.error();
  if (pending->empty() || pending->front().at > app.Now()) {
    return Document{{{"ran", nlohmann::json::array()}}, ""};
  }
  auto repo = OpenLockedRepo(app);
  if (!repo) return repo.error();
  auto lines = RunDueScheduled(app, **repo);
  if (!lines) return lines.error();
  return Document{{{"ran", *lines}}, ""};
}

}  // namespace captain
