#include "app/rollback.h"

#include <map>
#include <random>

#include "app/deploy.h"
#include "app/releases.h"
#include "app/slack_people.h"
#include "app/tag_edits.h"
#include "core/release_state.h"
#include "gitops/yaml_edit.h"
#include "notify/catalogue.h"
#include "util/crash_point.h"

namespace captain {
namespace {

bool IsRootCause(const std::string& s) {
  for (auto rc : kRootCauses) {
    if (rc == s) return true;
  }
  return false;
}

}  // namespace

namespace {

using nlohmann::json;

// What a rollback records once its commit has landed: kept in the intent, so that a crash
// between the push and the record is finished by the next captain the same way.
struct RollbackRecord {
  RollbackArgs args;
  struct Restore {
    std::string service, from, to, commit;
    std::optional<Instant> signed_at;
  };
  std::vector<Restore> restores;
};

json RecordJson(const RollbackRecord& r) {
  const RollbackArgs& a = r.args;
  json restores = json::array();
  for (const auto& t : r.restores) {
    restores.push_back({{"service", t.service},
                        {"from", t.from},
                        {"to", t.to},
                        {"commit", t.commit},
                        {"signed_at", t.signed_at ? json(FormatUtc(*t.signed_at)) : json()}});
  }
  return {{"rollback",
           {{"release", a.release_id},
            {"env", a.env},
            {"reason", a.reason},
            {"by", a.by},
            {"title", a.title},
            {"team", a.team},
            {"replication", a.replication},
            {"non_functional", a.non_functional},
            {"blocker", a.blocker},
            {"root_cause", a.root_cause}}},
          {"restores", restores}};
}

std::optional<RollbackRecord> RecordFrom(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("rollback") || !j["rollback"].is_object()) return std::nullopt;
  const json& a = j["rollback"];
  RollbackRecord r;
  r.args = {a.value("release", ""),
            a.value("env", ""),
            {},
            a.value("reason", ""),
            a.value("by", ""),
            a.value("title", ""),
            a.value("team", ""),
            a.value("replication", ""),
            a.value("non_functional", false),
            a.value("blocker", false),
            a.value("root_cause", "RC VRO")};
  for (const auto& t : j.value("restores", json::array())) {
    RollbackRecord::Restore x{t.value("service", ""), t.value("from", ""), t.value("to", ""),
                              t.value("commit", ""), std::nullopt};
    if (t.contains("signed_at") && t["signed_at"].is_string()) {
      x.signed_at = ParseInstant(t["signed_at"].get<std::string>());
    }
    r.restores.push_back(std::move(x));
  }
  return r;
}

// Records a landed rollback: the restored deployments (which hold those services in the
// release), the incident, the audit entry and the messages. Returns the incident's number.
Result<int64_t> RecordRollback(const App& app, const RollbackRecord& rec,
                               const std::string& gitops_commit) {
  const RollbackArgs& a = rec.args;
  std::vector<std::string> services;
  for (const auto& t : rec.restores) {
    Deployment d;
    d.release_id = a.release_id;
    d.env = a.env;
    d.service = t.service;
    d.old_tag = t.from;
    d.new_tag = t.to;
    d.commit = t.commit;
    d.signed_at = t.signed_at;
    d.gitops_commit = gitops_commit;
    d.by = a.by;
    d.at = app.Now();
    d.rollback = true;
    if (auto id = app.store.AddDeployment(d); !id) return id.error();
    services.push_back(t.service);
  }
  Incident inc;
  inc.release_id = a.release_id;
  inc.env = a.env;
  inc.title = a.title.empty() ? "Rollback of " + services.front() +
                                    (services.size() > 1
                                         ? " and " + std::to_string(services.size() - 1) + " more"
                                         : "") +
                                    " in " + a.env + " (release " + a.release_id + ")"
                              : a.title;
  inc.reported_by_team = a.team.empty() ? app.config.TeamOf(services.front()) : a.team;
  inc.description = a.reason;
  inc.replication = a.replication;
  inc.non_functional = a.non_functional;
  inc.blocker = a.blocker;
  inc.root_cause = a.root_cause;
  inc.services = services;
  inc.gitops_commit = gitops_commit;
  inc.opened_by = a.by;
  inc.opened_at = app.Now();
  auto id = app.store.AddIncident(inc);
  if (!id) return id.error();
  json restored = json::object();
  for (const auto& t : rec.restores) restored[t.service] = {{"from", t.from}, {"to", t.to}};
  if (auto s =
          app.Audit(a.by, "rollback", a.release_id, a.env, nullptr,
                    {{"restored", restored}, {"gitops_commit", gitops_commit}, {"incident", *id}});
      !s) {
    return s.error();
  }
  catalogue::Rollback msg{a.release_id, a.env, a.by, a.reason, *id, "", {}};
  std::vector<std::string> teams;
  for (const auto& t : rec.restores) {
    msg.restored.push_back({t.service, t.from, t.to});
    teams.push_back(app.config.TeamOf(t.service));
  }
  msg.mentions = TeamsMention(app.config, teams);
  Message m = catalogue::RolledBack(msg);
  for (const auto& t : app.config.teams) {
    bool affected = false;
    for (const auto& s : services) affected = affected || app.config.TeamOf(s) == t.name;
    if (affected) {
      if (auto s = app.Post(t.channel, m, a.release_id); !s) return s.error();
    }
  }
  if (auto s = app.Post(app.config.channels.announce, m, a.release_id); !s) return s.error();
  return *id;
}

std::string NewRollbackId(const std::string& release, const std::string& env, Instant now) {
  std::random_device rd;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", rd());
  return release + "/" + env + "/rollback/" + std::to_string(now.time_since_epoch().count()) + "-" +
         buf;
}

}  // namespace

