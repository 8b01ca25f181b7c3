// captain's durable state. One interface, so the rules never see SQL; SqlStore implements it on
// SQLite (the embedded default) and on PostgreSQL.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/oncall.h"
#include "util/result.h"

namespace captain {

struct AuditEntry {
  int64_t id = 0;
  Instant at;
  std::string actor;
  std::string action;                  // e.g. "release.open", "opt.in", "plan.defect-cutoff"
  std::string release_id;              // may be empty
  std::string subject;                 // what it is about: a team, service, run id…
  std::string before;                  // JSON, may be empty
  std::string after;                   // JSON, may be empty
  std::optional<Instant> recorded_at;  // the wall-clock time, when `at` (--now) differs
};

// Which audit entries to read; empty fields match everything.
struct AuditQuery {
  std::string release_id;
  std::optional<Instant> since;  // at or after
  std::string actor;
  std::string action;  // exact, or a prefix ending in '.' ("deploy." matches deploy.recovered)
  int64_t limit = 0;   // at most this many; 0: no limit
};

struct OutboxMessage {
  int64_t id = 0;
  Instant created_at;
  std::string channel;
  std::string text;
  std::string release_id;
  std::optional<Instant> sent_at;
  std::string state = "pending";  // pending, sent, failed
  int attempts = 0;               // sends tried (counted before each one)
  Instant next_at{};              // not before (a retry's backoff)
  std::string error;              // the last failure
  std::string slack_ts;           // Slack's id of the posted message
  std::string blocks;             // Block Kit JSON (an array), or "" for text only
  std::string key;                // this message's name, for threads and updates
  std::string thread_key;         // post in the thread of the message with this key
  std::string update_key;         // chat.update the message with this key instead of posting
  std::string user;               // post ephemerally, to this Slack user only
};

// One notification from ArgoCD (argocd-notifications' webhook), as received.
struct ArgoEvent {
  int64_t id = 0;
  Instant received_at;
  std::string app;
  std::string service;  // "" when the application maps to no service
  std::string env;
  std::string event;   // sync-succeeded, sync-failed, health-degraded, deployed
  std::string sync;    // Synced, OutOfSync…
  std::string health;  // Healthy, Progressing, Degraded…
  std::string revision;
  std::string message;
};

// A deploy step's environment being watched until ArgoCD reports every application Synced
// and Healthy at the step's GitOps commit.
struct StepWatch {
  int64_t id = 0;
  std::string release_id;
  std::string step;
  std::string env;
  std::string gitops_commit;
  std::string by;
  std::vector<std::string> services;
  std::string apps;  // JSON: service -> {"sync", "health", "revision"} as last reported
  Instant started_at;
  std::string state = "watching";  // watching, verified, unverified
  std::optional<Instant> finished_at;
};

// A lock that Store::Lock took, released when destroyed.
class StoreLock {
 public:
  virtual ~StoreLock() = default;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` in one transaction: all of its writes land, or none do.
  virtual Status Transaction(const std::function<Status()>& body) = 0;

  virtual Result<std::optional<Release>> FindRelease(const std::string& id) = 0;
  virtual Result<std::vector<Release>> ListReleases() = 0;
  // Releases not yet signed off, cancelled or rolled back.
  virtual Result<std::vector<Release>> ListOpenReleases() = 0;
  virtual Status InsertRelease(const Release& r) = 0;
  virtual Status UpdateRelease(const Release& r) = 0;

  virtual Status AddOpt(const std::string& release_id, const OptRecord& o) = 0;
  virtual Status AddOverride(const std::string& release_id, const GateOverride& o) = 0;
  virtual Status AddCancel(const std::string& release_id, const ServiceCancel& c) = 0;
  virtual Status AddSwap(const std::string& release_id, const CandidateSwap& s) = 0;
  virtual Status AddSignOff(const std::string& release_id, const SignOff& s) = 0;
  virtual Result<int64_t> AddDefect(const Defect& d) = 0;
  virtual Status ResolveDefect(int64_t id, const std::string& by, Instant at) = 0;
  virtual Result<std::optional<Defect>> FindDefect(int64_t id) = 0;
  virtual Status AddHealth(const std::string& release_id, const HealthRecord& h) = 0;
  virtual Result<int64_t> AddDeployment(const Deployment& d) = 0;
  virtual Status AddNote(const std::string& release_id, const ReleaseNote& n) = 0;
  virtual Status AddRegistryCheck(const std::string& release_id, const RegistryCheck& c) = 0;

  // The images of one recorded SecRel run (empty if there is no such run).
  virtual Result<std::vector<EvidenceImage>> LoadRun(const std::string& run_id) = 0;
  virtual Status AddEvidence(const std::vector<EvidenceImage>& images) = 0;
  virtual Status AddDevelopHead(const DevelopHead& h) = 0;

  // The facts of one release, the latest develop head, and the evidence its rules read (the
  // runs of develop's head, its candidate and hotfix commits, and the newest run). Costs what
  // the release holds, not what the history does.
  virtual Result<ReleaseFacts> LoadFacts(const std::string& release_id) = 0;
  // Evidence, the latest develop head, and the deployments and sign-offs of every release:
  // for the rare commands that search history (requests, drift, notes).
  virtual Result<ReleaseFacts> LoadHistory() = 0;
  // The latest deployment of each (service, environment) that captain has deployed, with the
  // fields signature ages read: id, service, env, new_tag, signed_at, at.
  virtual Result<std::vector<Deployment>> LoadRunning() = 0;
  // Each service's earliest signed_at among what runs in any environment (one row a service).
  virtual Result<std::vector<std::pair<std::string, Instant>>> LoadOldestSignatures() = 0;
  // The images of every run whose commit starts with `commit_prefix`.
  virtual Result<std::vector<EvidenceImage>> FindEvidence(const std::string& commit_prefix) = 0;

  // Records that a time-driven step of a release happened; false if it already had.
  virtual Result<bool> MarkDone(const std::string& release_id, const std::string& action,
                                Instant at) = 0;
  virtual Result<std::vector<std::string>> DoneActions(const std::string& release_id) = 0;

  // A named lease (the daemon's scheduler): taken when free, expired, or already `holder`'s;
  // held until `until`. False when another holder has it.
  virtual Result<bool> TakeLease(const std::string& name, const std::string& holder, Instant now,
                                 Instant until) = 0;
  // A named lock every process on this database shares, waited for up to `wait`: PostgreSQL,
  // where daemons on several hosts deploy, takes an advisory lock; SQLite, on one host, has
  // nothing to add to the GitOps work directory's file lock.
  virtual Result<std::unique_ptr<StoreLock>> Lock(const std::string& name,
                                                  std::chrono::milliseconds wait) = 0;
  virtual Status AddIntent(const DeployIntent& i) = 0;
  virtual Status FinishIntent(const std::string& id, const std::string& state,
                              const std::string& gitops_commit, Instant at) = 0;
  virtual Result<std::vector<DeployIntent>> PendingIntents() = 0;
  // The latest intent of a release's environment that recovery gave up on.
  virtual Result<std::optional<DeployIntent>> LastAbandonedIntent(const std::string& release_id,
                                                                  const std::string& env) = 0;

  virtual Status AddOncallSwap(const OncallSwap& s) = 0;
  // Every recorded on-call swap, in the order recorded.
  virtual Result<std::vector<OncallSwap>> ListOncallSwaps() = 0;
  virtual Result<int64_t> AddScheduled(const ScheduledStep& s) = 0;
  // Every scheduled step (pending_only: those still waiting), by time.
  virtual Result<std::vector<ScheduledStep>> ListScheduled(bool pending_only) = 0;
  // Moves a pending step to `state`; false when it was no longer pending (another daemon,
  // or a cancel, got there first).
  virtual Result<bool> FinishScheduled(int64_t id, const std::string& state,
                                       const std::string& detail, Instant at) = 0;
  virtual Result<int64_t> AddIncident(const Incident& i) = 0;
  virtual Result<std::vector<Incident>> ListIncidents() = 0;

  virtual Status AppendAudit(const AuditEntry& e) = 0;
  // Calls `each` for every matching entry, oldest first, one at a time (constant memory);
  // stops at the first error `each` returns.
  virtual Status ForEachAudit(const AuditQuery& q,
                              const std::function<Status(const AuditEntry&)>& each) = 0;
  // The effective time of the latest audit entry (the latest recorded change), if any.
  virtual Result<std::optional<Instant>> LatestAuditAt() = 0;
  // The id of the latest audit entry (0: none). Every change is audited, so a view computed
  // at the same id and the same second is the same view.
  virtual Result<int64_t> LastAuditId() = 0;
  // Oldest first; every release when `release_id` is empty.
  virtual Result<std::vector<AuditEntry>> ListAudit(const std::string& release_id) = 0;
  virtual Status QueueMessage(const OutboxMessage& m) = 0;
  virtual Result<std::vector<OutboxMessage>> ListOutbox(bool unsent_only) = 0;
  // Pending messages, oldest first (at most `limit`).
  virtual Result<std::vector<OutboxMessage>> PendingMessages(int limit) = 0;
  // A send is about to be tried: attempts and the time before which it is not retried; the
  // last error is cleared (a message tried with no error recorded may have been sent). False
  // when the message is no longer pending at attempts - 1: another sender counted this attempt
  // first and is sending it.
  virtual Result<bool> MarkAttempt(int64_t id, int attempts, Instant next_at) = 0;
  virtual Status MarkSent(int64_t id, const std::string& slack_ts, Instant at) = 0;
  virtual Status MarkRetry(int64_t id, Instant next_at, const std::string& error) = 0;
  virtual Status MarkFailed(int64_t id, const std::string& error) = 0;
  virtual Result<int64_t> CountMessages(const std::string& state) = 0;
  // The latest message named `key` that is not an update (nullopt: none).
  virtual Result<std::optional<OutboxMessage>> FindMessage(const std::string& key) = 0;
  // A failed message back to pending (notify retry); false when it was not failed.
  virtual Result<bool> RetryMessage(int64_t id) = 0;
  virtual Result<int64_t> AddArgoEvent(const ArgoEvent& e) = 0;
  virtual Result<int64_t> CountArgoEvents() = 0;
  // The latest event of each application, by application name.
  virtual Result<std::vector<ArgoEvent>> LatestArgoEvents() = 0;
  // The release whose deployment of `service` in `env` is the latest ("" when none).
  virtual Result<std::string> ReleaseRunning(const std::string& service,
                                             const std::string& env) = 0;
  virtual Result<int64_t> AddWatch(const StepWatch& w) = 0;
  // Watches still watching (of `env`; every environment when empty).
  virtual Result<std::vector<StepWatch>> OpenWatches(const std::string& env) = 0;
  virtual Result<std::vector<StepWatch>> ListWatches(const std::string& release_id) = 0;
  // Saves apps, state and finished_at.
  virtual Status UpdateWatch(const StepWatch& w) = 0;
  // The last sequence number of ArgoCD journal `name` applied to the store (0: none).
  virtual Result<int64_t> JournalApplied(const std::string& name) = 0;
  virtual Status SetJournalApplied(const std::string& name, int64_t seq) = 0;
  // Slack channel ids learned from answers, by name ("#team-alerts": "C0123").
  virtual Status SetChannelId(const std::string& name, const std::string& id) = 0;
  virtual Result<std::string> ChannelId(const std::string& name) = 0;
};

// Opens and migrates the database `target`: a SQLite file, or a postgresql:// URL. A missing,
// empty or schema-less database is a usage error naming it unless `create` (captain init,
// --init) says to make one (PostgreSQL: the schema, in a database that exists).
Result<std::unique_ptr<Store>> OpenStore(const std::string& target, bool create = false);

}  // namespace captain
