// captain serve, captain token new
#include <ostream>

#include "cli/commands.h"
#include "server/auth.h"
#include "server/daemon.h"

namespace captain {
namespace {

struct TokenArgs {
  std::string name;
  std::vector<std::string> roles;
};

int TokenNew(Context& ctx, const TokenArgs& a) {
  if (a.name.empty() || a.name.size() > 100 ||
      a.name.find_first_of("\"\\\n\r\t") != std::string::npos) {
    return Fail(ctx, FieldError("name", "a short name without quotes, backslashes or line breaks"));
  }
  for (const auto& r : a.roles) {
    bool ok =
        r == "captain" || r == "viewer" || r == "ci" || (r.rfind("team:", 0) == 0 && r.size() > 5);
    if (!ok)
      return Fail(ctx, FieldError("role", "'" + r + "' is not captain, viewer, ci or team:<id>"));
  }
  std::string token = NewToken(), hash = Sha256Hex(token);
  std::string roles;
  for (const auto& r : a.roles) roles += (roles.empty() ? "" : ", ") + r;
  std::string line = "- {name: \"" + a.name + "\", sha256: " + hash + ", roles: [" + roles + "]}";
  if (ctx.opts.json) {
    ctx.PrintJson({{"name", a.name},
                   {"token", token},
                   {"sha256", hash},
                   {"roles", a.roles},
                   {"config_line", line}});
    return 0;
  }
  ctx.out << "token (shown once; give it to " << a.name << "):\n  " << token << "\n"
          << "add under server.tokens in captain.yaml:\n  " << line << "\n";
  return 0;
}

}  // namespace

void AddServeCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto s = std::make_shared<ServeOptions>();
  auto* serve =
      host.Add("serve", "run the daemon: the HTTP API, the scheduler and deploy jobs", [&ctx, s] {
        ServeOptions o = *s;
        o.config_path = ctx.opts.config_path;
        o.db_path = ctx.opts.db_path;
        o.now = ctx.opts.now;
        return RunDaemon(o, ctx.err);
      });
  serve->add_option("--listen", s->listen,
                    "HOST:PORT (default: server.listen, else 127.0.0.1:8080)");
  serve->add_option("--log-format", s->log_format, "text or json (one JSON object per line)")
      ->check(CLI::IsMember({"text", "json"}));

  auto t = std::make_shared<TokenArgs>();
  auto* token = host.app.add_subcommand("token", "API tokens for the daemon");
  token->require_subcommand(1);
  auto* make = host.Add(*token, "new", "print a new token and the captain.yaml line that grants it",
                        [&ctx, t] { return TokenNew(ctx, *t); });
  make->add_option("name", t->name, "who holds it (the audit actor of its changes)")->required();
  make->add_option("--role", t->roles, "captain, viewer, ci or team:<id> (repeatable)")->required();
}

}  // namespace captain
