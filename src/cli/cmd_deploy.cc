// captain deploy
#include <ostream>

#include "app/deploy.h"
#include "app/drift.h"
#include "app/rollback.h"
#include "cli/commands.h"
#include "gitops/configured_repo.h"

namespace captain {
namespace {

nlohmann::json EnvJson(const EnvDeploy& e, bool dry_run) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : e.changes) {
    changes.push_back({{"service", c.service},
                       {"file", c.file},
                       {"key", c.key},
                       {"old_tag", c.old_tag},
                       {"new_tag", c.new_tag},
                       {"changed", c.old_tag != c.new_tag}});
  }
  nlohmann::json j = {
      {"env", e.env},
      {"commit", e.gitops_commit.empty() ? nlohmann::json() : nlohmann::json(e.gitops_commit)},
      {"no_change", e.no_change},
      {"services", changes}};
  if (dry_run) {
    j["diff"] = e.diff;
  } else {
    j["attempts"] = e.attempts;
  }
  return j;
}

int DeployCmd(Context& ctx, DeployArgs a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto repo = OpenConfiguredRepo((*app)->config);
  if (!repo) return Fail(ctx, repo.error());
  a.by = DefaultActor(a.by);
  auto outcome = Deploy(**app, **repo, a);
  if (!outcome) return Fail(ctx, outcome.error());
  const auto* results = &outcome->envs;
  if (ctx.opts.json) {
    nlohmann::json envs = nlohmann::json::array();
    for (const auto& e : *results) envs.push_back(EnvJson(e, a.dry_run));
    ctx.PrintJson(nlohmann::json({{"release", a.release_id},
                                  {"tier", a.step},
                                  {"dry_run", a.dry_run},
                                  {"recovered", outcome->recovered},
                                  {"environments", envs}}));
    return 0;
  }
  for (const auto& line : outcome->recovered) ctx.PrintText("recovered: " + line + "\n");
  for (const auto& e : *results) {
    size_t changed = 0;
    for (const auto& c : e.changes) changed += c.old_tag != c.new_tag;
    if (a.dry_run) {
      ctx.out << "# " << e.env << ": " << changed << " of " << e.changes.size()
              << " services would change\n"
              << e.diff;
    } else if (e.no_change) {
      ctx.out << e.env << ": every tag already in place (" << e.changes.size()
              << " services); nothing pushed\n";
    } else {
      ctx.out << e.env << ": pushed " << e.gitops_commit.substr(0, 12) << " (" << changed << " of "
              << e.changes.size() << " services changed"
              << (e.attempts > 1 ? ", " + std::to_string(e.attempts) + " attempts" : "") << ")\n";
    }
  }
  if (results->empty()) ctx.out << "nothing to deploy\n";
  return 0;
}

int RollbackCmd(Context& ctx, RollbackArgs a) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto repo = OpenConfiguredRepo((*app)->config);
  if (!repo) return Fail(ctx, repo.error());
  a.by = DefaultActor(a.by);
  auto out = Rollback(**app, **repo, a);
  if (!out) return Fail(ctx, out.error());
  if (ctx.opts.json) {
    nlohmann::json restored = nlohmann::json::object();
    for (const auto& [s, t] : out->restored) restored[s] = t;
    ctx.PrintJson(
        nlohmann::json({{"release", a.release_id},
                        {"recovered", out->recovered},
                        {"env", a.env},
                        {"commit", out->gitops_commit.empty() ? nlohmann::json()
                                                              : nlohmann::json(out->gitops_commit)},
                        {"restored", restored},
                        {"incident", out->incident_id}}));
    return 0;
  }
  for (const auto& line : out->recovered) ctx.PrintText("recovered: " + line + "\n");
  for (const auto& [s, t] : out->restored)
    ctx.out << a.env << ": " << s << " restored to " << t << "\n";
  ctx.out << (out->no_change ? "tags were already restored; nothing pushed\n"
                             : "pushed " + out->gitops_commit.substr(0, 12) + "\n")
          << "incident #" << out->incident_id << " opened (captain incident show "
          << out->incident_id << " --format markdown)\n";
  return 0;
}

struct IncidentArgs {
  int64_t id = 0;
  std::string format = "text";
};

nlohmann::json IncidentJson(const Incident& i) {
  return {{"id", i.id},
          {"release", i.release_id},
          {"env", i.env},
          {"title", i.title},
          {"reported_by_team", i.reported_by_team},
          {"description", i.description},
          {"replication", i.replication},
          {"non_functional", i.non_functional},
          {"blocker", i.blocker},
          {"root_cause", i.root_cause},
          {"services", i.services},
          {"gitops_commit", i.gitops_commit},
          {"opened_by", i.opened_by},
          {"opened_at", FormatUtc(i.opened_at)}};
}

