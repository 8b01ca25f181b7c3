#include "app/requests.h"

#include "app/oncall.h"
#include "app/slack_people.h"
#include "core/plan.h"
#include "core/release_state.h"
#include "core/request_check.h"
#include "notify/catalogue.h"

namespace captain {

Result<Release> CreateRequest(const App& app, const RequestArgs& a) {
  if (auto st = CheckActor(a.by); !st) return st.error();
  if (auto st = CheckCommit("commit", a.commit); !st) return st.error();
  if (auto st = CheckChangelog(a.changelog); !st) return st.error();
  if (a.services.empty()) return FieldError("service", "name at least one service");
  for (const auto& s : a.services) {
    if (auto st = CheckService(app.config, s); !st) return st.error();
  }
  if (a.at && *a.at < app.Now()) {
    return FieldError("at", FormatUtc(*a.at) + " is in the past");
  }
  Release r;
  Status st = app.store.Transaction([&]() -> Status {
    auto history = app.store.LoadHistory();
    if (!history) return history.error();
    std::string commit = a.commit;
    if (auto resolved = ResolveCommit(history->evidence, a.commit, "commit")) {
      commit = *resolved;
    } else if (resolved.error().code == ExitCode::kUsage) {
      return resolved.error();  // ambiguous: say which commits it could be
    }
    auto unmet = VerifyRequest(app.config, *history, commit, a.services, app.Now());
    if (!unmet.empty()) {
      std::string msg = "the request for " + a.commit + " is not ready:";
      for (const auto& u : unmet) msg += "\n  " + u;
      return PolicyError(msg);
    }
    std::string full = commit;
    Instant when = a.at.value_or(app.Now());
    r.kind = a.kind;
    r.release_day = LocalDate(app.config.calendar.tz, when);
    std::string base = std::string(KindName(a.kind)) + "-" + FormatDate(r.release_day) + "-" +
                       full.substr(0, static_cast<size_t>(app.config.tag_length));
    r.id = base;
    for (int n = 2;; ++n) {
      auto existing = app.store.FindRelease(r.id);
      if (!existing) return existing.error();
      if (!*existing) break;
      r.id = base + "-" + std::to_string(n);
    }
    r.state = ReleaseState::kOptClosed;
    r.candidate_commit = full;
    r.requested_services = a.services;
    r.changelog = a.changelog;
    r.scheduled_at = a.at;
    r.created_by = a.by;
    r.created_at = app.Now();
    if (auto s = app.store.InsertRelease(r); !s) return s;
    if (auto s = app.Audit(a.by, "request.create", r.id, std::string(KindName(a.kind)), nullptr,
                           ReleaseJson(r));
        !s) {
      return s;
    }
    auto captains = CaptainsOfRelease(app, r.id);
    if (!captains) return captains.error();
    catalogue::Request msg{
        r.id,        std::string(KindName(a.kind)),         a.by, a.services, full,
        a.changelog, CaptainsMention(app.config, *captains)};
    return app.Post(app.config.channels.announce, catalogue::RequestFiled(msg), r.id);
  });
  if (!st) return st.error();
  return r;
}

Status ApproveRequest(const App& app, const std::string& id, std::optional<Instant> at,
                      const std::string& by) {
  if (auto st = CheckActor(by); !st) return st;
  return app.store.Transaction([&]() -> Status {
    auto r = app.GetRelease(id);
    if (!r) return r.error();
    if (r->kind == ReleaseKind::kStandard)
      return UsageError(id + " is a standard release, not a request");
    if (IsFinal(r->state))
      return PolicyError("request " + id + " is " + std::string(StateName(r->state)));
    nlohmann::json before = ReleaseJson(*r);
    r->approved = true;
    if (at) r->scheduled_at = at;
    if (auto s = app.store.UpdateRelease(*r); !s) return s;
    if (auto s = app.Audit(by, "request.approve", id, "", before, ReleaseJson(*r)); !s) return s;
    return app.Post(app.config.channels.announce,
                    catalogue::RequestApproved(
                        id, by,
                        r->scheduled_at ? FormatLocal(*r->scheduled_at, app.config.calendar.tz)
                                        : std::string()),
                    id);
  });
}

}  // namespace captain
