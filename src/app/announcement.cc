#include "app/announcement.h"

#include "app/oncall.h"
#include "app/slack_people.h"

namespace captain {

Result<catalogue::Announcement> AnnouncementOf(const App& app, const Release& r, bool closed) {
  Train train = app.TrainOf(r);
  catalogue::Announcement a;
  a.release = r.id;
  a.opt_deadline = FormatLocal(train.When(MilestoneId::kOptDeadline), app.config.calendar.tz);
  a.lower_deploy = FormatLocal(train.When(MilestoneId::kLowerDeploy), app.config.calendar.tz);
  a.closed = closed;
  auto captains = CaptainsOfTrain(app, train);
  if (!captains) return captains.error();
  a.captains = CaptainsMention(app.config, *captains);
  auto facts = app.store.LoadFacts(r.id);
  if (!facts) return facts.error();
  for (const auto& t : app.config.teams) {
    if (t.platform) {
      for (const auto& s : app.config.services) {
        if (s.team == t.name) a.platform_services.push_back(s.name);
      }
      continue;
    }
    catalogue::TeamAnswer answer{t.name, TeamMention(app.config, t.name), "", ""};
    // The latest answer for the whole team, or for some of its services, wins.
    std::vector<std::string> services;
    for (const auto& o : facts->opts) {
      if (o.team != t.name) continue;
      std::string said = o.answer == OptAnswer::kIn ? "in" : "out";
      if (o.service.empty()) {
        services.clear();
        answer.answer = said;
      } else if (said == "in") {
        services.push_back(o.service);
        answer.answer = "in";
      }
      answer.detail = "by " + o.by;
    }
    if (!services.empty()) {
      std::string list;
      for (const auto& s : services) list += (list.empty() ? "" : ", ") + s;
      answer.detail = list + ", " + answer.detail;
    }
    a.partners.push_back(answer);
  }
  return a;
}

Status UpdateAnnouncement(const App& app, const Release& r, bool closed) {
  auto posted = app.store.FindMessage("announce:" + r.id);
  if (!posted) return posted.error();
  if (!*posted) return {};
  auto a = AnnouncementOf(app, r, closed);
  if (!a) return a.error();
  return app.Post((*posted)->channel, catalogue::AnnounceUpdate(*a), r.id);
}

}  // namespace captain
