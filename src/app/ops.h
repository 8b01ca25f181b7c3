// The use cases as operations: a JSON request in, the JSON document the CLI prints with
// --json out. The CLI and the daemon both run these; neither reaches the store or the GitOps
// repository any other way.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app.h"

namespace captain {

// Progress of a long operation (deploy, rollback), one line per environment or step.
using Progress = std::function<void(const std::string& line)>;

struct OpRequest {
  nlohmann::json body = nlohmann::json::object();  // the fields, by name
  std::string actor;                               // who is acting
  Progress progress;                               // optional
};

// An operation's answer: a JSON value, or (for views of thousands of services) the document
// already written as JSON text.
struct Document {
  nlohmann::json value;
  std::string text;  // set: the document, serialized
};

using OpFn = Result<Document> (*)(const App& app, const OpRequest& req);

// Releases and views.
Result<Document> OpReleaseList(const App& app, const OpRequest& req);
Result<Document> OpReleaseShow(const App& app, const OpRequest& req);  // id, team?, env?
Result<Document> OpReleaseOpen(const App& app, const OpRequest& req);  // release_day?
Result<Document> OpReleaseUpdate(const App& app, const OpRequest& req);
Result<Document> OpReleaseNote(const App& app, const OpRequest& req);
Result<Document> OpReleaseDraftNotes(const App& app, const OpRequest& req);
Result<Document> OpReleaseCancel(const App& app, const OpRequest& req);
Result<Document> OpReleaseSignOff(const App& app, const OpRequest& req);
Result<Document> OpPlan(const App& app, const OpRequest& req);  // id, tier, team?
Result<Document> OpTick(const App& app, const OpRequest& req);
Result<Document> OpSignatures(const App& app, const OpRequest& req);
Result<Document> OpAudit(const App& app, const OpRequest& req);
Result<Document> OpSchedule(const App& app, const OpRequest& req);  // from?, count?

// ArgoCD: the latest notification of each application, the count kept, and the deploy steps
// watched (release?).
Result<Document> OpArgoApps(const App& app, const OpRequest& req);

// What teams record.
Result<Document> OpOpt(const App& app, const OpRequest& req);  // release, team, answer, services?
Result<Document> OpOverride(const App& app, const OpRequest& req);
Result<Document> OpSignOff(const App& app, const OpRequest& req);
Result<Document> OpDefectOpen(const App& app, const OpRequest& req);
Result<Document> OpDefectResolve(const App& app, const OpRequest& req);
Result<Document> OpHealth(const App& app, const OpRequest& req);
Result<Document> OpEvidenceImport(const App& app, const OpRequest& req);  // report, name?
Result<Document> OpEvidenceDevelop(const App& app, const OpRequest& req);
// release: the images it would ship checked against registry.url, recorded for the plan.
Result<Document> OpEvidenceVerify(const App& app, const OpRequest& req);
Result<Document> OpRequestFile(const App& app, const OpRequest& req);
Result<Document> OpRequestApprove(const App& app, const OpRequest& req);

// The GitOps repository.
Result<Document> OpDeploy(const App& app, const OpRequest& req);
Result<Document> OpRollback(const App& app, const OpRequest& req);
// What a deploy or rollback checks before touching the repository (an empty document when
// it may start): the daemon answers these before starting the job.
Result<Document> OpDeployCheck(const App& app, const OpRequest& req);
Result<Document> OpRollbackCheck(const App& app, const OpRequest& req);
Result<Document> OpDrift(const App& app, const OpRequest& req);
Result<Document> OpIncidentList(const App& app, const OpRequest& req);
Result<Document> OpIncidentShow(const App& app, const OpRequest& req);  // id, format?
// Scheduled deploy steps: schedule (id, tier, env?, at), list (all?), cancel (id), and run
// the ones whose time has come.
Result<Document> OpScheduleDeploy(const App& app, const OpRequest& req);
Result<Document> OpScheduledList(const App& app, const OpRequest& req);
Result<Document> OpScheduledCancel(const App& app, const OpRequest& req);
Result<Document> OpRunScheduled(const App& app, const OpRequest& req);
// Release captains: who is on call (from?, count?, or release?), and swaps (release_day,
// role, engineer, reason).
Result<Document> OpOncall(const App& app, const OpRequest& req);
Result<Document> OpOncallSwap(const App& app, const OpRequest& req);
// The outbox: list (failed?, pending?), retry a failed message (id), deliver what is due.
Result<Document> OpNotifyList(const App& app, const OpRequest& req);
Result<Document> OpNotifyRetry(const App& app, const OpRequest& req);
Result<Document> OpNotifyFlush(const App& app, const OpRequest& req);
// event, release?: the message as it would be posted ({text, blocks, as_text}).
Result<Document> OpNotifyPreview(const App& app, const OpRequest& req);
// Whether the GitOps remote answers (its branch's head is read): {"reachable", "head"|"error"}.
Result<Document> OpCheckGitops(const App& app, const OpRequest& req);
// Finishes what a crashed deploy or rollback left (the daemon runs it at start).
Result<Document> OpRecover(const App& app, const OpRequest& req);

}  // namespace captain
