// captain schedule, captain calendar --ics
#include <fstream>
#include <ostream>

#include "app/ics.h"
#include "app/schedule_view.h"
#include "cli/commands.h"

namespace captain {
namespace {

struct ScheduleArgs {
  std::string from;
  int count = 4;
  bool ics = false;
  std::string output;
};

Result<std::vector<Train>> Trains(Context& ctx, const ScheduleArgs& a, const Config& c) {
  Date from = LocalDate(c.calendar.tz, ctx.Now());
  if (!a.from.empty()) {
    auto d = ParseDate(a.from);
    if (!d) return UsageError("--from: expected a date YYYY-MM-DD, got '" + a.from + "'");
    from = *d;
  }
  return TrainsFrom(c.calendar, from, a.count);
}

int Schedule(Context& ctx, const ScheduleArgs& a) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return Fail(ctx, cfg.error());
  auto trains = Trains(ctx, a, **cfg);
  if (!trains) return Fail(ctx, trains.error());
  if (ctx.opts.json) {
    ctx.PrintJson(ScheduleJson(*trains, (*cfg)->timezone));
  } else {
    ctx.out << "Release trains, times in " << (*cfg)->timezone << "\n"
            << ScheduleText(*trains, (*cfg)->calendar.tz);
  }
  return 0;
}

int Calendar(Context& ctx, const ScheduleArgs& a) {
  if (!a.ics) return Fail(ctx, UsageError("calendar: only --ics output is available"));
  auto cfg = ctx.LoadConfig();
  if (!cfg) return Fail(ctx, cfg.error());
  auto trains = Trains(ctx, a, **cfg);
  if (!trains) return Fail(ctx, trains.error());
  std::string ics = RenderIcs(*trains, (*cfg)->timezone, ctx.Now());
  if (a.output.empty() || a.output == "-") {
    ctx.out << ics;
    return 0;
  }
  std::string tmp = a.output + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << ics;
    if (!f.flush()) return Fail(ctx, OtherError(tmp + ": cannot write"));
  }
  if (std::rename(tmp.c_str(), a.output.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Fail(ctx, OtherError(a.output + ": cannot write"));
  }
  ctx.err << "wrote " << trains->size() * kMilestoneCount << " events to " << a.output << "\n";
  return 0;
}

void AddRange(CLI::App* sub, ScheduleArgs& a) {
  sub->add_option("--from", a.from, "first day to list (default: today in the policy zone)");
  sub->add_option("--count", a.count, "how many trains")
      ->check(CLI::Range(1, 520))
      ->capture_default_str();
}

}  // namespace

void AddCalendarCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto args = std::make_shared<ScheduleArgs>();
  auto* schedule = host.Add("schedule", "list the next release trains and their milestones",
                            [&ctx, args] { return Schedule(ctx, *args); });
  AddRange(schedule, *args);
  auto cal_args = std::make_shared<ScheduleArgs>();
  auto* cal = host.Add("calendar", "write the milestones as an iCalendar feed",
                       [&ctx, cal_args] { return Calendar(ctx, *cal_args); });
  AddRange(cal, *cal_args);
  cal->add_flag("--ics", cal_args->ics, "iCalendar output (RFC 5545)");
  cal->add_option("-o,--output", cal_args->output, "write to this file instead of stdout");
}

}  // namespace captain
