#include "app/slack_people.h"

#include <algorithm>

namespace captain {

std::string TeamMention(const Config& c, const std::string& team) {
  std::string role = "team:" + team;
  auto has = [&](const SlackPrincipal& p) {
    return std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end();
  };
  std::string out;
  for (const auto& g : c.slack.groups) {
    if (has(g)) out += (out.empty() ? "" : " ") + std::string("<!subteam^") + g.id + ">";
  }
  if (!out.empty()) return out;
  for (const auto& u : c.slack.users) {
    if (has(u)) out += (out.empty() ? "" : " ") + std::string("<@") + u.id + ">";
  }
  return out;
}

std::string PersonMention(const Config& c, const std::string& name) {
  for (const auto& u : c.slack.users) {
    if (u.name == name) return "<@" + u.id + ">";
  }
  return name;
}

std::string CaptainsMention(const Config& c, const Captains& captains) {
  if (captains.primary.empty()) return "";
  std::string out = PersonMention(c, captains.primary) + " (primary)";
  if (!captains.secondary.empty()) {
    out += ", " + PersonMention(c, captains.secondary) + " (secondary)";
  }
  return out;
}

std::string TeamsMention(const Config& c, const std::vector<std::string>& teams) {
  std::vector<std::string> seen;
  std::string out;
  for (const auto& t : teams) {
    if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
    seen.push_back(t);
    std::string m = TeamMention(c, t);
    if (!m.empty()) out += (out.empty() ? "" : " ") + m;
  }
  return out;
}

SlackActor SlackActorOf(const Config& c, const std::string& user_id, const std::string& user_name,
                        const std::vector<std::string>& groups) {
  SlackActor a;
  a.name = user_name;
  auto add = [&](const SlackPrincipal& p) {
    a.known = true;
    for (const auto& r : p.roles) {
      if (std::find(a.roles.begin(), a.roles.end(), r) == a.roles.end()) a.roles.push_back(r);
    }
  };
  if (const SlackPrincipal* u = c.slack.FindUser(user_id)) {
    add(*u);
    a.name = u->name;  // captain.yaml's name, not the one the user chose in Slack
  }
  for (const auto& g : c.slack.groups) {
    if (std::find(groups.begin(), groups.end(), g.id) != groups.end()) add(g);
  }
  a.actor = "slack:" + user_id + (a.name.empty() ? "" : " (" + a.name + ")");
  return a;
}

}  // namespace captain
