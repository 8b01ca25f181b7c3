// captain release …, plan, tick, audit, signatures
#include <ostream>

#include "app/audit.h"
#include "app/notes_draft.h"
#include "app/releases.h"
#include "app/tick.h"
#include "cli/commands.h"
#include "cli/release_view.h"

namespace captain {
namespace {

struct ReleaseArgs {
  std::string id;
  std::string release_day;
  std::string by;
  std::string service;
  std::string commit;
  std::string category;
  std::string text;
  std::string reason;
  std::string tier;
  bool save = false;
  std::string since, actor, action;  // audit filters
  std::string team, env;             // view filters
  int64_t limit = 0;
  bool stream = false;
};

int Emit(Context& ctx, const nlohmann::json& j, const std::string& text) {
  ctx.Print(j, text);
  return 0;
}

int Done(Context& ctx, const Status& st, const nlohmann::json& j, const std::string& text) {
  if (!st) return Fail(ctx, st.error());
  return Emit(ctx, j, text);
}

int Open(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  std::optional<Date> day;
  if (!a.release_day.empty()) {
    day = ParseDate(a.release_day);
    if (!day)
      return Fail(ctx,
                  UsageError("--release-day: expected YYYY-MM-DD, got '" + a.release_day + "'"));
  }
  auto r = OpenRelease(**app, day, DefaultActor(a.by));
  if (!r) return Fail(ctx, r.error());
  return Emit(ctx, ReleaseJson(*r), r->id + "\n");
}

int List(Context& ctx) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto list = ListReleases(**app);
  if (!list) return Fail(ctx, list.error());
  nlohmann::json j = nlohmann::json::array();
  std::string text;
  for (const auto& r : *list) {
    j.push_back(ReleaseJson(r));
    text +=
        r.id + "  " + std::string(KindName(r.kind)) + "  " + std::string(StateName(r.state)) + "\n";
  }
  if (list->empty()) text = "no releases\n";
  return Emit(ctx, {{"releases", j}}, text);
}

Status CheckFilter(const Config& c, const ViewFilter& f) {
  if (!f.team.empty()) {
    if (auto t = CheckTeam(c, f.team); !t) return t.error();
  }
  if (!f.env.empty()) return CheckEnvironment(c, f.env);
  return {};
}

int Show(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  ViewFilter f{a.team, a.env};
  if (auto st = CheckFilter((*app)->config, f); !st) return Fail(ctx, st.error());
  auto v = ShowRelease(**app, a.id);
  if (!v) return Fail(ctx, v.error());
  // Only the form asked for is built.
  if (ctx.opts.json) {
    ctx.out << ReleaseViewJson((*app)->config, *v, ctx.Now(), f) << "\n";
  } else {
    ctx.PrintText(ReleaseViewText((*app)->config, *v, ctx.Now(), f));
  }
  return 0;
}

int Update(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto st = UpdateCandidate(**app, a.id, a.service, a.commit, DefaultActor(a.by));
  std::string what = a.service.empty() ? "release candidate" : a.service + " candidate";
  return Done(ctx, st, {{"release", a.id}, {"service", a.service}, {"commit", a.commit}},
              a.id + ": " + what + " is now " + a.commit + "\n");
}

int Note(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto st = AddReleaseNote(**app, a.id, a.category, a.text, DefaultActor(a.by));
  return Done(ctx, st, {{"release", a.id}, {"category", a.category}, {"text", a.text}},
              a.id + ": note added\n");
}

int DraftNotesCmd(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto d = DraftReleaseNotes(**app, a.id, a.commit, a.save, DefaultActor(a.by));
  if (!d) return Fail(ctx, d.error());
  std::string text = "Release notes for " + a.id + " (" + std::to_string(d->commits) + " commits " +
                     (d->from.empty() ? std::string("up to ") : d->from.substr(0, 7) + "..") +
                     d->to.substr(0, 7) + ")\n";
  for (const auto& [category, entries] : d->notes) {
    text += "  " + category + ":\n";
    for (const auto& e : entries) text += "    - " + e + "\n";
  }
  if (a.save) text += "saved as the release's notes\n";
  return Emit(ctx,
              {{"release", a.id},
               {"from", d->from},
               {"to", d->to},
               {"commits", d->commits},
               {"notes", d->notes},
               {"saved", a.save}},
              text);
}

int Cancel(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto st = CancelRelease(**app, a.id, a.service, a.reason, DefaultActor(a.by));
  if (!a.service.empty()) {
    return Done(ctx, st, {{"release", a.id}, {"service", a.service}, {"cancelled", true}},
                a.id + ": " + a.service + " cancelled from the release\n");
  }
  return Done(ctx, st, {{"release", a.id}, {"state", "cancelled"}}, a.id + ": cancelled\n");
}

int ReleaseSignOff(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto st = SignOffRelease(**app, a.id, DefaultActor(a.by));
  return Done(ctx, st, {{"release", a.id}, {"state", "signed-off"}}, a.id + ": signed off\n");
}

int PlanCmd(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  ViewFilter f{a.team, ""};
  if (auto st = CheckFilter((*app)->config, f); !st) return Fail(ctx, st.error());
  auto p = PlanRelease(**app, a.id, a.tier);
  if (!p) return Fail(ctx, p.error());
  if (ctx.opts.json) {
    ctx.out << PlanJson(*p, f) << "\n";
  } else {
    ctx.PrintText(PlanText((*app)->config, *p, f));
  }
  return 0;
}

int TickCmd(Context& ctx) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto done = Tick(**app);
  if (!done) return Fail(ctx, done.error());
  std::string text;
  for (const auto& d : *done) text += d + "\n";
  if (done->empty()) text = "nothing due\n";
  return Emit(ctx, {{"now", FormatUtc(ctx.Now())}, {"done", *done}}, text);
}

