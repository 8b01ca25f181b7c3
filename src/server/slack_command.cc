#include "server/slack_command.h"

#include <sstream>
#include <vector>

namespace captain {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

ParsedCommand Usage(const std::string& what) {
  ParsedCommand c;
  c.reply = "Usage: /captain " + what + " (/captain help lists every command)";
  return c;
}

}  // namespace

const std::string& SlackCommandHelp() {
  static const std::string kHelp =
      "/captain status: the open releases\n"
      "/captain opt in TEAM [SERVICE…]: opt the team (or some of its services) into the "
      "release\n"
      "/captain opt out TEAM: opt the team out of the release\n"
      "/captain signoff TEAM ENV: sign off the team's validation in ENV\n"
      "/captain request adhoc|emergency COMMIT SERVICE[,SERVICE…] CHANGELOG…: ask for a "
      "deployment\n"
      "/captain help: this list";
  return kHelp;
}

ParsedCommand ParseSlackCommand(const std::string& text) {
  auto w = Words(text);
  ParsedCommand c;
  if (w.empty() || w[0] == "help") {
    c.reply = SlackCommandHelp();
    return c;
  }
  if (w[0] == "status") {
    c.status = true;
    return c;
  }
  if (w[0] == "opt") {
    if (w.size() < 3 || (w[1] != "in" && w[1] != "out")) {
      return Usage("opt in TEAM [SERVICE…] | opt out TEAM");
    }
    if (w[1] == "out" && w.size() > 3) return Usage("opt out TEAM (a team opts out whole)");
    c.route = "opt";
    c.needs_release = true;
    c.fields = {{"team", w[2]}, {"answer", w[1]}, {"services", nlohmann::json::array()}};
    for (size_t i = 3; i < w.size(); ++i) c.fields["services"].push_back(w[i]);
    return c;
  }
  if (w[0] == "signoff") {
    if (w.size() != 3) return Usage("signoff TEAM ENV");
    c.route = "signoff";
    c.needs_release = true;
    c.fields = {{"team", w[1]}, {"env", w[2]}};
    return c;
  }
  if (w[0] == "request") {
    if (w.size() < 5 || (w[1] != "adhoc" && w[1] != "emergency")) {
      return Usage("request adhoc|emergency COMMIT SERVICE[,SERVICE…] CHANGELOG…");
    }
    c.route = "requests.file";
    nlohmann::json services = nlohmann::json::array();
    std::istringstream list(w[3]);
    for (std::string s; std::getline(list, s, ',');) {
      if (!s.empty()) services.push_back(s);
    }
    std::string changelog;
    for (size_t i = 4; i < w.size(); ++i) changelog += (changelog.empty() ? "" : " ") + w[i];
    c.fields = {{"kind", w[1]}, {"commit", w[2]}, {"services", services}, {"changelog", changelog}};
    return c;
  }
  c.reply = "Unknown command '" + w[0] + "'.\n" + SlackCommandHelp();
  return c;
}

}  // namespace captain
