// captain deploy
#include <ostream>

#include "app/deploy.h"
#include "app/rollback.h"
#include "cli/commands.h"

namespace captain {
namespace {

std::string Recovered(const nlohmann::json& j) {
  std::string text;
  for (const auto& line : j.at("recovered")) text += "recovered: " + line.get<std::string>() + "\n";
  return text;
}

std::string DeployText(const nlohmann::json& j) {
  std::string text = Recovered(j);
  bool dry_run = j.at("dry_run").get<bool>();
  for (const auto& e : j.at("environments")) {
    size_t changed = 0, total = e.at("services").size();
    for (const auto& c : e.at("services")) changed += c.at("changed").get<bool>();
    std::string env = Str(e, "env"),
                counts = std::to_string(changed) + " of " + std::to_string(total);
    if (dry_run) {
      text += "# " + env + ": " + counts + " services would change\n" + Str(e, "diff");
    } else if (e.at("no_change").get<bool>()) {
      text += env + ": every tag already in place (" + std::to_string(total) +
              " services); nothing pushed\n";
    } else {
      int attempts = e.at("attempts").get<int>();
      text += env + ": pushed " + Str(e, "commit").substr(0, 12) + " (" + counts +
              " services changed" +
              (attempts > 1 ? ", " + std::to_string(attempts) + " attempts" : "") + ")\n";
    }
  }
  if (j.at("environments").empty()) text += "nothing to deploy\n";
  return text;
}

std::string ScheduledText(const nlohmann::json& s) {
  std::string env = s["env"].is_string() ? " (" + s["env"].get<std::string>() + ")" : "";
  return "#" + Str(s, "id") + "  " + Str(s, "at") + "  " + Str(s, "release") + " " +
         Str(s, "tier") + env + "  " + Str(s, "state") +
         (Str(s, "detail").empty() ? "" : ": " + Str(s, "detail")) + "\n";
}

int DeployCmd(Context& ctx, const DeployArgs& a, const std::string& at) {
  if (!at.empty()) {
    if (a.dry_run) return Fail(ctx, UsageError("--at and --dry-run do not go together"));
    return RunOp(ctx, OpScheduleDeploy,
                 {{"id", a.release_id}, {"tier", a.step}, {"env", a.env}, {"at", at}}, a.by,
                 [](const nlohmann::json& j) {
                   return "scheduled: " + ScheduledText(j) +
                          "the daemon (captain serve) deploys it then if the plan still allows "
                          "it; 'captain scheduled run' does it from the command line\n";
                 });
  }
  return RunOp(ctx, OpDeploy,
               {{"id", a.release_id}, {"tier", a.step}, {"env", a.env}, {"dry_run", a.dry_run}},
               a.by, DeployText);
}

int RollbackCmd(Context& ctx, const RollbackArgs& a) {
  return RunOp(ctx, OpRollback,
               {{"release", a.release_id},
                {"env", a.env},
                {"services", a.services},
                {"reason", a.reason},
                {"title", a.title},
                {"team", a.team},
                {"replication", a.replication},
                {"non_functional", a.non_functional},
                {"blocker", a.blocker},
                {"root_cause", a.root_cause},
                {"dry_run", a.dry_run}},
               a.by, [&](const nlohmann::json& j) {
                 std::string text = Recovered(j);
                 for (const auto& [s, t] : j.at("restored").items()) {
                   text += a.env + ": " + s +
                           (a.dry_run ? " would be restored to " : " restored to ") +
                           t.get<std::string>() + "\n";
                 }
                 if (a.dry_run) return text + "dry run: nothing pushed, no incident opened\n";
                 text += j.at("no_change").get<bool>()
                             ? "tags were already restored; nothing pushed\n"
                             : "pushed " + Str(j, "commit").substr(0, 12) + "\n";
                 std::string id = Str(j, "incident");
                 return text + "incident #" + id + " opened (captain incident show " + id +
                        " --format markdown)\n";
               });
}

struct IncidentArgs {
  int64_t id = 0;
  std::string format = "text";
};

int IncidentList(Context& ctx) {
  return RunOp(ctx, OpIncidentList, nlohmann::json::object(), "", [](const nlohmann::json& j) {
    std::string text;
    for (const auto& i : j.at("incidents")) {
      text += "#" + Str(i, "id") + "  " + Str(i, "opened_at") + "  " + Str(i, "title") + "\n";
    }
    return text.empty() ? std::string("no incidents\n") : text;
  });
}

int IncidentShow(Context& ctx, const IncidentArgs& a) {
  if (a.format != "text" && a.format != "markdown") {
    return Fail(ctx, UsageError("--format: expected text or markdown"));
  }
  return RunOp(ctx, OpIncidentShow, {{"id", a.id}}, "",
               [](const nlohmann::json& j) { return Str(j, "markdown"); });
}

std::string DriftText(const nlohmann::json& j) {
  std::string text;
  for (const auto& r : j.at("tags")) {
    bool never = r.at("never_in_lower").get<bool>();
    if (Str(r, "status") == "in-sync" && !never) continue;
    std::string detail = Str(r, "detail");
    text += Str(r, "service") + " " + Str(r, "env") + ": " + Str(r, "status") +
            (never ? ", never in a lower environment" : "") +
            (detail.empty() ? "" : " (" + detail + ")") + "\n";
  }
  for (const auto& c : j.at("channels")) {
    text += Str(c, "service") + " " + Str(c, "env") + ": " + Str(c, "field") + " alerts go to '" +
            Str(c, "found") + "', expected the team channel '" + Str(c, "expected") + "'\n";
  }
  return text.empty() ? std::string("no drift\n") : text;
}

int DriftCmd(Context& ctx, bool exit_code) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto doc = OpDrift(**app, {});
  if (!doc) return Fail(ctx, doc.error());
  PrintDocument(ctx, *doc, DriftText);
  return exit_code && !doc->value.at("clean").get<bool>() ? 1 : 0;
}

}  // namespace

void AddDeployCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto a = std::make_shared<DeployArgs>();
  auto at = std::make_shared<std::string>();
  auto* deploy = host.Add("deploy", "write the plan's image tags into the GitOps repository",
                          [&ctx, a, at] { return DeployCmd(ctx, *a, *at); });
  deploy->add_option("id", a->release_id, "release id")->required();
  deploy->add_option("--tier", a->step, "lower, or a higher environment (prod-test, prod)")
      ->required();
  deploy->add_option("--env", a->env, "only this environment of the step");
  deploy->add_flag("--dry-run", a->dry_run, "print the diff it would push; change nothing");
  deploy->add_option("--at", *at, "schedule it for this time instead (ISO 8601; see scheduled)");
  deploy->add_option("--by", a->by, "who is acting (default: $USER)");

  auto all = std::make_shared<bool>(false);
  auto id = std::make_shared<int64_t>(0);
  auto by = std::make_shared<std::string>();
  auto* scheduled = host.app.add_subcommand("scheduled", "deploy steps scheduled for a time");
  scheduled->require_subcommand(1);
  auto* list = host.Add(
      *scheduled, "list", "the scheduled steps (pending ones; --all for every one)", [&ctx, all] {
        return RunOp(ctx, OpScheduledList, {{"all", *all}}, "", [](const nlohmann::json& j) {
          std::string text;
          for (const auto& s : j["scheduled"]) text += ScheduledText(s);
          return text.empty() ? std::string("nothing scheduled\n") : text;
        });
      });
  list->add_flag("--all", *all, "done, refused and cancelled steps too");
  auto* cancel = host.Add(*scheduled, "cancel", "cancel a scheduled step", [&ctx, id, by] {
    return RunOp(ctx, OpScheduledCancel, {{"id", *id}}, *by, [id](const nlohmann::json&) {
      return "scheduled step #" + std::to_string(*id) + " cancelled\n";
    });
  });
  cancel->add_option("id", *id, "its number")->required();
  cancel->add_option("--by", *by, "who is acting (default: $USER)");
  host.Add(*scheduled, "run", "run the steps whose time has come (what the daemon does)", [&ctx] {
    return RunOp(ctx, OpRunScheduled, nlohmann::json::object(), "", [](const nlohmann::json& j) {
      std::string text;
      for (const auto& l : j["ran"]) text += l.get<std::string>() + "\n";
      return text.empty() ? std::string("nothing due\n") : text;
    });
  });

  auto r = std::make_shared<RollbackArgs>();
  auto* rollback =
      host.Add("rollback", "restore the previous tags in an environment and open an incident",
               [&ctx, r] { return RollbackCmd(ctx, *r); });
  rollback->add_option("--release", r->release_id, "release id")->required();
  rollback->add_option("--env", r->env, "environment")->required();
  rollback->add_option("--service", r->services, "only these services (repeatable)");
  rollback->add_option("--reason", r->reason, "what went wrong (the incident's description)")
      ->required();
  rollback->add_option("--title", r->title, "incident title");
  rollback->add_option("--team", r->team, "team reporting the incident");
  rollback->add_option("--replication", r->replication, "how to reproduce it");
  rollback->add_flag("--non-functional", r->non_functional, "the application is non-functional");
  rollback->add_flag("--blocker", r->blocker, "it is a blocker");
  rollback
      ->add_option("--root-cause", r->root_cause, "RC VRO, RC LHDI, RC Partner Team or External VA")
      ->capture_default_str();
  rollback->add_flag("--dry-run", r->dry_run,
                     "say which tags would be restored; push nothing, open no incident");
  rollback->add_option("--by", r->by, "who is acting (default: $USER)");

  auto exit_code = std::make_shared<bool>(false);
  auto* drift = host.Add("drift", "compare the GitOps repository with captain's records",
                         [&ctx, exit_code] { return DriftCmd(ctx, *exit_code); });
  drift->add_flag("--exit-code", *exit_code, "exit 1 when anything is out of place");

  auto i = std::make_shared<IncidentArgs>();
  auto* incident = host.app.add_subcommand("incident", "incident reports");
  incident->require_subcommand(1);
  host.Add(*incident, "list", "list incident reports", [&ctx] { return IncidentList(ctx); });
  auto* show = host.Add(*incident, "show", "show an incident report",
                        [&ctx, i] { return IncidentShow(ctx, *i); });
  show->add_option("id", i->id, "incident number")->required();
  show->add_option("--format", i->format, "text or markdown")->capture_default_str();
}

}  // namespace captain
