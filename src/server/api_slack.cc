// Slack's calls into captain: the /captain slash command and the buttons of captain's
// messages. Each becomes the API route it stands for, authorized with the roles captain.yaml
// gives the Slack user (slack.users, slack.groups) exactly as a token's would be, and run with
// the actor `slack:<user id> (<name>)`.

#include <cstdlib>

#include "app/slack_people.h"
#include "notify/catalogue.h"
#include "notify/slack_signature.h"
#include "server/api.h"
#include "server/http_wire.h"
#include "server/slack_command.h"

namespace captain {
namespace {

const Route* RouteNamed(const std::string& name) {
  for (const auto& r : Routes()) {
    if (name == r.name) return &r;
  }
  return nullptr;
}

HttpAnswer Ephemeral(const std::string& text) {
  nlohmann::json j = {{"response_type", "ephemeral"}, {"text", text}};
  return {200, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

// What a successful operation tells the Slack user.
std::string Done(const std::string& route, const nlohmann::json& v) {
  if (route == "opt") {
    std::string services;
    for (const auto& s : v.value("services", nlohmann::json::array())) {
      services += (services.empty() ? " (" : ", ") + s.get<std::string>();
    }
    if (!services.empty()) services += ")";
    return "Recorded: team " + v.value("team", "") + " is " + v.value("answer", "") + services +
           " for release " + v.value("release", "") + ".";
  }
  if (route == "signoff") {
    return "Recorded: team " + v.value("team", "") + " signed off " + v.value("env", "") +
           " for release " + v.value("release", "") + ".";
  }
  if (route == "requests.file") {
    return "Filed " + v.value("id", "") + "; a release captain approves it before it deploys.";
  }
  return "Done.";
}

}  // namespace

Status Api::VerifySlack(const HttpRequest& req) {
  auto config = pool_.config();
  const char* secret = std::getenv(config->slack.signing_secret_env.c_str());
  SystemClock wall;  // Slack's timestamps are real time, whatever --now says
  return VerifySlackRequest(secret ? secret : "", req.slack_timestamp, req.slack_signature,
                            req.body, wall.Now());
}

std::string Api::RunForSlack(const std::string& user_id, const std::string& user_name,
                             const std::string& route_name, nlohmann::json fields,
                             std::string& actor) {
  auto config = pool_.config();
  SlackActor who =
      SlackActorOf(*config, user_id, user_name, slack_groups_.GroupsOf(*config, user_id));
  actor = who.actor;
  if (!who.known || who.roles.empty()) {
    return "captain does not know your Slack user (" + user_id +
           "): a captain adds it to slack.users (or one of your groups to slack.groups) in "
           "captain.yaml, with your team.";
  }
  const Route* r = RouteNamed(route_name);
  if (!r) return "captain cannot do that from Slack.";
  // Authorized as the person (captains and admins are named people); recorded as Slack's user.
  Caller caller{who.name, who.roles};
  if (auto st = Authorize(caller, *r, fields); !st) {
    return "Refused: " + st.error().message + ".";
  }
  OpRequest op{fields, who.actor, nullptr};
  auto doc = pool_.Run([&](const App& app) { return r->op(app, op); }, r->serialize);
  if (!doc) return "Refused: " + doc.error().message;
  return Done(route_name, doc->value);
}

HttpAnswer Api::SlackCommand(const HttpRequest& req, std::string& actor) {
  if (auto st = VerifySlack(req); !st) return ErrorAnswer(401, OtherError(st.error().message));
  std::multimap<std::string, std::string> form;
  ParseQuery(req.body, form);
  auto field = [&](const char* key) {
    auto it = form.find(key);
    return it == form.end() ? std::string() : it->second;
  };
  ParsedCommand c = ParseSlackCommand(field("text"));
  if (c.status || c.needs_release) {
    auto list = pool_.Run([](const App& app) { return OpReleaseList(app, {}); }, false);
    if (!list) return Ephemeral("captain: " + list.error().Text());
    std::string out, current;
    for (const auto& r : list->value["releases"]) {
      std::string state = r["state"].get<std::string>();
      if (state == "signed-off" || state == "cancelled" || state == "rolled-back") continue;
      out +=
          r["id"].get<std::string>() + " (" + r["kind"].get<std::string>() + "): " + state + "\n";
      if (r["kind"] == "standard") current = r["id"].get<std::string>();
    }
    if (c.status) return Ephemeral(out.empty() ? "No release is open." : "Open releases:\n" + out);
    if (current.empty()) return Ephemeral("No standard release is open.");
    c.fields["release"] = current;
  }
  if (c.route.empty()) return Ephemeral(c.reply);
  return Ephemeral(RunForSlack(field("user_id"), field("user_name"), c.route, c.fields, actor));
}

HttpAnswer Api::SlackInteraction(const HttpRequest& req, std::string& actor) {
  if (auto st = VerifySlack(req); !st) return ErrorAnswer(401, OtherError(st.error().message));
  std::multimap<std::string, std::string> form;
  ParseQuery(req.body, form);
  auto it = form.find("payload");
  nlohmann::json payload =
      it == form.end() ? nlohmann::json() : nlohmann::json::parse(it->second, nullptr, false);
  if (!payload.is_object() || payload.value("type", "") != "block_actions") {
    return ErrorAnswer(400, UsageError("expected a block_actions payload"));
  }
  const auto& user = payload.value("user", nlohmann::json::object());
  std::string user_id = user.value("id", "");
  std::string user_name = user.value("username", user.value("name", ""));
  std::string channel = payload.value("channel", nlohmann::json::object()).value("id", "");
  std::vector<std::string> answers;
  for (const auto& a : payload.value("actions", nlohmann::json::array())) {
    std::string id = a.value("action_id", "");
    nlohmann::json value = nlohmann::json::parse(a.value("value", ""), nullptr, false);
    if (!value.is_object()) continue;
    nlohmann::json fields;
    std::string route;
    if (id == "opt_in" || id == "opt_out") {
      route = "opt";
      fields = {{"release", value.value("release", "")},
                {"team", value.value("team", "")},
                {"answer", id == "opt_in" ? "in" : "out"},
                {"services", nlohmann::json::array()}};
    } else if (id == "signoff") {
      route = "signoff";
      fields = {{"release", value.value("release", "")},
                {"team", value.value("team", "")},
                {"env", value.value("env", "")}};
    } else {
      continue;
    }
    answers.push_back(RunForSlack(user_id, user_name, route, fields, actor));
  }
  if (answers.empty()) return ErrorAnswer(400, UsageError("no action captain knows"));
  // Slack shows nothing of this answer for block actions: the user hears back ephemerally.
  if (!channel.empty() && !user_id.empty()) {
    std::string text;
    for (const auto& a : answers) text += (text.empty() ? "" : "\n") + a;
    auto queued = pool_.Run(
        [&](const App& app) -> Result<Document> {
          if (auto st = app.Post(channel, catalogue::Ephemeral(user_id, text), ""); !st) {
            return st.error();
          }
          return Document{};
        },
        true);
    if (!queued) return ErrorAnswer(StatusOf(queued.error()), queued.error());
  }
  return {200, "", "text/plain"};
}

}  // namespace captain