bool IsRollbackIntent(const DeployIntent& i) { return i.step == kRollbackStep; }

Status RecordRollbackIntent(const App& app, const DeployIntent& intent,
                            const std::string& gitops_commit) {
  auto rec = RecordFrom(intent.changes);
  if (!rec) return OtherError("rollback intent " + intent.id + " cannot be read back");
  auto id = RecordRollback(app, *rec, gitops_commit);
  if (!id) return id.error();
  return {};
}

Status CheckRollback(const App& app, const RollbackArgs& a) {
  if (auto st = CheckActor(a.by); !st) return st;
  if (auto st = CheckEnvironment(app.config, a.env); !st) return st.error();
  if (auto st = CheckText("reason", a.reason, true); !st) return st.error();
  if (auto st = CheckText("title", a.title, false); !st) return st.error();
  if (auto st = CheckText("replication", a.replication, false); !st) return st.error();
  if (!IsRootCause(a.root_cause)) {
    return FieldError("root_cause", "expected RC VRO, RC LHDI, RC Partner Team or External VA");
  }
  for (const auto& s : a.services) {
    if (auto st = CheckService(app.config, s); !st) return st;
  }
  if (!a.team.empty()) {
    if (auto t = CheckTeam(app.config, a.team); !t) return t.error();
  }
  auto release = app.GetRelease(a.release_id);
  if (!release) return release.error();
  return CheckOpen(*release);
}

