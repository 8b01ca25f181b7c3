// captain oncall [swap]
#include <ostream>

#include "cli/commands.h"

namespace captain {
namespace {

struct OncallArgs {
  std::string from, release, release_day, role, engineer, reason, by;
  int count = 4;
};

std::string Name(const nlohmann::json& j, const char* key) {
  return j[key].is_string() ? j[key].get<std::string>() : "-";
}

std::string RowText(const nlohmann::json& r) {
  return Name(r, "release_day") + "  primary " + Name(r, "primary") + ", secondary " +
         Name(r, "secondary") + (r["source"] == "rotation" ? "" : "  (" + Name(r, "source") + ")") +
         "\n";
}

}  // namespace

void AddOncallCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto a = std::make_shared<OncallArgs>();
  int& exit_code = host.exit_code;
  auto swap = std::make_shared<CLI::App*>(nullptr);
  auto* oncall = host.Add("oncall", "the release captains (on-call engineers) of the next trains",
                          [&ctx, a, swap, &exit_code] {
                            if (*swap && (*swap)->parsed()) return exit_code;  // the swap ran
                            nlohmann::json body = {{"count", a->count}};
                            if (!a->from.empty()) body["from"] = a->from;
                            if (!a->release.empty()) body["release"] = a->release;
                            return RunOp(ctx, OpOncall, body, "", [](const nlohmann::json& j) {
                              if (j.contains("release")) return RowText(j);
                              std::string text;
                              for (const auto& r : j["trains"]) text += RowText(r);
                              return text;
                            });
                          });
  oncall->require_subcommand(0, 1);
  oncall->add_option("--from", a->from, "first day to list (default: today)");
  oncall->add_option("--count", a->count, "how many trains")->check(CLI::Range(1, 520));
  oncall->add_option("--release", a->release, "only this release's captains");
  *swap = host.Add(*oncall, "swap", "record that someone else takes a train's primary or secondary",
                   [&ctx, a] {
                     return RunOp(ctx, OpOncallSwap,
                                  {{"release_day", a->release_day},
                                   {"role", a->role},
                                   {"engineer", a->engineer},
                                   {"reason", a->reason}},
                                  a->by, [](const nlohmann::json& j) { return RowText(j); });
                   });
  (*swap)->add_option("--release-day", a->release_day, "the train's release day")->required();
  (*swap)->add_option("--role", a->role, "primary or secondary")->required();
  (*swap)->add_option("--engineer", a->engineer, "who takes it")->required();
  (*swap)->add_option("--reason", a->reason, "why (audited)")->required();
  (*swap)->add_option("--by", a->by, "who is acting (default: $USER)");
}

}  // namespace captain
