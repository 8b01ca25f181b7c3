// The command table: each module adds its subcommands; each sets `exit_code` when it runs.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "app/ops.h"
#include "cli/context.h"

namespace captain {

struct CommandHost {
  CLI::App& app;
  Context& ctx;
  int& exit_code;

  // Adds a subcommand whose body runs after parsing; its return value is the exit code.
  CLI::App* Add(CLI::App& parent, const std::string& name, const std::string& help,
                std::function<int()> body);
  CLI::App* Add(const std::string& name, const std::string& help, std::function<int()> body) {
    return Add(app, name, help, std::move(body));
  }
};

// Runs an operation with these fields, acting as DefaultActor(by), and prints its document
// (--json) or the text `render` makes of it. Returns the exit code.
int RunOp(Context& ctx, OpFn op, nlohmann::json body, const std::string& by,
          const std::function<std::string(const nlohmann::json&)>& render);

// A field of a document as text: strings as they are, anything else as JSON.
inline std::string Str(const nlohmann::json& j, const char* key) {
  return j.at(key).is_string() ? j.at(key).get<std::string>() : j.at(key).dump();
}
// An optional field: null when empty.
inline nlohmann::json Optional(const std::string& v) {
  return v.empty() ? nlohmann::json() : nlohmann::json(v);
}

// --json: the document; otherwise render(document).
void PrintDocument(Context& ctx, const Document& doc,
                   const std::function<std::string(const nlohmann::json&)>& render);

void AddConfigCommands(CommandHost& host);
void AddCalendarCommands(CommandHost& host);
void AddGitopsCommands(CommandHost& host);
void AddReleaseCommands(CommandHost& host);
void AddParticipationCommands(CommandHost& host);
void AddDeployCommands(CommandHost& host);
void AddServeCommands(CommandHost& host);
void AddOncallCommands(CommandHost& host);
void AddNotifyCommands(CommandHost& host);

// Runs captain with these arguments (argv[0] excluded); returns the exit code.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace captain
