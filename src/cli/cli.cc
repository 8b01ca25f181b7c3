#include <ostream>

#include "cli/commands.h"

namespace captain {

CLI::App* CommandHost::Add(CLI::App& parent, const std::string& name, const std::string& help,
                           std::function<int()> body) {
  CLI::App* sub = parent.add_subcommand(name, help);
  sub->callback([this, sub, body = std::move(body)] {
    // Errors about a positional argument name it as the help does (ID, EVENT), not as a flag.
    ctx.positionals.clear();
    for (const CLI::Option* o : sub->get_options()) {
      if (o->get_positional()) ctx.positionals.push_back(o->get_name());
    }
    if (auto st = ctx.Prepare(); !st) {
      exit_code = Fail(ctx, st.error());
      return;
    }
    exit_code = body();
  });
  return sub;
}

int RunOp(Context& ctx, OpFn op, nlohmann::json body, const std::string& by,
          const std::function<std::string(const nlohmann::json&)>& render) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  OpRequest req{std::move(body), DefaultActor(by), nullptr};
  auto doc = op(**app, req);
  if (!doc) return Fail(ctx, doc.error());
  PrintDocument(ctx, *doc, render);
  return 0;
}

void PrintDocument(Context& ctx, const Document& doc,
                   const std::function<std::string(const nlohmann::json&)>& render) {
  if (!ctx.opts.json) {
    ctx.PrintText(render(doc.value));
  } else if (!doc.text.empty()) {
    ctx.out << doc.text << "\n";
  } else {
    ctx.PrintJson(doc.value);
  }
}

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Context ctx(out, err);
  int exit_code = 0;
  CLI::App app{"captain: coordinates a platform's release train", "captain"};
  app.fallthrough();
  app.require_subcommand(1);
  app.set_version_flag("--version", "captain 0.1.0");
  app.add_option("--config", ctx.opts.config_path, "configuration file")->capture_default_str();
  app.add_option("--db", ctx.opts.db_path, "state database (default: the config's `database`)");
  app.add_option("--now", ctx.opts.now, "pretend this is the current time (ISO 8601)");
  app.add_flag("--json", ctx.opts.json, "machine output on stdout (UTC times)");
  app.add_flag("--init", ctx.opts.init, "create the database if it does not exist (see init)");

  CommandHost host{app, ctx, exit_code};
  AddConfigCommands(host);
  AddCalendarCommands(host);
  AddReleaseCommands(host);
  AddParticipationCommands(host);
  AddDeployCommands(host);
  AddGitopsCommands(host);
  AddServeCommands(host);
  AddOncallCommands(host);
  AddNotifyCommands(host);

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    // Help and version go to stdout with exit 0; usage errors exit 2.
    int code = app.exit(e, out, err);
    return code == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  } catch (const std::exception& e) {
    // Whatever escaped a command is reported, never left to std::terminate.
    return Fail(ctx, OtherError(std::string("unexpected failure: ") + e.what()));
  } catch (...) {
    return Fail(ctx, OtherError("unexpected failure"));
  }
  return exit_code;
}

}  // namespace captain
