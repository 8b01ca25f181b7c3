// What ArgoCD last said of each application, and the deploy steps watched.
#include "app/argocd.h"
#include "app/op_input.h"
#include "app/ops.h"

namespace captain {
namespace {

Document Json(nlohmann::json v) { return Document{std::move(v), ""}; }

}  // namespace

Result<Document> OpArgoApps(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release", false);
  if (!in.ok()) return in.error();
  auto count = app.store.CountArgoEvents();
  if (!count) return count.error();
  auto latest = app.store.LatestArgoEvents();
  if (!latest) return latest.error();
  nlohmann::json apps = nlohmann::json::array();
  for (const auto& e : *latest) {
    apps.push_back({{"app", e.app},
                    {"service", e.service},
                    {"env", e.env},
                    {"event", e.event},
                    {"sync", e.sync},
                    {"health", e.health},
                    {"revision", e.revision},
                    {"message", e.message},
                    {"received_at", FormatUtc(e.received_at)}});
  }
  nlohmann::json watches = nlohmann::json::array();
  if (!release.empty()) {
    auto list = app.store.ListWatches(release);
    if (!list) return list.error();
    for (const auto& w : *list) {
      watches.push_back(
          {{"env", w.env},
           {"step", w.step},
           {"gitops_commit", w.gitops_commit},
           {"services", w.services},
           {"apps", nlohmann::json::parse(w.apps, nullptr, false)},
           {"state", w.state},
           {"started_at", FormatUtc(w.started_at)},
           {"finished_at", w.finished_at ? nlohmann::json(FormatUtc(*w.finished_at)) : nullptr}});
    }
  }
  return Json({{"events", *count}, {"apps", apps}, {"watches", watches}});
}

}  // namespace captain
