#include "app/argocd.h"

#include "app/slack_people.h"
#include "notify/catalogue.h"

namespace captain {
namespace {

constexpr const char* kActor = "argocd";

bool Settled(const nlohmann::json& app, const std::string& commit) {
  return app.value("sync", "") == "Synced" && app.value("health", "") == "Healthy" &&
         SameRevision(app.value("revision", ""), commit);
}

catalogue::Step StepOf(const App& app, const StepWatch& w) {
  catalogue::Step s{w.release_id, w.step, w.env, w.gitops_commit, w.by, "", {}};
  std::vector<std::string> teams;
  for (const auto& svc : w.services) teams.push_back(app.config.TeamOf(svc));
  s.mentions = TeamsMention(app.config, teams);
  return s;
}

std::vector<std::string> Waiting(const StepWatch& w, const nlohmann::json& apps) {
  std::vector<std::string> out;
  for (const auto& svc : w.services) {
    if (!apps.contains(svc) || !Settled(apps[svc], w.gitops_commit)) out.push_back(svc);
  }
  return out;
}

// One notification about (service, env): the watches of env that deployed the service.
// `watches` are the open ones, read once per batch and kept current here.
Status Watch(const App& app, const ArgoNotification& n, const std::string& service,
             const std::string& env, std::vector<StepWatch>& watches, std::string& release) {
  for (auto& w : watches) {
    if (w.state != "watching" || w.env != env) continue;
    if (std::find(w.services.begin(), w.services.end(), service) == w.services.end()) continue;
    release = w.release_id;
    nlohmann::json apps = nlohmann::json::parse(w.apps, nullptr, false);
    if (!apps.is_object()) apps = nlohmann::json::object();
    apps[service] = {
        {"app", n.app}, {"sync", n.sync}, {"health", n.health}, {"revision", n.revision}};
    w.apps = apps.dump();
    std::string thread = catalogue::StepKey(w.release_id, w.env, w.gitops_commit);
    if (auto st = app.Post(app.config.channels.announce,
                           catalogue::StepProgress(thread, n.app, n.sync, n.health, n.revision),
                           w.release_id);
        !st) {
      return st;
    }
    auto waiting = Waiting(w, apps);
    if (waiting.empty()) {
      w.state = "verified";
      w.finished_at = app.Now();
      std::vector<std::string> names;
      for (const auto& [svc, a] : apps.items()) names.push_back(a.value("app", svc));
      if (auto st = app.Post(app.config.channels.announce,
                             catalogue::StepVerified(StepOf(app, w), names), w.release_id);
          !st) {
        return st;
      }
      if (auto st = app.Audit(kActor, "deploy.verified", w.release_id, w.env, nullptr,
                              {{"gitops_commit", w.gitops_commit}, {"services", w.services}});
          !st) {
        return st;
      }
    }
    if (auto st = app.store.UpdateWatch(w); !st) return st;
  }
  return {};
}

Status Ingest(const App& app, const ArgoNotification& n, std::vector<StepWatch>& watches,
              ArgoIngested& out) {
  ArgoEvent e;
  e.received_at = app.Now();
  e.app = n.app;
  e.event = n.event;
  e.sync = n.sync;
  e.health = n.health;
  e.revision = n.revision;
  e.message = n.message;
  auto it = app.config.argocd_apps.find(n.app);
  if (it != app.config.argocd_apps.end()) {
    e.service = it->second.first;
    e.env = it->second.second;
  }
  auto id = app.store.AddArgoEvent(e);
  if (!id) return id.error();
  out = {*id, e.service, e.env};
  if (e.service.empty()) return {};
  std::string release;
  if (auto st = Watch(app, n, e.service, e.env, watches, release); !st) return st;
  if (release.empty()) {
    auto running = app.store.ReleaseRunning(e.service, e.env);
    if (!running) return running.error();
    release = *running;
  }
  bool known_health = n.health == "Healthy" || n.health == "Degraded" || n.health == "Missing";
  if (!release.empty() && known_health) {
    HealthRecord h{e.env, e.service, n.health == "Healthy", app.Now()};
    if (auto st = app.store.AddHealth(release, h); !st) return st;
  }
  if (n.event == "sync-failed" || n.event == "health-degraded" || n.health == "Degraded") {
    std::string team = app.config.TeamOf(e.service);
    catalogue::Alert a{n.app,
                       e.service,
                       e.env,
                       n.event == "sync-failed" ? n.event : "health-degraded",
                       n.sync,
                       n.health,
                       n.revision,
                       n.message,
                       TeamMention(app.config, team)};
    if (auto st = app.Post(app.config.ChannelOf(team), catalogue::ArgoAlert(a), release); !st) {
      return st;
    }
    if (auto st = app.Audit(kActor, "argocd." + a.event, release, e.service, nullptr,
                            {{"app", n.app},
                             {"env", e.env},
                             {"sync", n.sync},
                             {"health", n.health},
                             {"revision", n.revision}});
        !st) {
      return st;
    }
  }
  return {};
}

}  // namespace

bool SameRevision(const std::string& revision, const std::string& commit) {
  if (revision.size() < 7 || commit.size() < 7) return false;
  size_t n = std::min(revision.size(), commit.size());
  return revision.compare(0, n, commit, 0, n) == 0;
}

Result<ArgoNotification> ParseArgoNotification(const nlohmann::json& body) {
  if (!body.is_object()) return UsageError("expected a JSON object");
  auto text = [&](const char* key, bool required) -> Result<std::string> {
    if (!body.contains(key) || body[key].is_null()) {
      if (required) return FieldError(key, "missing");
      return std::string();
    }
    if (!body[key].is_string()) return FieldError(key, "expected a string");
    std::string v = body[key].get<std::string>();
    if (v.size() > 4096) return FieldError(key, "at most 4096 characters");
    return v;
  };
  ArgoNotification n;
  for (auto [key, out, required] :
       {std::tuple{"app", &n.app, true}, std::tuple{"event", &n.event, true},
        std::tuple{"sync_status", &n.sync, false}, std::tuple{"health", &n.health, false},
        std::tuple{"revision", &n.revision, false}, std::tuple{"message", &n.message, false}}) {
    auto v = text(key, required);
    if (!v) return v.error();
    *out = *v;
  }
  if (n.app.empty()) return FieldError("app", "must not be empty");
  if (n.event != "sync-succeeded" && n.event != "sync-failed" && n.event != "health-degraded" &&
      n.event != "deployed") {
    return FieldError(
        "event",
        "expected sync-succeeded, sync-failed, health-degraded or deployed, got '" + n.event + "'");
  }
  return n;
}

Result<std::vector<ArgoIngested>> IngestArgo(const App& app,
                                             const std::vector<ArgoNotification>& batch) {
  std::vector<ArgoIngested> out(batch.size());
  Status st = app.store.Transaction([&]() -> Status {
    auto watches = app.store.OpenWatches("");
    if (!watches) return watches.error();
    for (size_t i = 0; i < batch.size(); ++i) {
      if (auto s = Ingest(app, batch[i], *watches, out[i]); !s) return s;
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status ApplyArgoJournal(const App& app, const std::string& journal,
                        const std::vector<ArgoNotification>& batch, int64_t last_seq) {
  return app.store.Transaction([&]() -> Status {
    auto done = IngestArgo(app, batch);
    if (!done) return done.error();
    return app.store.SetJournalApplied(journal, last_seq);
  });
}

Result<int64_t> ArgoJournalApplied(const App& app, const std::string& journal) {
  return app.store.JournalApplied(journal);
}

Status WatchStep(const App& app, const std::string& release_id, const std::string& step,
                 const std::string& env, const std::string& gitops_commit, const std::string& by,
                 const std::vector<std::string>& services) {
  if (!app.config.argocd.enabled) return {};
  StepWatch w;
  w.release_id = release_id;
  w.step = step;
  w.env = env;
  w.gitops_commit = gitops_commit;
  w.by = by;
  w.services = services;
  w.apps = "{}";
  w.started_at = app.Now();
  auto id = app.store.AddWatch(w);
  if (!id) return id.error();
  return {};
}

Result<std::vector<std::string>> ExpireWatches(const App& app) {
  std::vector<std::string> done;
  auto minutes = std::chrono::minutes(app.config.argocd.verify_timeout_minutes);
  Status st = app.store.Transaction([&]() -> Status {
    done.clear();  // a transaction run again (a lost conflict) reports once
    auto watches = app.store.OpenWatches("");
    if (!watches) return watches.error();
    for (auto w : *watches) {
      if (app.Now() < w.started_at + minutes) continue;
      nlohmann::json apps = nlohmann::json::parse(w.apps, nullptr, false);
      if (!apps.is_object()) apps = nlohmann::json::object();
      auto waiting = Waiting(w, apps);
      w.state = "unverified";
      w.finished_at = app.Now();
      if (auto s = app.store.UpdateWatch(w); !s) return s;
      if (auto s = app.Post(app.config.channels.announce,
                            catalogue::StepNotVerified(StepOf(app, w), waiting,
                                                       app.config.argocd.verify_timeout_minutes),
                            w.release_id);
          !s) {
        return s;
      }
      if (auto s = app.Audit(kActor, "deploy.unverified", w.release_id, w.env, nullptr,
                             {{"gitops_commit", w.gitops_commit}, {"waiting", waiting}});
          !s) {
        return s;
      }
      done.push_back(w.release_id + " " + w.env + ": not verified in time");
    }
    return {};
  });
  if (!st) return st.error();
  return done;
}

}  // namespace captain
