#include "app/releases.h"

#include <set>

#include "app/oncall.h"
#include "app/slack_people.h"
#include "core/release_state.h"
#include "notify/catalogue.h"

namespace captain {

Status MoveRelease(const App& app, Release& r, ReleaseState to, const std::string& by,
                   const std::string& why) {
  if (r.state == to) return {};
  if (auto st = CheckTransition(r, to); !st) return st;
  nlohmann::json before = {{"state", StateName(r.state)}};
  r.state = to;
  if (auto st = app.store.UpdateRelease(r); !st) return st;
  return app.Audit(by, "release.state", r.id, why, before, {{"state", StateName(to)}});
}

Result<Release> OpenRelease(const App& app, std::optional<Date> release_day,
                            const std::string& by) {
  if (auto st = CheckActor(by); !st) return st.error();
  const auto& cal = app.config.calendar;
  int64_t index =
      release_day ? SprintIndexOfDate(cal, *release_day) : SprintIndexAt(cal, app.Now());
  Train train = ComputeTrain(cal, index);
  if (release_day && train.release_day != *release_day) {
    return FieldError("release_day", FormatDate(*release_day) +
                                         " is not a release day (that sprint's release day is " +
                                         FormatDate(train.release_day) + ")");
  }
  Release r;
  r.id = FormatDate(train.release_day);
  r.kind = ReleaseKind::kStandard;
  r.release_day = train.release_day;
  r.state = ReleaseState::kCollecting;
  r.created_by = by;
  r.created_at = app.Now();
  Status st = app.store.Transaction([&]() -> Status {
    auto existing = app.store.FindRelease(r.id);
    if (!existing) return existing.error();
    if (*existing) return UsageError("release " + r.id + " already exists");
    if (auto s = app.store.InsertRelease(r); !s) return s;
    return app.Audit(by, "release.open", r.id, "standard", nullptr, ReleaseJson(r));
  });
  if (!st) return st.error();
  return r;
}

Result<std::vector<Release>> ListReleases(const App& app) { return app.store.ListReleases(); }

Result<ReleaseView> ShowRelease(const App& app, const std::string& id) {
  auto release = app.GetRelease(id);
  if (!release) return release.error();
  auto facts = app.Facts(id);
  if (!facts) return facts.error();
  ReleaseView v{*release, app.TrainOf(*release), std::move(*facts), {}};
  FactsIndex ix(v.facts);
  for (const auto& step : StepsOf(app.config)) {
    v.plans.push_back(ComputePlan(app.config, v.train, ix, step, app.Now()));
  }
  return v;
}

Status UpdateCandidate(const App& app, const std::string& id, const std::string& service,
                       const std::string& commit, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  if (auto st = CheckCommit("commit", commit); !st) return st;
  if (!service.empty()) {
    if (auto st = CheckService(app.config, service); !st) return st;
  }
  return app.store.Transaction([&]() -> Status {
    auto facts = app.store.LoadFacts(id);
    if (!facts) return facts.error();
    Release r = facts->release;
    if (auto st = CheckOpen(r); !st) return st;
    auto evidence = app.store.FindEvidence(commit);
    if (!evidence) return evidence.error();
    auto full = ResolveCommit(*evidence, commit, "commit");
    if (!full) return full.error();
    if (service.empty()) {
      nlohmann::json before = {{"candidate_commit", r.candidate_commit}};
      r.candidate_commit = *full;
      if (auto st = app.store.UpdateRelease(r); !st) return st;
      return app.Audit(by, "release.candidate", id, "", before, {{"candidate_commit", *full}});
    }
    ReleaseFacts of_commit;
    of_commit.evidence = std::move(*evidence);
    const EvidenceImage* img = FindImage(FactsIndex(of_commit), service, *full);
    if (!img) return PolicyError(service + ": no image built from " + *full);
    std::string previous = CandidateCommit(FactsIndex(*facts), service, ReleaseCandidate(*facts));
    if (auto st = app.store.AddSwap(id, {service, img->commit, by, app.Now()}); !st) return st;
    return app.Audit(by, "release.hotfix", id, service, {{"commit", previous}},
                     {{"commit", img->commit}, {"needs", "lower validation again"}});
  });
}

Status AddReleaseNote(const App& app, const std::string& id, const std::string& category,
                      const std::string& text, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  if (!IsNoteCategory(category)) {
    std::string list;
    for (auto c : kNoteCategories) list += (list.empty() ? "" : ", ") + std::string(c);
    return FieldError("category", "'" + category + "' is not one of " + list);
  }
  if (auto st = CheckText("text", text, category != "signature-refresh"); !st) return st;
  return app.store.Transaction([&]() -> Status {
    if (auto r = app.GetRelease(id); !r) return r.error();
    if (auto st = app.store.AddNote(id, {category, text, by, app.Now()}); !st) return st;
    return app.Audit(by, "release.note", id, category, nullptr, {{"text", text}});
  });
}

Status CancelRelease(const App& app, const std::string& id, const std::string& service,
                     const std::string& reason, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  if (auto st = CheckText("reason", reason, true); !st) return st;
  if (!service.empty()) {
    if (auto st = CheckService(app.config, service); !st) return st;
  }
  return app.store.Transaction([&]() -> Status {
    auto r = app.GetRelease(id);
    if (!r) return r.error();
    if (service.empty()) {
      if (auto st = MoveRelease(app, *r, ReleaseState::kCancelled, by, reason); !st) return st;
      if (r->kind == ReleaseKind::kStandard) return {};
      // Cancelling a request refuses it, in the thread of its filing.
      return app.Post(app.config.channels.announce, catalogue::RequestRefused(id, by, reason), id);
    }
    if (auto st = CheckOpen(*r); !st) return st;
    if (auto st = app.store.AddCancel(id, {service, reason, by, app.Now()}); !st) return st;
    return app.Audit(by, "release.cancel-service", id, service, nullptr, {{"reason", reason}});
  });
}

Status SignOffRelease(const App& app, const std::string& id, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  return app.store.Transaction([&]() -> Status {
    auto facts = app.store.LoadFacts(id);
    if (!facts) return facts.error();
    Release r = facts->release;
    if (r.state != ReleaseState::kProdDeployed) {
      return PolicyError("release " + id + " is " + std::string(StateName(r.state)) +
                         "; the sign-off goes out only after prod is deployed and validated");
    }
    std::string last_env = app.config.environments.back().name;
    std::set<std::string> teams;
    for (const auto& d : facts->deployments) {
      if (d.env == last_env && !app.config.TeamOf(d.service).empty()) {
        teams.insert(app.config.TeamOf(d.service));
      }
    }
    std::vector<std::string> missing;
    for (const auto& t : teams) {
      bool ok = false;
      for (const auto& s : facts->signoffs) ok = ok || (s.team == t && s.env == last_env);
      if (!ok) missing.push_back(t);
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& t : missing) list += (list.empty() ? "" : ", ") + t;
      return PolicyError("waiting for " + last_env + " sign-off from: " + list);
    }
    if (auto st = MoveRelease(app, r, ReleaseState::kSignedOff, by, "validated in " + last_env);
        !st) {
      return st;
    }
    auto captains = CaptainsOfRelease(app, id);
    if (!captains) return captains.error();
    return app.Post(
        app.config.channels.announce,
        catalogue::ReleaseSignedOff(id, last_env, by, CaptainsMention(app.config, *captains)), id);
  });
}

}  // namespace captain
