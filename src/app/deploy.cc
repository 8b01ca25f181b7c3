#include "app/deploy.h"

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string_view>
#include <thread>
#include <tuple>

#include "app/argocd.h"
#include "app/oncall.h"
#include "app/registry_verify.h"
#include "app/releases.h"
#include "app/rollback.h"
#include "app/slack_people.h"
#include "app/tag_edits.h"
#include "core/plan.h"
#include "core/release_state.h"
#include "core/validation.h"
#include "gitops/diff.h"
#include "notify/catalogue.h"
#include "util/crash_point.h"

namespace captain {
namespace {

using nlohmann::json;

json ChangesJson(const std::vector<TagChange>& changes) {
  json list = json::array();
  for (const auto& c : changes) {
    list.push_back({{"service", c.service},
                    {"file", c.file},
                    {"key", c.key},
                    {"old_tag", c.old_tag},
                    {"new_tag", c.new_tag},
                    {"commit", c.commit},
                    {"signed_at", c.signed_at ? json(FormatUtc(*c.signed_at)) : json()}});
  }
  return list;
}

std::vector<TagChange> ChangesFrom(const std::string& text) {
  std::vector<TagChange> out;
  json list = json::parse(text, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& j : list) {
    TagChange c{
        j.value("service", ""), j.value("file", ""),   j.value("key", ""), j.value("old_tag", ""),
        j.value("new_tag", ""), j.value("commit", ""), std::nullopt};
    if (j.contains("signed_at") && j["signed_at"].is_string()) {
      c.signed_at = ParseInstant(j["signed_at"].get<std::string>());
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string NewIntentId(const std::string& release, const std::string& env, Instant now) {
  std::random_device rd;
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", rd());
  return release + "/" + env + "/" + std::to_string(now.time_since_epoch().count()) + "-" + buf;
}

std::string Subject(const std::string& env, const std::string& release,
                    const std::vector<TagChange>& changes) {
  std::string s = "deploy(" + env + "): release " + release + ":";
  size_t shown = 0;
  for (const auto& c : changes) {
    if (c.old_tag == c.new_tag) continue;
    if (s.size() > 200) break;
    s += (shown++ ? ", " : " ") + c.service + " " + c.new_tag;
  }
  size_t changed = 0;
  for (const auto& c : changes) changed += c.old_tag != c.new_tag;
  if (shown < changed) s += " and " + std::to_string(changed - shown) + " more";
  return s;
}

// The step's edits for one environment; `changes` gets a line per service.
Result<std::vector<FileEdit>> ComputeEdits(const App& app, GitopsRepo& repo, const Plan& plan,
                                           const std::string& env, std::vector<TagChange>& changes,
                                           std::map<std::string, std::string>* originals) {
  changes.clear();
  std::vector<TagTarget> targets;
  std::vector<const Decision*> decided;
  for (const auto& d : plan.decisions) {
    if (!d.deploy ||
        std::find(d.environments.begin(), d.environments.end(), env) == d.environments.end()) {
      continue;
    }
    const Service* s = app.config.FindService(d.service);
    targets.push_back({d.service, env, app.config.LocationOf(*s, env), d.tag});
    decided.push_back(&d);
  }
  auto edited = EditTags(repo, targets);
  if (!edited) return edited.error();
  for (size_t i = 0; i < targets.size(); ++i) {
    changes.push_back({targets[i].service, targets[i].loc.file, targets[i].loc.key,
                       std::move(edited->old_tags[i]), targets[i].tag, decided[i]->commit,
                       std::nullopt});
  }
  if (originals) *originals = std::move(edited->originals);
  return std::move(edited->edits);
}

// The lower deploy fixes a standard release's candidate: from then on develop may move and
// the higher steps still promote what ran (and was validated) in the lower regions.
Status FixCandidate(const App& app, const ReleaseFacts& f, const std::string& step,
                    const std::vector<TagChange>& changes, const std::string& by) {
  if (step != "lower" || f.release.kind != ReleaseKind::kStandard ||
      !f.release.candidate_commit.empty()) {
    return {};
  }
  FactsIndex ix(f);
  for (const auto& c : changes) {
    if (c.commit.empty() || LastSwap(ix, c.service)) continue;  // a hotfix names its own commit
    Release r = f.release;
    r.candidate_commit = c.commit;
    if (auto st = app.store.UpdateRelease(r); !st) return st;
    return app.Audit(by, "release.candidate", r.id, "fixed by the lower deploy",
                     {{"candidate_commit", ""}}, {{"candidate_commit", c.commit}});
  }
  return {};
}

struct LateLanding {
  std::string gitops_commit;
  std::string line;
};

// A push still in flight when its captain was killed can land after the next captain looked
// for it and gave its intent up. When a step then finds its tags already in place, the latest
// abandoned intent of that environment with the same tags is looked for again; if its commit
// is there, the intent is finished and the step recorded with that commit.
Result<std::optional<LateLanding>> LandedLate(const App& app, GitopsRepo& repo,
                                              const std::string& release_id, const std::string& env,
                                              const std::vector<TagChange>& changes) {
  auto intent = app.store.LastAbandonedIntent(release_id, env);
  if (!intent) return intent.error();
  if (!*intent) return std::optional<LateLanding>();
  std::map<std::string, std::string> want, had;
  for (const auto& c : changes) want[c.service] = c.new_tag;
  for (const auto& c : ChangesFrom((*intent)->changes)) had[c.service] = c.new_tag;
  for (const auto& [service, tag] : had) {
    auto it = want.find(service);
    if (it == want.end() || it->second != tag) return std::optional<LateLanding>();
  }
  auto found = repo.FindCommitWithTrailers({{"Captain-Deploy", (*intent)->id}});
  if (!found) return found.error();
  if (!*found) return std::optional<LateLanding>();
  Status st = app.store.Transaction([&]() -> Status {
    if (auto s = app.store.FinishIntent((*intent)->id, "done", **found, app.Now()); !s) return s;
    return app.Audit("captain", "deploy.recovered", release_id, env, nullptr,
                     {{"intent", (*intent)->id},
                      {"gitops_commit", **found},
                      {"late", "landed after it was given up"}});
  });
  if (!st) return st.error();
  return std::optional<LateLanding>(
      LateLanding{**found, release_id + " " + env + ": the interrupted deploy landed as " +
                               (*found)->substr(0, 12) + " after it was given up; recorded"});
}

// The step's messages: its start in the announce channel (its progress is threaded there),
// each team's share in the team's channel, and the release notes when the lower deploy begins.
Status PostStep(const App& app, const ReleaseFacts& facts, const std::string& step,
                const std::string& env, const std::vector<TagChange>& changes,
                const std::string& gitops_commit, const std::string& by, bool first_deploy) {
  const std::string& release_id = facts.release.id;
  std::map<std::string, catalogue::Step> by_team;
  catalogue::Step all{release_id, step, env, gitops_commit, by, "", {}};
  std::vector<std::string> teams;
  for (const auto& c : changes) {
    std::string team = app.config.TeamOf(c.service);
    catalogue::TagChange t{c.service, c.old_tag, c.new_tag};
    all.changes.push_back(t);
    teams.push_back(team);
    auto& mine = by_team.try_emplace(team, all).first->second;
    mine.changes.push_back(t);
  }
  auto captains = CaptainsOfRelease(app, release_id);
  if (!captains) return captains.error();
  all.mentions = TeamsMention(app.config, teams);
  std::string captain_mention = CaptainsMention(app.config, *captains);
  if (!captain_mention.empty()) {
    all.mentions += (all.mentions.empty() ? "" : " ") + std::string("captains: ") + captain_mention;
  }
  if (first_deploy && app.config.IsLower(env) && facts.release.kind == ReleaseKind::kStandard) {
    std::vector<std::pair<std::string, std::vector<std::string>>> sections;
    bool refresh_only = true;
    for (auto category : kNoteCategories) {
      std::vector<std::string> lines;
      for (const auto& n : facts.notes) {
        if (n.category == category) lines.push_back(n.text);
      }
      if (lines.empty()) continue;
      refresh_only = refresh_only && category == "signature-refresh";
      sections.emplace_back(std::string(category), lines);
    }
    if (facts.notes.empty()) {
      refresh_only = std::all_of(changes.begin(), changes.end(),
                                 [](const TagChange& c) { return c.old_tag == c.new_tag; });
    }
    if (auto st = app.Post(app.config.channels.announce,
                           catalogue::ReleaseNotes(release_id, sections, refresh_only), release_id);
        !st) {
      return st;
    }
  }
  // A step whose tags were already in place has no commit to follow.
  if (!gitops_commit.empty()) {
    if (auto st = app.Post(app.config.channels.announce, catalogue::StepStarted(all), release_id);
        !st) {
      return st;
    }
  }
  for (const auto& [team, mine] : by_team) {
    if (auto st =
            app.Post(app.config.ChannelOf(team), catalogue::TeamDeployed(mine, team), release_id);
        !st) {
      return st;
    }
  }
  return {};
}

// Records the deployments of a landed (or already in place) step and moves the release on.
Status RecordStep(const App& app, const std::string& release_id, const std::string& step,
                  const std::string& env, const std::vector<TagChange>& changes,
                  const std::string& gitops_commit, const std::string& by) {
  auto facts = app.store.LoadFacts(release_id);
  if (!facts) return facts.error();
  // Already recorded: a change this very commit made (a recovery finds it after the crash),
  // or a tag already in place that the release's record for it says runs there now. A tag
  // that ran before and is deployed again (A, B, then A) is a new deployment.
  FactsIndex ix(*facts);
  auto recorded = [&](const TagChange& c) {
    if (!gitops_commit.empty() && c.old_tag != c.new_tag) {
      auto list = ix.Deployments(c.service, env);
      return std::any_of(list.begin(), list.end(), [&](const Deployment* d) {
        return d->gitops_commit == gitops_commit && !d->rollback;
      });
    }
    const Deployment* now = RunningAt(ix, c.service, env);
    return now && !now->rollback && now->new_tag == c.new_tag && now->commit == c.commit;
  };
  bool first_deploy =
      std::none_of(facts->deployments.begin(), facts->deployments.end(),
                   [&](const Deployment& d) { return d.release_id == release_id && !d.rollback; });
  size_t added = 0;
  for (const auto& c : changes) {
    if (recorded(c)) continue;
    Deployment d;
    d.release_id = release_id;
    d.env = env;
    d.service = c.service;
    d.commit = c.commit;
    d.old_tag = c.old_tag;
    d.new_tag = c.new_tag;
    d.signed_at = c.signed_at;
    d.gitops_commit = gitops_commit;
    d.by = by;
    d.at = app.Now();
    if (auto id = app.store.AddDeployment(d); !id) return id.error();
    ++added;
  }
  // A step found already recorded (after a recovery, or run twice) changes nothing.
  if (added == 0 && gitops_commit.empty()) return {};
  if (auto st = FixCandidate(app, *facts, step, changes, by); !st) return st;
  if (auto st = app.Audit(
          by, "deploy", release_id, env, nullptr,
          {{"step", step}, {"gitops_commit", gitops_commit}, {"changes", ChangesJson(changes)}});
      !st) {
    return st;
  }
  // The step is complete once its last environment is deployed.
  auto steps = FindStep(app.config, step);
  if (steps && !steps->environments.empty() && steps->environments.back() == env) {
    Release r = facts->release;
    ReleaseState next = StateAfterStep(step, app.config.environments.back().name);
    if (CanTransition(r.state, next) && r.state != next) {
      if (auto st = MoveRelease(app, r, next, by, "deployed " + step); !st) return st;
    }
  }
  if (added == 0) return {};
  if (!gitops_commit.empty()) {
    std::vector<std::string> services;
    for (const auto& c : changes) services.push_back(c.service);
    if (auto st = WatchStep(app, release_id, step, env, gitops_commit, by, services); !st) {
      return st;
    }
  }
  return PostStep(app, *facts, step, env, changes, gitops_commit, by, first_deploy);
}

// Whether `step` of `r` may deploy at `when`.
Status CheckDeployAllowed(const App& app, const Release& r, const std::string& step, Instant when) {
  if (auto st = CheckOpen(r); !st) return st;
  if (r.kind != ReleaseKind::kStandard) {
    if (!r.approved) return PolicyError("request " + r.id + " has not been approved by a captain");
    if (r.scheduled_at && when < *r.scheduled_at) {
      return PolicyError("request " + r.id + " is scheduled for " +
                         FormatLocal(*r.scheduled_at, app.config.calendar.tz));
    }
    return {};
  }
  Train train = app.TrainOf(r);
  MilestoneId gate = step == "lower" ? MilestoneId::kLowerDeploy : MilestoneId::kHigherDeploy;
  if (when < train.When(gate)) {
    return PolicyError("release " + r.id + ": " + step + " deploys from " +
                       FormatLocal(train.When(gate), app.config.calendar.tz));
  }
  Instant deadline = train.When(MilestoneId::kOptDeadline);
  if (step == "lower" && OptWindowOpen(deadline, when)) {
    return PolicyError("release " + r.id + ": the opt window is open until " +
                       FormatLocal(deadline, app.config.calendar.tz) +
                       " (that second included); the lower deploy follows it");
  }
  return {};
}

}  // namespace

Status CheckDeploy(const App& app, const DeployArgs& a, std::optional<Instant> when) {
  if (!a.dry_run) {
    if (auto st = CheckActor(a.by); !st) return st;
  }
  auto step = CheckStep(app.config, a.step);
  if (!step) return step.error();
  const auto& envs = step->environments;
  if (!a.env.empty() && std::find(envs.begin(), envs.end(), a.env) == envs.end()) {
    return FieldError("env", a.env + " is not part of step " + a.step);
  }
  auto release = app.GetRelease(a.release_id);
  if (!release) return release.error();
  return CheckDeployAllowed(app, *release, a.step, when.value_or(app.Now()));
}

Result<DeployOutcome> Deploy(const App& app, GitopsRepo& repo, const DeployArgs& a) {
  DeployOutcome outcome;
  if (auto st = CheckDeploy(app, a); !st) return st.error();
  auto step = CheckStep(app.config, a.step);
  if (!step) return step.error();
  std::vector<std::string> envs = step->environments;
  if (!a.env.empty()) envs = {a.env};
  if (!a.dry_run) {
    if (auto st = app.CheckClock(); !st) return st.error();
    auto recovered = RecoverDeploys(app, repo);
    if (!recovered) return recovered.error();
    outcome.recovered = std::move(*recovered);
  }
  auto release = app.GetRelease(a.release_id);
  if (!release) return release.error();
  if (auto st = CheckDeployAllowed(app, *release, a.step, app.Now()); !st) return st.error();
  if (!a.dry_run) {
    // The images are checked against the registry again: one deleted or re-tagged since the
    // plan is refused by the plan below.
    if (auto st = RecheckBeforeDeploy(app, a.release_id, a.by); !st) return st.error();
  }
  auto facts = app.Facts(a.release_id);
  if (!facts) return facts.error();
  Plan plan = ComputePlan(app.config, app.TrainOf(*release), *facts, *step, app.Now());
  std::map<std::string, std::optional<Instant>> signed_at;
  for (const auto& d : plan.decisions) {
    signed_at[d.service] = d.signed_at;
  }

  if (a.dry_run) {  // one fetch: a dry run pushes nothing between environments
    if (auto st = repo.Sync(); !st) return st.error();
  }
  std::vector<EnvDeploy> results;
  for (const auto& env : envs) {
    EnvDeploy out;
    out.env = env;
    if (a.dry_run) {
      std::map<std::string, std::string> originals;
      auto edits = ComputeEdits(app, repo, plan, env, out.changes, &originals);
      if (!edits) return edits.error();
      for (const auto& e : *edits)
        out.diff += UnifiedDiff(e.path, originals[e.path], e.new_contents);
      out.no_change = edits->empty();
      results.push_back(std::move(out));
      continue;
    }
    if (a.on_env) a.on_env(env, "start");
    DeployIntent intent;
    intent.id = NewIntentId(a.release_id, env, app.Now());
    intent.release_id = a.release_id;
    intent.env = env;
    intent.step = a.step;
    intent.by = a.by;
    intent.created_at = app.Now();
    bool intent_recorded = false;
    auto make_edits = [&](GitopsRepo& r) -> Result<std::vector<FileEdit>> {
      auto edits = ComputeEdits(app, r, plan, env, out.changes, nullptr);
      if (!edits) return edits;
      for (auto& c : out.changes) c.signed_at = signed_at[c.service];
      if (!edits->empty() && !intent_recorded) {
        intent.changes = ChangesJson(out.changes).dump();
        if (auto st = app.store.AddIntent(intent); !st) return st.error();
        intent_recorded = true;
        CrashPoint("deploy-after-intent");
      }
      return edits;
    };
    CommitSpec spec;
    spec.trailers = {{"Release", a.release_id},
                     {"Environment", env},
                     {"Deployed-By", a.by},
                     {"Captain-Deploy", intent.id}};
    spec.author_name = app.config.gitops.author_name;
    spec.author_email = app.config.gitops.author_email;
    spec.time = app.Now().time_since_epoch().count();  // --now, like the audit log
    // The subject is known only once the edits are; CommitAndPush takes it up front, so it
    // names the plan's tags (the same ones the edits write).
    std::vector<TagChange> planned;
    for (const auto& d : plan.decisions) {
      if (d.deploy) planned.push_back({d.service, "", "", "", d.tag, d.commit, std::nullopt});
    }
    spec.subject = Subject(env, a.release_id, planned);
    spec.body = "Deployed by captain for release " + a.release_id + " (step " + a.step + ").";
    auto pushed = repo.CommitAndPush(make_edits, spec);
    if (!pushed) {
      if (intent_recorded) {
        (void)app.store.FinishIntent(intent.id, "abandoned", "", app.Now());
      }
      return Error{"deploy to " + env + " failed: " + pushed.error().message, pushed.error().code};
    }
    CrashPoint("deploy-after-push");
    out.gitops_commit = pushed->commit;
    out.no_change = pushed->no_change;
    out.attempts = pushed->attempts;
    if (out.no_change) {
      auto late = LandedLate(app, repo, a.release_id, env, out.changes);
      if (!late) return late.error();
      if (*late) {
        out.gitops_commit = (*late)->gitops_commit;
        outcome.recovered.push_back((*late)->line);
      }
    }
    Status st = app.store.Transaction([&]() -> Status {
      if (FailPoint("deploy-record")) return OtherError("database is locked (CAPTAIN_FAIL_AT)");
      if (auto s = RecordStep(app, a.release_id, a.step, env, out.changes, out.gitops_commit, a.by);
          !s) {
        return s;
      }
      if (intent_recorded)
        return app.store.FinishIntent(intent.id, "done", out.gitops_commit, app.Now());
      return {};
    });
    if (!st && !out.gitops_commit.empty()) {
      // The push has landed: say so, and leave the intent for the next captain to record.
      return Error{"deploy to " + env + " landed as " + out.gitops_commit.substr(0, 12) +
                       ", but recording it failed: " + st.error().message +
                       "; the next captain deploy or rollback records it",
                   st.error().code};
    }
    if (!st) return st.error();
    if (a.on_env) a.on_env(env, "done");
    results.push_back(std::move(out));
  }
  outcome.envs = std::move(results);
  return outcome;
}

Result<std::vector<std::string>> RecoverDeploys(const App& app, GitopsRepo& repo) {
  auto pending = app.store.PendingIntents();
  if (!pending) return pending.error();
  std::vector<std::string> report;
  for (const auto& intent : *pending) {
    // A push in flight when its captain died may still be landing on the server: look again a
    // few times before giving it up (LandedLate catches one that lands later still).
    auto found = repo.FindCommitWithTrailers({{"Captain-Deploy", intent.id}});
    for (int wait_ms : {250, 750, 1500}) {
      if (!found || *found) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      found = repo.FindCommitWithTrailers({{"Captain-Deploy", intent.id}});
    }
    if (!found) return found.error();
    const std::string kind = IsRollbackIntent(intent) ? "rollback" : "deploy";
    const size_t reported = report.size();
    Status st = app.store.Transaction([&]() -> Status {
      report.resize(reported);  // a transaction run again (a lost conflict) reports once
      if (!*found) {
        if (auto s = app.store.FinishIntent(intent.id, "abandoned", "", app.Now()); !s) return s;
        report.push_back(intent.release_id + " " + intent.env + ": the interrupted " + kind +
                         " never reached the remote; abandoned");
        return app.Audit("captain", kind + ".abandoned", intent.release_id, intent.env, nullptr,
                         {{"intent", intent.id}});
      }
      if (IsRollbackIntent(intent)) {
        if (auto s = RecordRollbackIntent(app, intent, **found); !s) return s;
      } else if (auto s = RecordStep(app, intent.release_id, intent.step, intent.env,
                                     ChangesFrom(intent.changes), **found, intent.by);
                 !s) {
        return s;
      }
      if (auto s = app.store.FinishIntent(intent.id, "done", **found, app.Now()); !s) return s;
      report.push_back(intent.release_id + " " + intent.env + ": the interrupted " + kind +
                       " had landed as " + (*found)->substr(0, 12) + "; recorded");
      return app.Audit("captain", kind + ".recovered", intent.release_id, intent.env, nullptr,
                       {{"intent", intent.id}, {"gitops_commit", **found}});
    });
    if (!st) return st.error();
  }
  return report;
}

}  // namespace captain