Result<RollbackOutcome> Rollback(const App& app, GitopsRepo& repo, const RollbackArgs& a) {
  if (auto st = CheckRollback(app, a); !st) return st.error();
  if (auto st = app.CheckClock(); !st) return st.error();
  RollbackOutcome out;
  out.dry_run = a.dry_run;
  if (!a.dry_run) {
    auto recovered = RecoverDeploys(app, repo);
    if (!recovered) return recovered.error();
    out.recovered = std::move(*recovered);
  }
  auto facts = app.store.LoadFacts(a.release_id);
  if (!facts) return facts.error();
  if (auto st = CheckOpen(facts->release); !st) return st.error();
  // The release's latest deployment of each service in the environment.
  std::map<std::string, Deployment> latest;
  for (const auto& d : facts->deployments) {
    if (d.env != a.env) continue;
    if (!a.services.empty() &&
        std::find(a.services.begin(), a.services.end(), d.service) == a.services.end())
      continue;
    if (!latest.count(d.service) || latest[d.service].at <= d.at) latest[d.service] = d;
  }
  for (const auto& s : a.services) {
    if (!latest.count(s)) {
      return PolicyError(s + ": release " + a.release_id + " did not deploy it to " + a.env);
    }
    if (latest[s].rollback) {
      return PolicyError(s + ": already rolled back in " + a.env + " at " +
                         FormatUtc(latest[s].at));
    }
  }
  std::erase_if(latest, [](const auto& kv) { return kv.second.rollback; });
  // A service recorded by the release but since removed from captain.yaml has no GitOps
  // location any more: it is reported, not rolled back.
  std::vector<std::string> unknown;
  std::erase_if(latest, [&](const auto& kv) {
    if (app.config.FindService(kv.first)) return false;
    unknown.push_back(kv.first);
    return true;
  });
  if (latest.empty() && !unknown.empty()) {
    return PolicyError("release " + a.release_id + " deployed only services that are no longer " +
                       "in the configuration to " + a.env + " (" + unknown.front() + "…)");
  }
  if (latest.empty())
    return PolicyError("release " + a.release_id + " deployed nothing to " + a.env);

  std::vector<TagRestore> restores;
  for (const auto& [service, d] : latest) {
    if (d.old_tag.empty()) {
      return PolicyError(service + ": no previous tag is recorded for " + a.env);
    }
    // Check the record against git history: the commit before captain's deploy held old_tag.
    if (!d.gitops_commit.empty()) {
      GitopsLocation loc = app.config.LocationOf(*app.config.FindService(service), a.env);
      auto before = repo.ReadFileAt(d.gitops_commit + "^", loc.file);
      if (before && *before) {
        auto tag = GetScalar(**before, loc.file, loc.key);
        if (tag && *tag != d.old_tag) {
          return PolicyError(service + ": the record says " + a.env + " ran " + d.old_tag +
                             " before, but git history says " + *tag + "; not rolling back");
        }
      }
    }
    restores.push_back({service, d.old_tag, d.new_tag});
  }
  if (a.dry_run) {
    for (const auto& t : restores) out.restored.emplace_back(t.service, t.to);
    return out;
  }
  // Every release's deployments: read only for a rollback that happens.
  auto history = app.store.LoadHistory();
  if (!history) return history.error();
  // What the restored image was: the last deployment of that tag before this release.
  auto previous = [&](const std::string& service, const std::string& tag) {
    const Deployment* best = nullptr;
    for (const auto& d : history->deployments) {
      if (d.service == service && d.env == a.env && d.new_tag == tag &&
          d.release_id != a.release_id) {
        best = &d;
      }
    }
    return best;
  };

  RollbackRecord rec{a, {}};
  for (const auto& t : restores) {
    RollbackRecord::Restore x{t.service, t.from, t.to, "", std::nullopt};
    if (const Deployment* p = previous(t.service, t.to)) {
      x.commit = p->commit;
      x.signed_at = p->signed_at;
    }
    rec.restores.push_back(std::move(x));
  }
  std::vector<TagTarget> targets;
  for (const auto& t : restores) {
    targets.push_back(
        {t.service, a.env, app.config.LocationOf(*app.config.FindService(t.service), a.env), t.to});
  }
  DeployIntent intent;
  intent.id = NewRollbackId(a.release_id, a.env, app.Now());
  intent.release_id = a.release_id;
  intent.env = a.env;
  intent.step = kRollbackStep;
  intent.changes = RecordJson(rec).dump();
  intent.by = a.by;
  intent.created_at = app.Now();
  bool intent_recorded = false;
  auto make_edits = [&](GitopsRepo& r) -> Result<std::vector<FileEdit>> {
    auto edited = EditTags(r, targets);
    if (!edited) return edited.error();
    if (!edited->edits.empty() && !intent_recorded) {
      if (auto st = app.store.AddIntent(intent); !st) return st.error();
      intent_recorded = true;
      CrashPoint("rollback-after-intent");
    }
    return std::move(edited->edits);
  };
  CommitSpec spec;
  spec.subject = "rollback(" + a.env + "): release " + a.release_id + ":";
  for (const auto& t : restores) spec.subject += " " + t.service + " " + t.to;
  spec.body = "Reason: " + a.reason;
  spec.trailers = {{"Release", a.release_id},
                   {"Environment", a.env},
                   {"Deployed-By", a.by},
                   {"Rollback", "true"},
                   {"Captain-Deploy", intent.id}};
  spec.author_name = app.config.gitops.author_name;
  spec.author_email = app.config.gitops.author_email;
  spec.time = app.Now().time_since_epoch().count();  // --now, like the audit log
  auto pushed = repo.CommitAndPush(make_edits, spec);
  if (!pushed) {
    if (intent_recorded) (void)app.store.FinishIntent(intent.id, "abandoned", "", app.Now());
    return Error{"rollback of " + a.env + " failed: " + pushed.error().message,
                 pushed.error().code};
  }
  CrashPoint("rollback-after-push");
  out.gitops_commit = pushed->commit;
  out.no_change = pushed->no_change;
  Status st = app.store.Transaction([&]() -> Status {
    if (FailPoint("rollback-record")) return OtherError("database is locked (CAPTAIN_FAIL_AT)");
    auto id = RecordRollback(app, rec, out.gitops_commit);
    if (!id) return id.error();
    out.incident_id = *id;
    if (intent_recorded)
      return app.store.FinishIntent(intent.id, "done", out.gitops_commit, app.Now());
    return {};
  });
  if (!st) {
    return Error{"the rollback of " + a.env + " landed as " + out.gitops_commit.substr(0, 12) +
                     ", but recording it failed: " + st.error().message +
                     "; the next captain deploy or rollback records it",
                 st.error().code};
  }
  for (const auto& t : restores) out.restored.push_back({t.service, t.to});
  return out;
}

