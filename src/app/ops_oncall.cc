// Operations on release captains.
#include "app/oncall.h"
#include "app/op_input.h"
#include "app/ops.h"

namespace captain {
namespace {

nlohmann::json RowJson(const Train& t, const Captains& c) {
  return {{"sprint_start", FormatDate(t.sprint_start)},
          {"release_day", FormatDate(t.release_day)},
          {"primary", c.primary.empty() ? nlohmann::json() : nlohmann::json(c.primary)},
          {"secondary", c.secondary.empty() ? nlohmann::json() : nlohmann::json(c.secondary)},
          {"source", c.source}};
}

}  // namespace

Result<Document> OpOncall(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  std::string release = in.Str("release", false);
  auto from = in.Day("from");
  int count = static_cast<int>(in.Int("count", false, 4, 1, 520));
  if (!in.ok()) return in.error();
  if (!release.empty()) {
    auto r = app.GetRelease(release);
    if (!r) return r.error();
    Train t = app.TrainOf(*r);
    auto c = CaptainsOfTrain(app, t);
    if (!c) return c.error();
    auto row = RowJson(t, *c);
    row["release"] = release;
    return Document{row, ""};
  }
  auto rows =
      OncallSchedule(app, from ? *from : LocalDate(app.config.calendar.tz, app.Now()), count);
  if (!rows) return rows.error();
  nlohmann::json trains = nlohmann::json::array();
  for (const auto& row : *rows) trains.push_back(RowJson(row.train, row.captains));
  return Document{{{"trains", trains}}, ""};
}

Result<Document> OpOncallSwap(const App& app, const OpRequest& req) {
  OpInput in(req.body);
  auto day = in.Day("release_day");
  std::string role = in.Str("role"), engineer = in.Str("engineer"), reason = in.Str("reason");
  if (!in.ok()) return in.error();
  if (!day) return FieldError("release_day", "is required");
  if (auto st = SwapOncall(app, *day, role, engineer, reason, req.actor); !st) return st.error();
  Train t = ComputeTrain(app.config.calendar, SprintIndexOfDate(app.config.calendar, *day));
  auto c = CaptainsOfTrain(app, t);
  if (!c) return c.error();
  return Document{RowJson(t, *c), ""};
}

}  // namespace captain
