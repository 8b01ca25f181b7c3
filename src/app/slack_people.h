// Who is who on Slack, from captain.yaml's slack.users and slack.groups: the mentions that
// messages carry, and the roles a Slack user acts with.
#pragma once

#include <string>
#include <vector>

#include "app/app.h"
#include "core/oncall.h"

namespace captain {

// "<!subteam^S…>" for the team's user groups, else "<@U…>" for its users; "" when
// captain.yaml names no Slack id for the team.
std::string TeamMention(const Config& c, const std::string& team);
// "<@U…>" for the person named `name`, else the name itself.
std::string PersonMention(const Config& c, const std::string& name);
// "<@U1> (primary), <@U2> (secondary)"; "" when nobody is named.
std::string CaptainsMention(const Config& c, const Captains& captains);
// The teams' mentions, space-separated, each once.
std::string TeamsMention(const Config& c, const std::vector<std::string>& teams);

// A Slack user as captain knows them: the audit actor ("slack:U0123 (dana)") and the roles
// of the user and of the groups it belongs to (`groups`: the user's group ids).
struct SlackActor {
  std::string actor;
  std::string name;
  std::vector<std::string> roles;
  bool known = false;  // named in slack.users or a member of a group in slack.groups
};
SlackActor SlackActorOf(const Config& c, const std::string& user_id, const std::string& user_name,
                        const std::vector<std::string>& groups);

}  // namespace captain