std::string IncidentMarkdown(const Incident& i, const std::vector<AuditEntry>& timeline) {
  std::string services;
  for (const auto& s : i.services) services += (services.empty() ? "" : ", ") + s;
  std::string md = "# Incident #" + std::to_string(i.id) + ": " + i.title + "\n\n";
  md += "| field | value |\n|---|---|\n";
  md += "| Title | " + i.title + " |\n";
  md += "| Reported by team | " + i.reported_by_team + " |\n";
  md += "| Release | " + i.release_id + " |\n";
  md += "| Environment | " + i.env + " |\n";
  md += "| Services | " + services + " |\n";
  md += "| Application non-functional | " + std::string(i.non_functional ? "Yes" : "No") + " |\n";
  md += "| Blocker | " + std::string(i.blocker ? "Yes" : "No") + " |\n";
  md += "| Root cause | " + i.root_cause + " |\n";
  md += "| Rollback commit | " +
        (i.gitops_commit.empty() ? std::string("(tags were already restored)") : i.gitops_commit) +
        " |\n";
  md += "| Opened | " + FormatUtc(i.opened_at) + " by " + i.opened_by + " |\n\n";
  md += "## Description\n\n" + i.description + "\n\n";
  md += "## Replication\n\n" +
        (i.replication.empty() ? std::string("(not given)") : i.replication) + "\n\n";
  md += "## Timeline\n\n";
  for (const auto& e : timeline) {
    md += "- " + FormatUtc(e.at) + " " + e.actor + ": " + e.action +
          (e.subject.empty() ? "" : " " + e.subject) + "\n";
  }
  return md;
}

}  // namespace captain