int IncidentList(Context& ctx) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto list = (*app)->store.ListIncidents();
  if (!list) return Fail(ctx, list.error());
  nlohmann::json j = nlohmann::json::array();
  for (const auto& i : *list) {
    j.push_back(IncidentJson(i));
    if (!ctx.opts.json)
      ctx.out << "#" << i.id << "  " << FormatUtc(i.opened_at) << "  " << i.title << "\n";
  }
  if (ctx.opts.json) ctx.PrintJson(nlohmann::json({{"incidents", j}}));
  if (!ctx.opts.json && list->empty()) ctx.out << "no incidents\n";
  return 0;
}

int IncidentShow(Context& ctx, const IncidentArgs& a) {
  if (a.format != "text" && a.format != "markdown") {
    return Fail(ctx, UsageError("--format: expected text or markdown"));
  }
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto list = (*app)->store.ListIncidents();
  if (!list) return Fail(ctx, list.error());
  for (const auto& i : *list) {
    if (i.id != a.id) continue;
    auto timeline = (*app)->store.ListAudit(i.release_id);
    if (!timeline) return Fail(ctx, timeline.error());
    if (ctx.opts.json) {
      auto j = IncidentJson(i);
      for (const auto& e : *timeline) {
        j["timeline"].push_back({{"at", FormatUtc(e.at)},
                                 {"actor", e.actor},
                                 {"action", e.action},
                                 {"subject", e.subject}});
      }
      ctx.PrintJson(j);
    } else {
      ctx.out << IncidentMarkdown(i, *timeline);
    }
    return 0;
  }
  return Fail(ctx, UsageError("unknown incident #" + std::to_string(a.id)));
}

int DriftCmd(Context& ctx, bool exit_code) {
  auto app = ctx.OpenApp();
  if (!app) return Fail(ctx, app.error());
  auto repo = OpenConfiguredRepo((*app)->config);
  if (!repo) return Fail(ctx, repo.error());
  auto report = CheckDrift(**app, **repo);
  if (!report) return Fail(ctx, report.error());
  if (ctx.opts.json) {
    nlohmann::json rows = nlohmann::json::array(), channels = nlohmann::json::array();
    for (const auto& r : report->rows) {
      rows.push_back({{"service", r.service},
                      {"env", r.env},
                      {"repo_tag", r.repo_tag},
                      {"recorded_tag", r.recorded_tag},
                      {"status", DriftStatusName(r.status)},
                      {"never_in_lower", r.never_in_lower},
                      {"detail", r.detail}});
    }
    for (const auto& c : report->channels) {
      channels.push_back({{"service", c.service},
                          {"env", c.env},
                          {"field", c.field},
                          {"found", c.found},
                          {"expected", c.expected}});
    }
    ctx.PrintJson(
        nlohmann::json({{"clean", report->clean()}, {"tags", rows}, {"channels", channels}}));
  } else {
    size_t shown = 0;
    for (const auto& r : report->rows) {
      if (r.status == DriftStatus::kInSync && !r.never_in_lower) continue;
      ++shown;
      ctx.out << r.service << " " << r.env << ": " << DriftStatusName(r.status)
              << (r.never_in_lower ? ", never in a lower environment" : "")
              << (r.detail.empty() ? "" : " (" + r.detail + ")") << "\n";
    }
    for (const auto& c : report->channels) {
      ctx.out << c.service << " " << c.env << ": " << c.field << " alerts go to '" << c.found
              << "', expected the team channel '" << c.expected << "'\n";
    }
    if (shown == 0 && report->channels.empty()) ctx.out << "no drift\n";
  }
  return exit_code && !report->clean() ? 1 : 0;
}

}  // namespace

void AddDeployCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto a = std::make_shared<DeployArgs>();
  auto* deploy = host.Add("deploy", "write the plan's image tags into the GitOps repository",
                          [&ctx, a] { return DeployCmd(ctx, *a); });
  deploy->add_option("id", a->release_id, "release id")->required();
  deploy->add_option("--tier", a->step, "lower, or a higher environment (prod-test, prod)")
      ->required();
  deploy->add_option("--env", a->env, "only this environment of the step");
  deploy->add_flag("--dry-run", a->dry_run, "print the diff it would push; change nothing");
  deploy->add_option("--by", a->by, "who is acting (default: $USER)");

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
