// Store on SQL: one implementation for SQLite and PostgreSQL, through sql::Database (the
// statements are written in the SQL both engines take).
#pragma once

#include <map>
#include <memory>

#include "store/sql/database.h"
#include "store/store.h"

namespace captain {

class SqlStore : public Store {
 public:
  // `where` names the database in messages (a path, or a URL without its password).
  SqlStore(std::unique_ptr<sql::Database> db, std::string where);
  // Brings the schema up to date; a database without one is refused unless `create`.
  Status Migrate(bool create);
  // The connection itself (tests that inspect query plans; captain store copy).
  sql::Database& database() { return db_; }

  Status Transaction(const std::function<Status()>& body) override;
  Result<std::optional<Release>> FindRelease(const std::string& id) override;
  Result<std::vector<Release>> ListReleases() override;
  Result<std::vector<Release>> ListOpenReleases() override;
  Status InsertRelease(const Release& r) override;
  Status UpdateRelease(const Release& r) override;
  Status AddOpt(const std::string& release_id, const OptRecord& o) override;
  Status AddOverride(const std::string& release_id, const GateOverride& o) override;
  Status AddCancel(const std::string& release_id, const ServiceCancel& c) override;
  Status AddSwap(const std::string& release_id, const CandidateSwap& s) override;
  Status AddSignOff(const std::string& release_id, const SignOff& s) override;
  Result<int64_t> AddDefect(const Defect& d) override;
  Status ResolveDefect(int64_t id, const std::string& by, Instant at) override;
  Result<std::optional<Defect>> FindDefect(int64_t id) override;
  Status AddHealth(const std::string& release_id, const HealthRecord& h) override;
  Result<int64_t> AddDeployment(const Deployment& d) override;
  Status AddNote(const std::string& release_id, const ReleaseNote& n) override;
  Status AddRegistryCheck(const std::string& release_id, const RegistryCheck& c) override;
  Result<std::vector<EvidenceImage>> LoadRun(const std::string& run_id) override;
  Status AddEvidence(const std::vector<EvidenceImage>& images) override;
  Status AddDevelopHead(const DevelopHead& h) override;
  Result<ReleaseFacts> LoadFacts(const std::string& release_id) override;
  Result<ReleaseFacts> LoadHistory() override;
  Result<std::vector<Deployment>> LoadRunning() override;
  Result<std::vector<std::pair<std::string, Instant>>> LoadOldestSignatures() override;
  Result<std::vector<EvidenceImage>> FindEvidence(const std::string& commit_prefix) override;
  Result<bool> MarkDone(const std::string& release_id, const std::string& action,
                        Instant at) override;
  Result<std::vector<std::string>> DoneActions(const std::string& release_id) override;
  Result<bool> TakeLease(const std::string& name, const std::string& holder, Instant now,
                         Instant until) override;
  Result<std::unique_ptr<StoreLock>> Lock(const std::string& name,
                                          std::chrono::milliseconds wait) override;
  Status AddIntent(const DeployIntent& i) override;
  Status FinishIntent(const std::string& id, const std::string& state,
                      const std::string& gitops_commit, Instant at) override;
  Result<std::vector<DeployIntent>> PendingIntents() override;
  Result<std::optional<DeployIntent>> LastAbandonedIntent(const std::string& release_id,
                                                          const std::string& env) override;
  Status AddOncallSwap(const OncallSwap& s) override;
  Result<std::vector<OncallSwap>> ListOncallSwaps() override;
  Result<int64_t> AddScheduled(const ScheduledStep& s) override;
  Result<std::vector<ScheduledStep>> ListScheduled(bool pending_only) override;
  Result<bool> FinishScheduled(int64_t id, const std::string& state, const std::string& detail,
                               Instant at) override;
  Result<int64_t> AddIncident(const Incident& i) override;
  Result<std::vector<Incident>> ListIncidents() override;
  Status AppendAudit(const AuditEntry& e) override;
  Status ForEachAudit(const AuditQuery& q,
                      const std::function<Status(const AuditEntry&)>& each) override;
  Result<std::optional<Instant>> LatestAuditAt() override;
  Result<int64_t> LastAuditId() override;
  Result<std::vector<AuditEntry>> ListAudit(const std::string& release_id) override;
  Status QueueMessage(const OutboxMessage& m) override;
  Result<std::vector<OutboxMessage>> ListOutbox(bool unsent_only) override;
  Result<std::vector<OutboxMessage>> PendingMessages(int limit) override;
  Result<bool> MarkAttempt(int64_t id, int attempts, Instant next_at) override;
  Status MarkSent(int64_t id, const std::string& slack_ts, Instant at) override;
  Status MarkRetry(int64_t id, Instant next_at, const std::string& error) override;
  Status MarkFailed(int64_t id, const std::string& error) override;
  Result<bool> RetryMessage(int64_t id) override;
  Result<int64_t> CountMessages(const std::string& state) override;
  Result<std::optional<OutboxMessage>> FindMessage(const std::string& key) override;
  Result<int64_t> AddArgoEvent(const ArgoEvent& e) override;
  Result<int64_t> CountArgoEvents() override;
  Result<std::vector<ArgoEvent>> LatestArgoEvents() override;
  Result<std::string> ReleaseRunning(const std::string& service, const std::string& env) override;
  Result<int64_t> AddWatch(const StepWatch& w) override;
  Result<std::vector<StepWatch>> OpenWatches(const std::string& env) override;
  Result<std::vector<StepWatch>> ListWatches(const std::string& release_id) override;
  Status UpdateWatch(const StepWatch& w) override;
  Result<int64_t> JournalApplied(const std::string& name) override;
  Status SetJournalApplied(const std::string& name, int64_t seq) override;
  Status SetChannelId(const std::string& name, const std::string& id) override;
  Result<std::string> ChannelId(const std::string& name) override;

