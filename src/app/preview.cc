#include "app/preview.h"

#include "app/announcement.h"
#include "app/oncall.h"
#include "app/slack_people.h"
#include "notify/catalogue.h"
#include "util/text.h"

namespace captain {
namespace {

namespace cat = catalogue;

std::string Names(const std::vector<std::string>& v) { return Join(v, ", "); }

}  // namespace

Result<Message> PreviewMessage(const App& app, const std::string& event,
                               const std::string& release_id) {
  const auto& names = cat::EventNames();
  if (std::find(names.begin(), names.end(), event) == names.end()) {
    return FieldError("event", "unknown event '" + event + "'; one of: " + Names(names));
  }
  const Config& c = app.config;
  // The release: named, else the newest open standard one, else an example.
  std::optional<Release> release;
  if (!release_id.empty()) {
    auto r = app.GetRelease(release_id);
    if (!r) return r.error();
    release = *r;
  } else {
    auto open = app.store.ListOpenReleases();
    if (!open) return open.error();
    for (const auto& r : *open) {
      if (r.kind == ReleaseKind::kStandard) release = r;
    }
  }
  const auto& cal = app.config.calendar;
  Train next = ComputeTrain(cal, SprintIndexAt(cal, app.Now()));
  std::string id = release ? release->id : FormatDate(next.release_day);
  std::string captains;
  if (release) {
    auto cap = CaptainsOfRelease(app, id);
    if (!cap) return cap.error();
    captains = CaptainsMention(c, *cap);
  }
  std::string first_service = c.services.empty() ? "service" : c.services.front().name;
  std::string team = c.TeamOf(first_service);
  std::string lower = c.LowerEnvironments().empty() ? "dev" : c.LowerEnvironments().front();
  std::string higher = c.environments.empty() ? "prod" : c.environments.back().name;
  std::string commit = "0123456789abcdef0123456789abcdef01234567";
  cat::Step step{id, "lower", lower, commit, "alice", TeamsMention(c, {team}), {}};
  for (const auto& s : c.services) {
    if (step.changes.size() == 3) break;
    step.changes.push_back({s.name, "1111111", "2222222"});
  }
  std::vector<std::string> services;
  for (const auto& ch : step.changes) services.push_back(ch.service);
  std::string app_name = c.argocd.app_pattern;
  for (auto [key, value] :
       {std::pair<std::string, std::string>{"{service}", first_service}, {"{env}", lower}}) {
    if (auto at = app_name.find(key); at != std::string::npos)
      app_name.replace(at, key.size(), value);
  }

  if (event == "announce") {
    if (!release) {
      cat::Announcement a{id,
                          FormatLocal(next.When(MilestoneId::kOptDeadline), cal.tz),
                          FormatLocal(next.When(MilestoneId::kLowerDeploy), cal.tz),
                          "",
                          {},
                          {},
                          false};
      for (const auto& t : c.teams) {
        if (!t.platform) a.partners.push_back({t.name, TeamMention(c, t.name), "", ""});
      }
      for (const auto& s : c.services) {
        const Team* t = c.FindTeam(s.team);
        if (t && t->platform) a.platform_services.push_back(s.name);
      }
      return cat::Announce(a);
    }
    auto a = AnnouncementOf(app, *release, false);
    if (!a) return a.error();
    return cat::Announce(*a);
  }
  if (event == "opt-closed") return cat::OptWindowClosed(id, services, {}, {});
  if (event == "step-started") return cat::StepStarted(step);
  if (event == "step-progress") {
    return cat::StepProgress(cat::StepKey(id, lower, commit), app_name, "Synced", "Healthy",
                             commit);
  }
  if (event == "step-verified") return cat::StepVerified(step, {app_name});
  if (event == "step-unverified") {
    return cat::StepNotVerified(step, {first_service}, c.argocd.verify_timeout_minutes);
  }
  if (event == "team-deployed") return cat::TeamDeployed(step, team);
  if (event == "release-notes") {
    std::vector<std::pair<std::string, std::vector<std::string>>> sections;
    if (release) {
      auto facts = app.store.LoadFacts(id);
      if (!facts) return facts.error();
      for (auto category : kNoteCategories) {
        std::vector<std::string> lines;
        for (const auto& n : facts->notes) {
          if (n.category == category) lines.push_back(n.text);
        }
        if (!lines.empty()) sections.emplace_back(std::string(category), lines);
      }
    }
    return cat::ReleaseNotes(id, sections, sections.empty());
  }
  if (event == "validation-reminder") {
    return cat::ValidationReminder(id, team, TeamMention(c, team), lower, "Wednesday 17:00");
  }
  if (event == "defect-cutoff") return cat::DefectCutoff(id, {first_service + " (open-defect)"});
  if (event == "signed-off") return cat::ReleaseSignedOff(id, higher, "alice", captains);
  if (event == "rollback") {
    return cat::RolledBack({id,
                            lower,
                            "alice",
                            "errors after the deploy",
                            1,
                            TeamsMention(c, {team}),
                            {{first_service, "2222222", "1111111"}}});
  }
  if (event == "signatures-expiring") {
    return cat::SignaturesExpiring({first_service + "@" + higher + " (5 days)"},
                                   c.PlatformTeam() ? TeamMention(c, c.PlatformTeam()->name) : "");
  }
  if (event == "request-filed") {
    return cat::RequestFiled({"adhoc-" + id + "-1",
                              "ad-hoc",
                              "cc-lead",
                              {first_service},
                              commit,
                              "fix the lookup",
                              captains});
  }
  if (event == "request-approved") return cat::RequestApproved("adhoc-" + id + "-1", "alice", "");
  if (event == "request-refused") {
    return cat::RequestRefused("adhoc-" + id + "-1", "alice", "not validated in the lower regions");
  }
  return cat::ArgoAlert({app_name, first_service, lower, "sync-failed", "OutOfSync", "Degraded",
                         commit, "one or more objects failed to apply", TeamMention(c, team)});
}

}  // namespace captain
