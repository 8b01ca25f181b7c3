// The /captain slash command's words, read into the API route they stand for: a pure parse,
// so that Slack reaches exactly the operations (and the authorization) a token does.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace captain {

struct ParsedCommand {
  std::string route;           // the route's name ("opt", "signoff", "requests.file"); "" for none
  nlohmann::json fields;       // the operation's fields, without the release when it is implied
  bool needs_release = false;  // fill `release` with the open standard release
  std::string reply;           // no route: what to answer (help, status, a usage error)
  bool status = false;         // `status`: list the open releases
};

ParsedCommand ParseSlackCommand(const std::string& text);

// What `/captain help` answers.
const std::string& SlackCommandHelp();

}  // namespace captain
