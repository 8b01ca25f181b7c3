// captain check-config
#include <nlohmann/json.hpp>
#include <ostream>

#include "app/store_copy.h"
#include "cli/commands.h"
#include "core/calendar.h"

namespace captain {
namespace {

int CheckConfig(Context& ctx) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return Fail(ctx, cfg.error());
  const Config& c = **cfg;
  auto next = TrainsFrom(c.calendar, LocalDate(c.calendar.tz, ctx.Now()), 1).front();
  if (ctx.opts.json) {
    nlohmann::json j;
    j["config"] = c.source;
    j["valid"] = true;
    j["timezone"] = c.timezone;
    j["sprint"] = {{"anchor", FormatDate(c.calendar.anchor)},
                   {"length_days", c.calendar.length_days},
                   {"release_weekday", WeekdayName(c.calendar.release_weekday)}};
    for (const auto& e : c.environments) {
      j["environments"].push_back(
          {{"name", e.name}, {"tier", TierName(e.tier)}, {"cluster", e.cluster}});
    }
    for (const auto& t : c.teams) {
      nlohmann::json services = nlohmann::json::array();
      for (const auto& s : c.services) {
        if (s.team == t.name) services.push_back(s.name);
      }
      j["teams"].push_back({{"name", t.name},
                            {"channel", t.channel},
                            {"platform", t.platform},
                            {"services", services}});
    }
    j["services"] = c.services.size();
    j["next_release_day"] = FormatDate(next.release_day);
    ctx.PrintJson(j);
    return 0;
  }
  ctx.out << c.source << ": OK\n";
  ctx.out << "  time zone     " << c.timezone << "\n";
  ctx.out << "  sprints       every " << c.calendar.length_days << " days from "
          << FormatDate(c.calendar.anchor) << ", release on the first "
          << WeekdayName(c.calendar.release_weekday) << "\n";
  ctx.out << "  next release  " << FormatDate(next.release_day) << " (opt-in deadline "
          << FormatLocal(next.When(MilestoneId::kOptDeadline), c.calendar.tz) << ")\n";
  ctx.out << "  environments ";
  for (const auto& e : c.environments) ctx.out << " " << e.name << "(" << TierName(e.tier) << ")";
  ctx.out << "\n";
  for (const auto& t : c.teams) {
    int n = 0;
    for (const auto& s : c.services) n += s.team == t.name;
    ctx.out << "  team " << t.name << (t.platform ? " (platform)" : "") << ": " << n
            << (n == 1 ? " service" : " services") << ", alerts to " << t.channel << "\n";
  }
  ctx.out << "  " << c.services.size() << " services, " << c.calendar.freezes.size()
          << " freezes, signatures expire after " << c.signature.max_age_days << " days\n";
  return 0;
}

int Init(Context& ctx) {
  ctx.opts.init = true;
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  ctx.Print({{"database", ctx.DatabasePath()}, {"ready", true}},
            ctx.DatabasePath() + ": captain database ready\n");
  return 0;
}

struct CopyArgs {
  std::string from, to;
};

int StoreCopy(Context& ctx, const CopyArgs& a) {
  auto copied = CopyStore(a.from, a.to, [&ctx](const std::string& line) {
    if (!ctx.opts.json) ctx.err << "captain: " << line << "\n";
  });
  if (!copied) return Fail(ctx, copied.error());
  nlohmann::json tables = nlohmann::json::array();
  int64_t rows = 0;
  for (const auto& t : *copied) {
    tables.push_back({{"table", t.name}, {"rows", t.rows}, {"sha256", t.digest}});
    rows += t.rows;
  }
  ctx.Print({{"copied", true}, {"rows", rows}, {"tables", tables}},
            "copied " + std::to_string(rows) + " rows in " + std::to_string(copied->size()) +
                " tables; every table compared equal afterwards\n");
  return 0;
}

}  // namespace

void AddConfigCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  host.Add("check-config", "validate the configuration and print a summary",
           [&ctx] { return CheckConfig(ctx); });
  host.Add("init",
           "create the state database (--db, else the configuration's `database`) and its "
           "directory, or bring an existing one's schema up to date",
           [&ctx] { return Init(ctx); });
  int& exit_code = host.exit_code;
  auto* store = host.Add("store", "the state database itself", [&exit_code] { return exit_code; });
  store->require_subcommand(1);
  auto a = std::make_shared<CopyArgs>();
  auto* copy = host.Add(*store, "copy",
                        "copy a captain database into an empty one (e.g. SQLite to "
                        "postgresql://…) and compare every table afterwards",
                        [&ctx, a] { return StoreCopy(ctx, *a); });
  copy->add_option("--from", a->from, "the database to copy: a SQLite file or a URL")->required();
  copy->add_option("--to", a->to, "where to: postgresql://user@host:port/dbname, or a file")
      ->required();
}

}  // namespace captain
