#include "app/tick.h"

#include "app/announcement.h"
#include "app/argocd.h"
#include "app/oncall.h"
#include "app/releases.h"
#include "app/slack_people.h"
#include "core/release_state.h"
#include "util/crash_point.h"

namespace captain {
namespace {

constexpr const char* kActor = "captain";

Status Announce(const App& app, const Release& r, const Train& train) {
  auto a = AnnouncementOf(app, r, false);
  if (!a) return a.error();
  if (auto st = app.Post(app.config.channels.on_call, catalogue::Announce(*a), r.id); !st) {
    return st;
  }
  auto captains = CaptainsOfTrain(app, train);
  if (!captains) return captains.error();
  auto ages = Signatures(app);
  if (!ages) return ages.error();
  std::vector<std::string> due;
  for (const auto& a : *ages) {
    if (a.status == SignatureStatus::kDue || a.status == SignatureStatus::kExpired ||
        a.status == SignatureStatus::kWarn) {
      due.push_back(a.service + "@" + a.env + " (" + std::to_string(a.days_left) + " days)");
    }
  }
  if (!due.empty()) {
    const Team* platform = app.config.PlatformTeam();
    if (auto st = app.Post(platform ? platform->channel : app.config.channels.on_call,
                           catalogue::SignaturesExpiring(
                               due, platform ? TeamMention(app.config, platform->name) : ""),
                           r.id);
        !st) {
      return st;
    }
  }
  CrashPoint("tick-announce");  // the announcement queued, its transaction not yet committed
  return app.Audit(kActor, "tick.announce", r.id, "", nullptr,
                   {{"milestone", FormatUtc(train.When(MilestoneId::kAnnounce))},
                    {"signatures_expiring", due},
                    {"captains", {captains->primary, captains->secondary}}});
}

Status CloseOptWindow(const App& app, Release& r, const Train& train) {
  auto facts = app.Facts(r.id);
  if (!facts) return facts.error();
  Instant deadline = train.When(MilestoneId::kOptDeadline);
  FactsIndex ix(*facts);
  std::vector<std::string> in, out, silent;
  for (const auto& s : app.config.services) {
    switch (EffectiveOpt(app.config, ix, s.name, deadline, deadline + std::chrono::seconds{1})) {
      case OptStatus::kIn:
        in.push_back(s.name);
        break;
      case OptStatus::kOut:
        out.push_back(s.name);
        break;
      default:
        silent.push_back(s.name);
        break;
    }
  }
  for (const auto& s : silent) {
    if (auto st = app.Audit(kActor, "opt.no-response", r.id, s, nullptr,
                            {{"reason", "no-response"}, {"deadline", FormatUtc(deadline)}});
        !st) {
      return st;
    }
  }
  if (r.state == ReleaseState::kCollecting) {
    if (auto st = MoveRelease(app, r, ReleaseState::kOptClosed, kActor, "opt-in deadline passed");
        !st) {
      return st;
    }
  }
  if (auto st = UpdateAnnouncement(app, r, true); !st) return st;
  return app.Post(app.config.channels.announce, catalogue::OptWindowClosed(r.id, in, out, silent),
                  r.id);
}

Status RemindValidation(const App& app, const Release& r, const Train& train) {
  auto facts = app.store.LoadFacts(r.id);
  if (!facts) return facts.error();
  std::vector<std::string> missing = TeamsAwaitingLowerSignoff(app.config, *facts);
  auto lower = app.config.LowerEnvironments();
  std::string env = lower.empty() ? "" : lower.back();
  std::string deadline =
      FormatLocal(train.When(MilestoneId::kValidationDeadline), app.config.calendar.tz);
  for (const auto& t : missing) {
    const Team* team = app.config.FindTeam(t);
    if (auto st = app.Post(
            team->channel,
            catalogue::ValidationReminder(r.id, t, TeamMention(app.config, t), env, deadline),
            r.id);
        !st) {
      return st;
    }
  }
  return app.Audit(kActor, "tick.validation-reminder", r.id, "", nullptr, {{"missing", missing}});
}

Status DefectCutoff(const App& app, const Release& r, const Train& train) {
  auto steps = StepsOf(app.config);
  if (steps.size() < 2) return {};
  auto facts = app.Facts(r.id);
  if (!facts) return facts.error();
  Plan plan = ComputePlan(app.config, train, *facts, steps[1], app.Now());
  nlohmann::json held = nlohmann::json::object();
  std::vector<std::string> names;
  for (const auto& d : plan.decisions) {
    if (!d.deploy && (d.reason == kOpenDefect || d.reason == kNotValidated)) {
      held[d.service] = d.reason;
      names.push_back(d.service + " (" + d.reason + ")");
    }
  }
  if (auto st = app.Audit(kActor, "tick.defect-cutoff", r.id, "", nullptr, {{"held_back", held}});
      !st) {
    return st;
  }
  if (names.empty()) return {};
  return app.Post(app.config.channels.announce, catalogue::DefectCutoff(r.id, names), r.id);
}

}  // namespace

Result<std::vector<std::string>> Tick(const App& app) {
  auto expired = ExpireWatches(app);
  if (!expired) return expired.error();
  std::vector<std::string> done = *expired;
  const auto& cal = app.config.calendar;
  Train current = ComputeTrain(cal, SprintIndexAt(cal, app.Now()));
  if (app.Now() >= current.When(MilestoneId::kAnnounce)) {
    auto existing = app.store.FindRelease(FormatDate(current.release_day));
    if (!existing) return existing.error();
    if (!*existing) {
      auto opened = OpenRelease(app, current.release_day, kActor);
      if (opened) {
        done.push_back(opened->id + ": opened");
      } else {
        // Another captain process may have opened it a moment ago: that is no failure.
        auto now_there = app.store.FindRelease(FormatDate(current.release_day));
        if (!now_there || !*now_there) return opened.error();
      }
    }
  }
  auto releases = app.store.ListOpenReleases();
  if (!releases) return releases.error();
  for (auto r : *releases) {
    if (r.kind != ReleaseKind::kStandard || IsFinal(r.state)) continue;
    Train train = app.TrainOf(r);
    const size_t reported = done.size();
    Status st = app.store.Transaction([&]() -> Status {
      done.resize(reported);  // a transaction run again (a lost conflict) reports once
      auto marks = app.store.DoneActions(r.id);
      if (!marks) return marks.error();
      for (TickAction a : DueTickActions(train, app.Now(), *marks)) {
        auto fresh = app.store.MarkDone(r.id, std::string(TickActionName(a)), app.Now());
        if (!fresh) return fresh.error();
        if (!*fresh) continue;
        Status s;
        switch (a) {
          case TickAction::kAnnounce:
            s = Announce(app, r, train);
            break;
          case TickAction::kCloseOptWindow:
            s = CloseOptWindow(app, r, train);
            break;
          case TickAction::kValidationReminder:
            s = RemindValidation(app, r, train);
            break;
          case TickAction::kDefectCutoff:
            s = DefectCutoff(app, r, train);
            break;
        }
        if (!s) return s;
        done.push_back(r.id + ": " + std::string(TickActionName(a)));
      }
      return {};
    });
    if (!st) return st.error();
  }
  return done;
}

Result<Plan> PlanRelease(const App& app, const std::string& id, const std::string& step_name) {
  auto step = CheckStep(app.config, step_name);
  if (!step) return step.error();
  auto release = app.GetRelease(id);
  if (!release) return release.error();
  auto facts = app.Facts(id);
  if (!facts) return facts.error();
  return ComputePlan(app.config, app.TrainOf(*release), *facts, *step, app.Now());
}

Result<std::vector<SignatureAge>> Signatures(const App& app) {
  auto running = app.store.LoadRunning();
  if (!running) return running.error();
  const auto& cal = app.config.calendar;
  Train next = TrainsFrom(cal, LocalDate(cal.tz, app.Now()), 1).front();
  if (next.When(MilestoneId::kHigherDeploy) < app.Now()) next = ComputeTrain(cal, next.index + 1);
  Train following = ComputeTrain(cal, next.index + 1);
  return SignatureAges(app.config, *running, app.Now(), next, following);
}

}  // namespace captain
