// captain release …, plan, tick, audit, signatures
#include <ostream>

#include "app/audit.h"
#include "app/notes_draft.h"
#include "app/release_view.h"
#include "app/releases.h"
#include "app/tick.h"
#include "cli/commands.h"

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

// JSON from the operation (the daemon's document); text from the typed view.
int View(Context& ctx, OpFn op, nlohmann::json body,
         const std::function<Result<std::string>(const App&)>& text) {
  if (ctx.opts.json) return RunOp(ctx, op, std::move(body), "", nullptr);
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto t = text(**app);
  if (!t) return Fail(ctx, t.error());
  ctx.PrintText(*t);
  return 0;
}

int Open(Context& ctx, const ReleaseArgs& a) {
  return RunOp(ctx, OpReleaseOpen, {{"release_day", Optional(a.release_day)}}, a.by,
               [](const nlohmann::json& j) { return Str(j, "id") + "\n"; });
}

int List(Context& ctx) {
  return RunOp(ctx, OpReleaseList, nlohmann::json::object(), "", [](const nlohmann::json& j) {
    std::string text;
    for (const auto& r : j.at("releases")) {
      text += Str(r, "id") + "  " + Str(r, "kind") + "  " + Str(r, "state") + "\n";
    }
    return text.empty() ? std::string("no releases\n") : text;
  });
}

int Show(Context& ctx, const ReleaseArgs& a) {
  return View(ctx, OpReleaseShow, {{"id", a.id}, {"team", a.team}, {"env", a.env}},
              [&](const App& app) -> Result<std::string> {
                ViewFilter f{a.team, a.env};
                if (!f.team.empty()) {
                  if (auto t = CheckTeam(app.config, f.team); !t) return t.error();
                }
                if (!f.env.empty()) {
                  if (auto st = CheckEnvironment(app.config, f.env); !st) return st.error();
                }
                auto v = ShowRelease(app, a.id);
                if (!v) return v.error();
                return ReleaseViewText(app.config, *v, app.Now(), f);
              });
}

int Update(Context& ctx, const ReleaseArgs& a) {
  return RunOp(ctx, OpReleaseUpdate, {{"id", a.id}, {"service", a.service}, {"commit", a.commit}},
               a.by, [&](const nlohmann::json&) {
                 std::string what =
                     a.service.empty() ? "release candidate" : a.service + " candidate";
                 return a.id + ": " + what + " is now " + a.commit + "\n";
               });
}

int Note(Context& ctx, const ReleaseArgs& a) {
  return RunOp(ctx, OpReleaseNote, {{"id", a.id}, {"category", a.category}, {"text", a.text}}, a.by,
               [&](const nlohmann::json&) { return a.id + ": note added\n"; });
}

int DraftNotesCmd(Context& ctx, const ReleaseArgs& a) {
  return RunOp(ctx, OpReleaseDraftNotes, {{"id", a.id}, {"from", a.commit}, {"save", a.save}}, a.by,
               [&](const nlohmann::json& j) {
                 std::string from = Str(j, "from"), to = Str(j, "to");
                 std::string text =
                     "Release notes for " + a.id + " (" + Str(j, "commits") + " commits " +
                     (from.empty() ? std::string("up to ") : from.substr(0, 7) + "..") +
                     to.substr(0, 7) + ")\n";
                 for (const auto& [category, entries] : j.at("notes").items()) {
                   text += "  " + category + ":\n";
                   for (const auto& e : entries) text += "    - " + e.get<std::string>() + "\n";
                 }
                 if (a.save) text += "saved as the release's notes\n";
                 return text;
               });
}

int Cancel(Context& ctx, const ReleaseArgs& a) {
  return RunOp(ctx, OpReleaseCancel, {{"id", a.id}, {"service", a.service}, {"reason", a.reason}},
               a.by, [&](const nlohmann::json&) {
                 return a.service.empty()
                            ? a.id + ": cancelled\n"
                            : a.id + ": " + a.service + " cancelled from the release\n";
               });
}

int ReleaseSignOff(Context& ctx, const ReleaseArgs& a) {
  return RunOp(ctx, OpReleaseSignOff, {{"id", a.id}}, a.by,
               [&](const nlohmann::json&) { return a.id + ": signed off\n"; });
}

int PlanCmd(Context& ctx, const ReleaseArgs& a) {
  return View(ctx, OpPlan, {{"id", a.id}, {"tier", a.tier}, {"team", a.team}},
              [&](const App& app) -> Result<std::string> {
                ViewFilter f{a.team, ""};
                if (!f.team.empty()) {
                  if (auto t = CheckTeam(app.config, f.team); !t) return t.error();
                }
                auto p = PlanRelease(app, a.id, a.tier);
                if (!p) return p.error();
                return PlanText(app.config, *p, f);
              });
}

int TickCmd(Context& ctx) {
  return RunOp(ctx, OpTick, nlohmann::json::object(), "", [](const nlohmann::json& j) {
    std::string text;
    for (const auto& d : j.at("done")) text += d.get<std::string>() + "\n";
    return text.empty() ? std::string("nothing due\n") : text;
  });
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
  return View(ctx, OpSignatures, nlohmann::json::object(),
              [](const App& app) -> Result<std::string> {
                auto ages = Signatures(app);
                if (!ages) return ages.error();
                return SignaturesText(*ages);
              });
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
