#include "app/scheduled.h"

#include "app/releases.h"
#include "core/scheduled_check.h"
#include "util/text.h"

namespace captain {
namespace {

std::string What(const ScheduledStep& s) {
  return "scheduled " + s.step + (s.env.empty() ? "" : " (" + s.env + ")") + " deploy #" +
         std::to_string(s.id) + " of " + s.release_id;
}

Result<Plan> PlanNow(const App& app, const std::string& release_id, const std::string& step) {
  auto release = app.GetRelease(release_id);
  if (!release) return release.error();
  auto st = CheckStep(app.config, step);
  if (!st) return st.error();
  auto facts = app.Facts(release_id);
  if (!facts) return facts.error();
  return ComputePlan(app.config, app.TrainOf(*release), *facts, *st, app.Now());
}

// Tells the on-call channel, and each team with a service held, why the step did not run.
Status PostRefusal(const App& app, const ScheduledStep& s, const std::vector<std::string>& why) {
  std::string text = What(s) + " did not run at " + FormatLocal(s.at, app.config.calendar.tz) +
                     ": " + Join(why, "; ") + ". Deploy it by hand once this is settled, or " +
                     "schedule it again.";
  if (auto st = app.Notify(app.config.channels.on_call, text, s.release_id); !st) return st;
  std::vector<std::string> teams;
  for (const auto& line : why) {
    std::string team = app.config.TeamOf(line.substr(0, line.find(':')));
    if (team.empty() || std::find(teams.begin(), teams.end(), team) != teams.end()) continue;
    teams.push_back(team);
    if (auto st = app.Notify(app.config.ChannelOf(team), text, s.release_id); !st) return st;
  }
  return {};
}

}  // namespace

nlohmann::json ScheduledJson(const ScheduledStep& s) {
  return {{"id", s.id},
          {"release", s.release_id},
          {"tier", s.step},
          {"env", s.env.empty() ? nlohmann::json() : nlohmann::json(s.env)},
          {"at", FormatUtc(s.at)},
          {"by", s.by},
          {"created_at", FormatUtc(s.created_at)},
          {"state", s.state},
          {"detail", s.detail},
          {"finished_at", s.finished_at ? nlohmann::json(FormatUtc(*s.finished_at)) : nullptr}};
}

Result<ScheduledStep> ScheduleDeploy(const App& app, const DeployArgs& a, Instant at) {
  if (at <= app.Now()) {
    return FieldError("at",
                      FormatUtc(at) + " is not in the future (now " + FormatUtc(app.Now()) + ")");
  }
  if (auto st = CheckDeploy(app, a, at); !st) return st.error();
  auto plan = PlanNow(app, a.release_id, a.step);
  if (!plan) return plan.error();
  ScheduledStep s;
  s.release_id = a.release_id;
  s.step = a.step;
  s.env = a.env;
  s.at = at;
  s.by = a.by;
  s.created_at = app.Now();
  s.holds = HoldsOf(*plan);
  Status st = app.store.Transaction([&]() -> Status {
    auto id = app.store.AddScheduled(s);
    if (!id) return id.error();
    s.id = *id;
    if (auto n = app.Notify(
            app.config.channels.on_call,
            What(s) + " set for " + FormatLocal(at, app.config.calendar.tz) + " by " + a.by,
            a.release_id);
        !n) {
      return n;
    }
    return app.Audit(a.by, "deploy.schedule", a.release_id, a.step, nullptr, ScheduledJson(s));
  });
  if (!st) return st.error();
  return s;
}

Status CancelScheduled(const App& app, int64_t id, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  return app.store.Transaction([&]() -> Status {
    auto all = app.store.ListScheduled(/*pending_only=*/false);
    if (!all) return all.error();
    for (const auto& s : *all) {
      if (s.id != id) continue;
      auto moved = app.store.FinishScheduled(id, "cancelled", "cancelled by " + by, app.Now());
      if (!moved) return moved.error();
      if (!*moved) return PolicyError(What(s) + " is already " + s.state);
      return app.Audit(by, "deploy.schedule-cancel", s.release_id, s.step, ScheduledJson(s),
                       {{"state", "cancelled"}});
    }
    return NotFoundError("unknown scheduled step #" + std::to_string(id));
  });
}

Result<std::vector<std::string>> RunDueScheduled(const App& app, GitopsRepo& repo) {
  auto pending = app.store.ListScheduled(/*pending_only=*/true);
  if (!pending) return pending.error();
  std::vector<std::string> lines;
  for (const auto& s : *pending) {
    if (s.at > app.Now()) break;
    DeployArgs a{s.release_id, s.step, s.env, false, s.by, nullptr};
    std::vector<std::string> why;
    if (auto st = CheckDeploy(app, a); !st) {
      why.push_back(st.error().Text());
    } else {
      auto plan = PlanNow(app, s.release_id, s.step);
      if (!plan) return plan.error();
      why = NewBlockingHolds(s.holds, *plan);
    }
    if (!why.empty()) {
      Status st = app.store.Transaction([&]() -> Status {
        auto moved = app.store.FinishScheduled(s.id, "refused", Join(why, "; "), app.Now());
        if (!moved) return moved.error();
        if (!*moved) return {};  // another daemon or a cancel got there first
        if (auto p = PostRefusal(app, s, why); !p) return p;
        return app.Audit("captain", "deploy.schedule-refused", s.release_id, s.step, nullptr,
                         {{"id", s.id}, {"why", why}});
      });
      if (!st) return st.error();
      lines.push_back(What(s) + ": refused: " + Join(why, "; "));
      continue;
    }
    auto out = Deploy(app, repo, a);
    std::string state = out ? "done" : "failed";
    std::string detail =
        out ? std::to_string(out->envs.size()) + " environment(s) deployed" : out.error().Text();
    auto moved = app.store.FinishScheduled(s.id, state, detail, app.Now());
    if (!moved) return moved.error();
    if (!out) {
      if (auto p = PostRefusal(app, s, {"the deploy failed: " + detail}); !p) return p.error();
    }
    lines.push_back(What(s) + ": " + state + " (" + detail + ")");
  }
  return lines;
}

}  // namespace captain