// Printed as read: a log of any length takes the memory of one entry.
int AuditCmd(Context& ctx, const ReleaseArgs& a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  AuditQuery q;
  q.release_id = a.id;
  q.actor = a.actor;
  q.action = a.action;
  q.limit = a.limit;
  if (!a.since.empty()) {
    q.since = ParseInstant(a.since);
    if (!q.since)
      return Fail(ctx, UsageError("--since: expected an ISO 8601 time, got '" + a.since + "'"));
  }
  bool json = ctx.opts.json, lines = json && a.stream;
  size_t n = 0;
  if (json && !lines) ctx.out << "{\"entries\": [";
  Status st = StreamAudit(**app, q, [&](const AuditEntry& e) -> Status {
    if (lines) {
      ctx.PrintJsonLine(AuditJson(e));
    } else if (json) {
      ctx.out << (n ? ",\n" : "\n");
      ctx.PrintJsonLine(AuditJson(e), /*newline=*/false);
    } else {
      ctx.PrintText(AuditText(e) + "\n");
    }
    ++n;
    return {};
  });
  if (json && !lines) ctx.out << (n ? "\n" : "") << "]}\n";
  if (!st) return Fail(ctx, st.error());
  return 0;
}

int SignaturesCmd(Context& ctx) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto ages = Signatures(**app);
  if (!ages) return Fail(ctx, ages.error());
  if (ctx.opts.json) {
    ctx.out << SignaturesJson(*ages) << "\n";
  } else {
    ctx.PrintText(SignaturesText(*ages));
  }
  return 0;
}

}  // namespace

void AddReleaseCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto a = std::make_shared<ReleaseArgs>();
  auto* release = host.app.add_subcommand("release", "open, inspect and steer releases");
  release->require_subcommand(1);
  auto by = [&](CLI::App* sub) {
    sub->add_option("--by", a->by, "who is acting (default: $USER)");
  };

  auto* open = host.Add(*release, "open", "open the standard release of the current train",
                        [&ctx, a] { return Open(ctx, *a); });
  open->add_option("--release-day", a->release_day, "the train's release day (YYYY-MM-DD)");
  by(open);
  host.Add(*release, "list", "list releases", [&ctx] { return List(ctx); });
  auto* show = host.Add(*release, "show", "every service's status in a release",
                        [&ctx, a] { return Show(ctx, *a); });
  show->add_option("id", a->id, "release id")->required();
  show->add_option("--team", a->team, "only this team's services");
  show->add_option("--env", a->env, "only this environment (and the steps that deploy it)");
  auto* update =
      host.Add(*release, "update", "set the candidate commit, or swap one service (hotfix)",
               [&ctx, a] { return Update(ctx, *a); });
  update->add_option("id", a->id, "release id")->required();
  update->add_option("--service", a->service, "swap only this service's candidate");
  update->add_option("--commit", a->commit, "commit hash")->required();
  by(update);
  auto* note =
      host.Add(*release, "note", "add a release note", [&ctx, a] { return Note(ctx, *a); });
  note->add_option("id", a->id, "release id")->required();
  note->add_option(
          "--category", a->category,
          "new-features, bug-fixes, performance, security, configuration, signature-refresh")
      ->required();
  note->add_option("--text", a->text, "the note");
  by(note);
  auto* draft = host.Add(*release, "draft-notes", "draft release notes from the source history",
                         [&ctx, a] { return DraftNotesCmd(ctx, *a); });
  draft->add_option("id", a->id, "release id")->required();
  draft->add_option("--from", a->commit, "start after this commit (default: what runs in prod)");
  draft->add_flag("--save", a->save, "record the draft as the release's notes");
  by(draft);
  auto* cancel = host.Add(*release, "cancel", "cancel a release, or one service of it",
                          [&ctx, a] { return Cancel(ctx, *a); });
  cancel->add_option("id", a->id, "release id")->required();
  cancel->add_option("--service", a->service, "only this service; the rest of the release goes on");
  cancel->add_option("--reason", a->reason, "why")->required();
  by(cancel);
  auto* signoff = host.Add(*release, "signoff", "sign the release off after prod validation",
                           [&ctx, a] { return ReleaseSignOff(ctx, *a); });
  signoff->add_option("id", a->id, "release id")->required();
  by(signoff);

  auto* plan = host.Add("plan", "which services deploy in a step, and why the others do not",
                        [&ctx, a] { return PlanCmd(ctx, *a); });
  plan->add_option("id", a->id, "release id")->required();
  plan->add_option("--team", a->team, "only this team's services");
  plan->add_option("--tier", a->tier, "lower, or a higher environment (prod-test, prod)")
      ->required();
  host.Add("tick", "apply every time-driven step that is due", [&ctx] { return TickCmd(ctx); });
  auto* audit = host.Add("audit", "the append-only log of every change",
                         [&ctx, a] { return AuditCmd(ctx, *a); });
  audit->add_option("--release", a->id, "only this release");
  audit->add_option("--since", a->since, "only entries at or after this time (ISO 8601)");
  audit->add_option("--actor", a->actor, "only this actor's entries");
  audit->add_option("--action", a->action,
                    "only this action (deploy.recovered), or a family ending in '.' (deploy.)");
  audit->add_option("--limit", a->limit, "at most this many entries, oldest first");
  audit->add_flag("--stream", a->stream, "with --json: one JSON object per line");
  host.Add("signatures", "signature age of every deployed image",
           [&ctx] { return SignaturesCmd(ctx); });
}

}  // namespace captain
