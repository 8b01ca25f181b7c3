#include "app/oncall.h"

namespace captain {
namespace {

nlohmann::json CaptainsJson(const Captains& c) {
  return {{"primary", c.primary}, {"secondary", c.secondary}, {"source", c.source}};
}

}  // namespace

Result<Captains> CaptainsOfTrain(const App& app, const Train& train) {
  auto swaps = app.store.ListOncallSwaps();
  if (!swaps) return swaps.error();
  return CaptainsOf(app.config.oncall, app.config.calendar, train, *swaps);
}

Result<Captains> CaptainsOfRelease(const App& app, const std::string& release_id) {
  auto r = app.GetRelease(release_id);
  if (!r) return r.error();
  return CaptainsOfTrain(app, app.TrainOf(*r));
}

Result<std::vector<OncallRow>> OncallSchedule(const App& app, Date from, int count) {
  auto swaps = app.store.ListOncallSwaps();
  if (!swaps) return swaps.error();
  std::vector<OncallRow> out;
  for (auto& t : TrainsFrom(app.config.calendar, from, count)) {
    Captains c = CaptainsOf(app.config.oncall, app.config.calendar, t, *swaps);
    out.push_back({std::move(t), std::move(c)});
  }
  return out;
}

Status SwapOncall(const App& app, Date release_day, const std::string& role,
                  const std::string& engineer, const std::string& reason, const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  if (role != "primary" && role != "secondary") {
    return FieldError("role", "expected primary or secondary");
  }
  if (auto st = CheckText(role, engineer, /*required=*/true); !st) return st;
  if (auto st = CheckText("reason", reason, /*required=*/true); !st) return st;
  Train train =
      ComputeTrain(app.config.calendar, SprintIndexOfDate(app.config.calendar, release_day));
  if (train.release_day != release_day) {
    return FieldError("release_day", FormatDate(release_day) +
                                         " is not a release day (that train releases on " +
                                         FormatDate(train.release_day) + ")");
  }
  return app.store.Transaction([&]() -> Status {
    auto before = CaptainsOfTrain(app, train);
    if (!before) return before.error();
    if (auto st = app.store.AddOncallSwap({release_day, role, engineer, reason, by, app.Now()});
        !st) {
      return st;
    }
    auto after = CaptainsOfTrain(app, train);
    if (!after) return after.error();
    nlohmann::json now = CaptainsJson(*after);
    now["reason"] = reason;
    return app.Audit(by, "oncall.swap", FormatDate(release_day), role, CaptainsJson(*before), now);
  });
}

}  // namespace captain
