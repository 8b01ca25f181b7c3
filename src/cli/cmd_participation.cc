// captain opt, override, signoff, defect, health, evidence, request
#include <fstream>
#include <ostream>
#include <sstream>

#include "app/evidence.h"
#include "cli/commands.h"
#include "util/file.h"

namespace captain {
namespace {

struct Args {
  std::string release;
  std::string team;
  std::vector<std::string> services;
  std::string service;
  std::string env;
  std::string by;
  std::string late_reason;
  std::string reason;
  std::string title;
  bool cutoff = false;
  int64_t id = 0;
  std::string file;
  std::string commit;
  std::string repo;
  std::string branch;  // empty: the configured source.branch
  std::string changelog;
  std::string at;
  bool healthy = false;
  bool degraded = false;
};

int Opt(Context& ctx, const Args& a, OptAnswer answer) {
  std::string word = answer == OptAnswer::kIn ? "in" : "out";
  return RunOp(ctx, OpOpt,
               {{"release", a.release},
                {"team", a.team},
                {"services", a.services},
                {"answer", word},
                {"late_reason", a.late_reason}},
               a.by, [&](const nlohmann::json&) {
                 return a.release + ": team " + a.team + " opted " + word + "\n";
               });
}

int Override(Context& ctx, const Args& a) {
  return RunOp(
      ctx, OpOverride,
      {{"release", a.release}, {"service", a.service}, {"reason", a.reason}, {"cutoff", a.cutoff}},
      a.by, [&](const nlohmann::json&) {
        std::string what = a.cutoff ? "defect cutoff hold" : "gate error";
        return a.release + ": " + what + " on " + a.service + " overridden\n";
      });
}

int SignOffCmd(Context& ctx, const Args& a) {
  return RunOp(ctx, OpSignOff, {{"release", a.release}, {"team", a.team}, {"env", a.env}}, a.by,
               [&](const nlohmann::json&) {
                 return a.release + ": team " + a.team + " signed off " + a.env + "\n";
               });
}

int DefectOpen(Context& ctx, const Args& a) {
  return RunOp(ctx, OpDefectOpen,
               {{"release", a.release}, {"service", a.service}, {"title", a.title}}, a.by,
               [](const nlohmann::json& j) { return "defect #" + Str(j, "id") + " opened\n"; });
}

int DefectResolve(Context& ctx, const Args& a) {
  return RunOp(ctx, OpDefectResolve, {{"id", a.id}}, a.by, [&](const nlohmann::json&) {
    return "defect #" + std::to_string(a.id) + " resolved\n";
  });
}

int Health(Context& ctx, const Args& a) {
  if (a.healthy == a.degraded) return Fail(ctx, UsageError("say --healthy or --degraded"));
  return RunOp(
      ctx, OpHealth,
      {{"release", a.release}, {"env", a.env}, {"service", a.service}, {"healthy", a.healthy}},
      a.by, [&](const nlohmann::json&) {
        return a.service + " in " + a.env + ": " + (a.healthy ? "healthy" : "degraded") + "\n";
      });
}

int Import(Context& ctx, const Args& a) {
  auto report = ReadFile(a.file, kMaxReportBytes);
  if (!report) return Fail(ctx, Error{report.error().message, ExitCode::kUsage});
  return RunOp(ctx, OpEvidenceImport, {{"report", *report}, {"name", a.file}}, a.by,
               [&](const nlohmann::json& j) {
                 for (const auto& w : j.at("warnings")) {
                   ctx.err << "captain: warning: " << w.get<std::string>() << "\n";
                 }
                 if (j.at("already_imported").get<bool>()) {
                   return "run " + Str(j, "run_id") + " was already imported; nothing changed\n";
                 }
                 return "run " + Str(j, "run_id") + ": " + Str(j, "images") + " images of " +
                        Str(j, "commit").substr(0, 12) + " recorded\n";
               });
}

int Develop(Context& ctx, const Args& a) {
  if (a.commit.empty() == a.repo.empty()) {
    return Fail(ctx, UsageError("give either --commit SHA or --repo PATH_OR_URL"));
  }
  return RunOp(ctx, OpEvidenceDevelop,
               {{"commit", Optional(a.commit)}, {"repo", Optional(a.repo)}, {"branch", a.branch}},
               a.by,
               [](const nlohmann::json& j) { return "develop is at " + Str(j, "commit") + "\n"; });
}

int Verify(Context& ctx, const Args& a) {
  int rc =
      RunOp(ctx, OpEvidenceVerify, {{"release", a.release}}, a.by, [](const nlohmann::json& j) {
        std::string text;
        for (const auto& i : j["images"]) {
          text += Str(i, "service") + "  " + Str(i, "verdict") + "  " +
                  Str(i, "digest").substr(0, 19) + "  " + Str(i, "detail") + "\n";
        }
        return text + Str(j, "verified") + " verified, " + Str(j, "refused") + " refused against " +
               Str(j, "registry") + "\n";
      });
  return rc;
}

int Request(Context& ctx, const Args& a, ReleaseKind kind) {
  return RunOp(ctx, OpRequestFile,
               {{"kind", std::string(KindName(kind))},
                {"commit", a.commit},
                {"changelog", a.changelog},
                {"services", a.services},
                {"at", Optional(a.at)}},
               a.by, [](const nlohmann::json& j) { return Str(j, "id") + "\n"; });
}

int Approve(Context& ctx, const Args& a) {
  return RunOp(ctx, OpRequestApprove, {{"id", a.release}, {"at", Optional(a.at)}}, a.by,
               [&](const nlohmann::json&) { return a.release + ": approved\n"; });
}

}  // namespace

void AddParticipationCommands(CommandHost& host) {
  Context& ctx = host.ctx;
  auto a = std::make_shared<Args>();
  auto by = [a](CLI::App* sub) {
    sub->add_option("--by", a->by, "who is acting (default: $USER)");
  };
  auto release = [a](CLI::App* sub) {
    sub->add_option("--release", a->release, "release id")->required();
  };

  auto* opt = host.app.add_subcommand("opt", "opt a partner team's services in or out");
  opt->require_subcommand(1);
  for (auto [name, answer] : {std::pair{"in", OptAnswer::kIn}, std::pair{"out", OptAnswer::kOut}}) {
    auto* sub = host.Add(*opt, name, std::string("opt ") + name,
                         [&ctx, a, answer = answer] { return Opt(ctx, *a, answer); });
    release(sub);
    sub->add_option("--team", a->team, "team")->required();
    sub->add_option("--service", a->services, "only these services (repeatable)");
    sub->add_option("--late-reason", a->late_reason,
                    "accept an answer after the deadline (captains)");
    by(sub);
  }

  auto* ov = host.Add("override",
                      "accept a scan gate error for one service, or (--cutoff) put back a "
                      "service the defect cutoff held",
                      [&ctx, a] { return Override(ctx, *a); });
  release(ov);
  ov->add_option("--service", a->service, "service")->required();
  ov->add_option("--reason", a->reason, "why (audited)")->required();
  ov->add_flag("--cutoff", a->cutoff, "override the defect cutoff's hold instead of a gate error");
  by(ov);

  auto* so = host.Add("signoff", "a team signs off its validation in an environment",
                      [&ctx, a] { return SignOffCmd(ctx, *a); });
  release(so);
  so->add_option("--team", a->team, "team")->required();
  so->add_option("--env", a->env, "environment")->required();
  by(so);

  auto* defect = host.app.add_subcommand("defect", "open or resolve defects");
  defect->require_subcommand(1);
  auto* dopen =
      host.Add(*defect, "open", "report a defect", [&ctx, a] { return DefectOpen(ctx, *a); });
  release(dopen);
  dopen->add_option("--service", a->service, "service")->required();
  dopen->add_option("--title", a->title, "what is wrong")->required();
  by(dopen);
  auto* dres = host.Add(*defect, "resolve", "mark a defect resolved",
                        [&ctx, a] { return DefectResolve(ctx, *a); });
  dres->add_option("--id", a->id, "defect number")->required();
  by(dres);

  auto* health = host.Add("health", "record a service's health in an environment",
                          [&ctx, a] { return Health(ctx, *a); });
  release(health);
  health->add_option("--env", a->env, "environment")->required();
  health->add_option("--service", a->service, "service")->required();
  health->add_flag("--healthy", a->healthy, "healthy");
  health->add_flag("--degraded", a->degraded, "degraded");
  by(health);

  auto* evidence = host.app.add_subcommand("evidence", "SecRel scan and signing evidence");
  evidence->require_subcommand(1);
  auto* imp = host.Add(*evidence, "import", "import a SecRel run report (JSON)",
                       [&ctx, a] { return Import(ctx, *a); });
  imp->add_option("file", a->file, "report file")->required();
  by(imp);
  auto* dev = host.Add(*evidence, "develop", "record the develop branch's head",
                       [&ctx, a] { return Develop(ctx, *a); });
  dev->add_option("--commit", a->commit, "the head commit");
  dev->add_option("--repo", a->repo, "read it from this git repository (path or URL)");
  dev->add_option("--branch", a->branch, "branch to read (default: source.branch, develop)");
  by(dev);
  auto* verify = host.Add(*evidence, "verify",
                          "check the release's images against the registry: tag, revision "
                          "label, cosign signature",
                          [&ctx, a] { return Verify(ctx, *a); });
  release(verify);
  by(verify);

  auto* request = host.app.add_subcommand("request", "ad-hoc and emergency deployments");
  request->require_subcommand(1);
  for (auto [name, kind] :
       {std::pair{"adhoc", ReleaseKind::kAdhoc}, std::pair{"emergency", ReleaseKind::kEmergency}}) {
    auto* sub = host.Add(*request, name, std::string("request an ") + name + " deployment",
                         [&ctx, a, kind = kind] { return Request(ctx, *a, kind); });
    sub->add_option("--commit", a->commit, "commit hash to deploy")->required();
    sub->add_option("--changelog", a->changelog, "changelog summary")->required();
    sub->add_option("--service", a->services, "service to deploy (repeatable)")->required();
    sub->add_option("--at", a->at, "requested time (ISO 8601)");
    by(sub);
  }
  auto* approve = host.Add(*request, "approve", "approve and schedule a request",
                           [&ctx, a] { return Approve(ctx, *a); });
  approve->add_option("id", a->release, "request id")->required();
  approve->add_option("--at", a->at, "scheduled time (ISO 8601)");
  by(approve);
}

}  // namespace captain