 private:
  // Runs `fn`, turning a database exception into an error naming `what`. Outside a
  // transaction a statement that lost a serialization conflict runs again (it changed
  // nothing); inside one, the transaction is what runs again (see Transaction).
  template <typename T, typename F>
  Result<T> Guard(const char* what, F&& fn) {
    for (int attempt = 1;; ++attempt) {
      try {
        return fn();
      } catch (const sql::Error& e) {
        last_retryable_ = last_retryable_ || e.retryable();
        if (e.retryable() && !in_transaction_ && attempt < kStatementRuns) continue;
        return OtherError(std::string("database: ") + what + ": " + e.what());
      } catch (const std::exception& e) {
        return OtherError(std::string("database: ") + what + ": " + e.what());
      }
    }
  }
  static constexpr int kStatementRuns = 5;
  Status Exec(const char* what, const std::function<void()>& fn);
  Status TransactionOnce(const std::function<Status()>& body);
  // A prepared statement kept for the connection's life (statements run per notification),
  // reset and with its bindings cleared. `sql` must be a string literal: it is the key.
  sql::Statement& Cached(const char* sql);
  void LoadDevelop(ReleaseFacts& f);
  void LoadReleaseEvidence(ReleaseFacts& f);

  std::unique_ptr<sql::Database> owned_;
  sql::Database& db_;
  std::string where_;
  std::map<const char*, std::unique_ptr<sql::Statement>> cached_;
  bool in_transaction_ = false;
  bool last_retryable_ = false;  // the last failure may pass when its transaction runs again
};

// Evidence images, newest run first; of one run when `run_id` is given.
std::vector<EvidenceImage> LoadEvidence(sql::Database& db, const std::string& run_id = "");
// The images of every run whose commit starts with `prefix`, newest first.
std::vector<EvidenceImage> LoadEvidenceOfCommit(sql::Database& db, const std::string& prefix);

}  // namespace captain
