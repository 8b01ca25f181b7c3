#include "app/participation.h"

#include <functional>

#include "app/announcement.h"
#include "app/releases.h"
#include "app/slack_people.h"
#include "core/plan.h"
#include "core/release_state.h"

namespace captain {
namespace {

// After a lower sign-off: the release is validated once every team with services deployed
// to the lower regions has signed off.
Status MaybeValidated(const App& app, const std::string& id, const std::string& by) {
  auto facts = app.store.LoadFacts(id);
  if (!facts) return facts.error();
  Release r = facts->release;
  if (r.state != ReleaseState::kLowerDeployed) return {};
  if (!TeamsAwaitingLowerSignoff(app.config, *facts).empty()) return {};
  return MoveRelease(app, r, ReleaseState::kValidated, by,
                     "every team signed off lower validation");
}

}  // namespace

Status RecordOpt(const App& app, const OptRequest& req) {
  if (auto st = CheckActor(req.by); !st) return st;
  auto team = CheckTeam(app.config, req.team);
  if (!team) return team.error();
  for (const auto& s : req.services) {
    if (auto st = CheckService(app.config, s); !st) return st;
    if (app.config.TeamOf(s) != req.team) {
      return FieldError("service",
                        s + " belongs to team " + app.config.TeamOf(s) + ", not " + req.team);
    }
  }
  if (auto st = CheckText("late_reason", req.late_reason, false); !st) return st;
  if ((*team)->platform) {
    return PolicyError("team " + req.team +
                       " is the platform team: its services are always in a standard release");
  }
  return app.store.Transaction([&]() -> Status {
    auto r = app.GetRelease(req.release_id);
    if (!r) return r.error();
    if (auto st = CheckOpen(*r); !st) return st;
    if (r->kind != ReleaseKind::kStandard) {
      return PolicyError("release " + r->id + " is an " + std::string(KindName(r->kind)) +
                         " request: it deploys only the services it names");
    }
    Train train = app.TrainOf(*r);
    Instant deadline = train.When(MilestoneId::kOptDeadline);
    if (auto st = CheckOptAnswer(app.config.calendar.tz, deadline, app.Now(), req.late_reason);
        !st) {
      return st;
    }
    std::string late = app.Now() > deadline ? req.late_reason : "";
    std::vector<std::string> targets =
        req.services.empty() ? std::vector<std::string>{""} : req.services;
    for (const auto& s : targets) {
      OptRecord o{req.team, s, req.answer, req.by, app.Now(), late};
      if (auto st = app.store.AddOpt(r->id, o); !st) return st;
      nlohmann::json after = {{"team", req.team}, {"service", s.empty() ? "*" : s}};
      if (!late.empty()) after["late_reason"] = late;
      auto action = req.answer == OptAnswer::kIn ? "opt.in" : "opt.out";
      if (auto st = app.Audit(req.by, action, r->id, s.empty() ? req.team : s, nullptr, after);
          !st) {
        return st;
      }
    }
    return UpdateAnnouncement(app, *r, app.Now() > deadline);
  });
}

namespace {

// A captain's override of one service in an open release: the shared checks and transaction;
// `decide` looks at the release's facts (indexed) and the service's commit, and records.
Status OverrideService(const App& app, const std::string& release_id, const std::string& service,
                       const std::string& reason, const std::string& by,
                       const std::function<Status(const ReleaseFacts&, const FactsIndex&,
                                                  const std::string&)>& decide) {
  if (auto st = CheckActor(by); !st) return st;
  if (auto st = CheckService(app.config, service); !st) return st;
  if (auto st = CheckText("reason", reason, true); !st) return st;
  return app.store.Transaction([&]() -> Status {
    auto facts = app.store.LoadFacts(release_id);
    if (!facts) return facts.error();
    if (auto st = CheckOpen(facts->release); !st) return st;
    FactsIndex ix(*facts);
    return decide(*facts, ix, CandidateCommit(ix, service, ReleaseCandidate(*facts)));
  });
}

}  // namespace

Status OverrideGate(const App& app, const std::string& release_id, const std::string& service,
                    const std::string& reason, const std::string& by) {
  return OverrideService(
      app, release_id, service, reason, by,
      [&](const ReleaseFacts&, const FactsIndex& ix, const std::string& commit) -> Status {
        const EvidenceImage* img = FindImage(ix, service, commit);
        if (!img || img->scan != ScanResult::kGateError) {
          return PolicyError(
              service + ": only a scan that failed with a gate error can be overridden" +
              std::string(img ? " (this one: " + std::string(ScanName(img->scan)) + ")" : ""));
        }
        if (auto st = app.store.AddOverride(release_id, {service, reason, by, app.Now()}); !st)
          return st;
        return app.Audit(by, "gate.override", release_id, service, {{"scan", "gate-error"}},
                         {{"reason", reason}, {"run_id", img->run_id}});
      });
}

Status OverrideCutoff(const App& app, const std::string& release_id, const std::string& service,
                      const std::string& reason, const std::string& by) {
  return OverrideService(
      app, release_id, service, reason, by,
      [&](const ReleaseFacts& f, const FactsIndex& ix, const std::string& commit) -> Status {
        Instant cutoff = app.TrainOf(f.release).When(MilestoneId::kDefectCutoff);
        if (f.release.kind != ReleaseKind::kStandard || app.Now() < cutoff) {
          return PolicyError("release " + release_id + ": the defect cutoff (" +
                             FormatLocal(cutoff, app.config.calendar.tz) +
                             ") has not held anything back yet");
        }
        auto held =
            CutoffHold(app.config, ix, *app.config.FindService(service), commit, cutoff, app.Now());
        if (!held) return PolicyError(service + ": the defect cutoff did not hold it back");
        if (auto st = app.store.AddOverride(release_id,
                                            {service, reason, by, app.Now(), kOverrideCutoff});
            !st) {
          return st;
        }
        return app.Audit(by, "cutoff.override", release_id, service,
                         {{"held", held->reason}, {"detail", held->detail}}, {{"reason", reason}});
      });
}

Status RecordSignOff(const App& app, const std::string& release_id, const std::string& team,
                     const std::string& env, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  if (auto t = CheckTeam(app.config, team); !t) return t.error();
  if (auto st = CheckEnvironment(app.config, env); !st) return st;
  return app.store.Transaction([&]() -> Status {
    auto facts = app.store.LoadFacts(release_id);
    if (!facts) return facts.error();
    if (auto st = CheckOpen(facts->release); !st) return st;
    bool deployed = false;
    for (const auto& d : facts->deployments) {
      deployed = deployed || (d.env == env && app.config.TeamOf(d.service) == team);
    }
    if (!deployed) {
      return PolicyError("team " + team + " has nothing deployed to " + env + " in release " +
                         release_id + " to sign off");
    }
    if (auto st = app.store.AddSignOff(release_id, {team, env, by, app.Now()}); !st) return st;
    if (auto st =
            app.Audit(by, "signoff", release_id, team, nullptr, {{"team", team}, {"env", env}});
        !st) {
      return st;
    }
    return MaybeValidated(app, release_id, by);
  });
}

Result<int64_t> OpenDefect(const App& app, const std::string& release_id,
                           const std::string& service, const std::string& title,
                           const std::string& by) {
  if (auto st = CheckActor(by); !st) return st.error();
  if (auto st = CheckService(app.config, service); !st) return st.error();
  if (auto st = CheckText("title", title, true); !st) return st.error();
  int64_t id = 0;
  Status st = app.store.Transaction([&]() -> Status {
    auto r = app.GetRelease(release_id);
    if (!r) return r.error();
    Defect d;
    d.release_id = release_id;
    d.service = service;
    d.title = title;
    d.opened_by = by;
    d.opened_at = app.Now();
    auto added = app.store.AddDefect(d);
    if (!added) return added.error();
    id = *added;
    if (auto s = app.Audit(by, "defect.open", release_id, service, nullptr,
                           {{"id", id}, {"title", title}});
        !s) {
      return s;
    }
    std::string team = app.config.TeamOf(service);
    std::string mention = TeamMention(app.config, team);
    return app.Notify(app.config.ChannelOf(team),
                      (mention.empty() ? "" : mention + " ") + "Defect #" + std::to_string(id) +
                          " opened on " + service + " in release " + release_id + ": " + title,
                      release_id);
  });
  if (!st) return st.error();
  return id;
}

Result<std::string> DefectService(const App& app, int64_t id) {
  auto d = app.store.FindDefect(id);
  if (!d) return d.error();
  if (!*d) return NotFoundError("unknown defect #" + std::to_string(id));
  return (*d)->service;
}

Status ResolveDefect(const App& app, int64_t id, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  return app.store.Transaction([&]() -> Status {
    auto d = app.store.FindDefect(id);
    if (!d) return d.error();
    if (!*d) return NotFoundError("unknown defect #" + std::to_string(id));
    if (!(*d)->open()) return PolicyError("defect #" + std::to_string(id) + " is already resolved");
    if (auto st = app.store.ResolveDefect(id, by, app.Now()); !st) return st;
    return app.Audit(by, "defect.resolve", (*d)->release_id, (*d)->service, {{"open", true}},
                     {{"id", id}, {"open", false}});
  });
}

Status RecordHealth(const App& app, const std::string& release_id, const std::string& env,
                    const std::string& service, bool healthy, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  if (auto st = CheckEnvironment(app.config, env); !st) return st;
  if (auto st = CheckService(app.config, service); !st) return st;
  return app.store.Transaction([&]() -> Status {
    if (auto r = app.GetRelease(release_id); !r) return r.error();
    if (auto st = app.store.AddHealth(release_id, {env, service, healthy, app.Now()}); !st)
      return st;
    return app.Audit(by, "health", release_id, service, nullptr,
                     {{"env", env}, {"healthy", healthy}});
  });
}

}  // namespace captain
