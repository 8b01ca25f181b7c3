#include "store/sql_store.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/schema.h"
#include "store/sql/pg_database.h"
#include "store/sql/sqlite_database.h"
#include "store/sql_util.h"
#include "util/crash_point.h"

namespace captain {
namespace {

using sql::At;
using sql::SplitList;

Release ReadRelease(sql::Statement& q) {
  Release r;
  r.id = q.getColumn(0).getString();
  r.kind = ParseKind(q.getColumn(1).getString()).value_or(ReleaseKind::kStandard);
  r.release_day = ParseDate(q.getColumn(2).getString()).value_or(Date{});
  r.state = ParseState(q.getColumn(3).getString()).value_or(ReleaseState::kCollecting);
  r.candidate_commit = q.getColumn(4).getString();
  r.requested_services = SplitList(q.getColumn(5).getString());
  r.changelog = q.getColumn(6).getString();
  if (!q.getColumn(7).isNull()) r.scheduled_at = At(q.getColumn(7).getInt64());
  r.approved = q.getColumn(8).getInt() != 0;
  r.created_by = q.getColumn(9).getString();
  r.created_at = At(q.getColumn(10).getInt64());
  return r;
}

constexpr const char* kReleaseColumns =
    "id, kind, release_day, state, candidate_commit, requested_services, changelog, "
    "scheduled_at, approved, created_by, created_at";

}  // namespace

SqlStore::SqlStore(std::unique_ptr<sql::Database> db, std::string where)
    : owned_(std::move(db)), db_(*owned_), where_(std::move(where)) {}

namespace {

constexpr const char* kCreateHint =
    " (create one with 'captain init', or check --db and `database` in captain.yaml)";

// PostgreSQL databases hold captain's tables in their current schema; SQLite files are created
// only when `create` says so.
Result<std::unique_ptr<sql::Database>> Connect(const std::string& target, bool create) {
  if (sql::IsPostgresUrl(target)) {
    return std::unique_ptr<sql::Database>(std::make_unique<sql::PgDatabase>(target));
  }
  if (!create) {
    std::error_code ec;
    auto size = std::filesystem::file_size(target, ec);
    if (ec) return UsageError(target + ": no captain database here" + kCreateHint);
    if (size == 0) return UsageError(target + ": empty file, not a captain database" + kCreateHint);
  }
  return std::unique_ptr<sql::Database>(std::make_unique<sql::SqliteDatabase>(target, create));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& target, bool create) {
  std::string where = sql::RedactUrl(target);
  try {
    auto db = Connect(target, create);
    if (!db) return db.error();
    auto store = std::make_unique<SqlStore>(std::move(*db), where);
    if (auto st = store->Migrate(create); !st) return st.error();
    return std::unique_ptr<Store>(std::move(store));
  } catch (const std::exception& e) {
    return OtherError(where + ": cannot open the database: " + e.what());
  }
}

// The version is read inside the write transaction, so any number of processes may open a
// fresh (or older) database at once: the first migrates, the others wait and find it done.
Status SqlStore::Migrate(bool create) {
  const auto& migrations = SqliteMigrations();
  bool not_captain = false;
  auto status = Exec("migrate the schema", [&] {
    db_.Begin();
    try {
      int version = db_.SchemaVersion();
      if (version > static_cast<int>(migrations.size())) {
        throw std::runtime_error("the database is schema version " + std::to_string(version) +
                                 ", newer than this captain knows (" +
                                 std::to_string(migrations.size()) + ")");
      }
      if (version == 0 && !create) {
        not_captain = true;
        throw std::runtime_error("not a captain database (schema version 0)" +
                                 std::string(kCreateHint));
      }
      if (version == 0 && db_.HasTables()) {
        throw std::runtime_error("holds tables but no captain schema; not touching it");
      }
      for (size_t i = static_cast<size_t>(version); i < migrations.size(); ++i) {
        db_.Exec(db_.Ddl(migrations[i]));
      }
      if (version < static_cast<int>(migrations.size())) {
        db_.SetSchemaVersion(static_cast<int>(migrations.size()));
      }
      db_.Commit();
    } catch (...) {
      try {
        db_.Rollback();
      } catch (...) {
      }
      throw;
    }
  });
  if (!status) {
    return Error{where_ + ": " + status.error().message,
                 not_captain ? ExitCode::kUsage : status.error().code};
  }
  return {};
}

Status SqlStore::Exec(const char* what, const std::function<void()>& fn) {
  auto done = Guard<bool>(what, [&] {
    fn();
    return true;
  });
  if (!done) return done.error();
  return {};
}

sql::Statement& SqlStore::Cached(const char* sql) {
  auto& q = cached_[sql];
  if (!q) {
    q = std::make_unique<sql::Statement>(db_, sql);
  } else {
    q->reset();
  }
  return *q;
}

// A body that lost a serialization conflict (PostgreSQL) runs again, up to a few times; its
// writes never landed.
Status SqlStore::Transaction(const std::function<Status()>& body) {
  if (in_transaction_) return body();
  for (int attempt = 1;; ++attempt) {
    last_retryable_ = false;
    Status st = TransactionOnce(body);
    if (st || !last_retryable_ || attempt >= 8) return st;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
  }
}

Status SqlStore::TransactionOnce(const std::function<Status()>& body) {
  if (auto st = Exec("begin", [&] { db_.Begin(); }); !st) return st;
  in_transaction_ = true;
  Status result;
  try {
    result = body();
  } catch (const std::exception& e) {
    result = OtherError(std::string("unexpected failure: ") + e.what());
  }
  in_transaction_ = false;
  if (!result) {
    bool retryable = last_retryable_;
    (void)Exec("rollback", [&] { db_.Rollback(); });
    last_retryable_ = retryable;
    return result;
  }
  CrashPoint("store-before-commit");
  if (auto st = Exec("commit", [&] { db_.Commit(); }); !st) {
    bool retryable = last_retryable_;
    (void)Exec("rollback", [&] { db_.Rollback(); });
    last_retryable_ = retryable;
    return st;
  }
  return {};
}

Result<std::optional<Release>> SqlStore::FindRelease(const std::string& id) {
  return Guard<std::optional<Release>>("find release", [&]() -> std::optional<Release> {
    sql::Statement q(db_, std::string("SELECT ") + kReleaseColumns + " FROM releases WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return ReadRelease(q);
  });
}

Result<std::vector<Release>> SqlStore::ListOpenReleases() {
  return Guard<std::vector<Release>>("list open releases", [&] {
    std::string states;
    for (auto s :
         {ReleaseState::kCollecting, ReleaseState::kOptClosed, ReleaseState::kLowerDeployed,
          ReleaseState::kValidated, ReleaseState::kProdTestDeployed, ReleaseState::kProdDeployed}) {
      states += std::string(states.empty() ? "'" : ", '") + std::string(StateName(s)) + "'";
    }
    sql::Statement q(db_, std::string("SELECT ") + kReleaseColumns +
                              " FROM releases WHERE state IN (" + states +
                              ") ORDER BY release_day, created_at, id");
    std::vector<Release> out;
    while (q.executeStep()) out.push_back(ReadRelease(q));
    return out;
  });
}

Result<std::vector<Release>> SqlStore::ListReleases() {
  return Guard<std::vector<Release>>("list releases", [&] {
    sql::Statement q(db_, std::string("SELECT ") + kReleaseColumns +
                              " FROM releases ORDER BY release_day, created_at, id");
    std::vector<Release> out;
    while (q.executeStep()) out.push_back(ReadRelease(q));
    return out;
  });
}

Status SqlStore::InsertRelease(const Release& r) {
  return Exec("insert release", [&] {
    sql::Statement q(db_, std::string("INSERT INTO releases (") + kReleaseColumns +
                              ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sql::Bind(q, r.id, std::string(KindName(r.kind)), FormatDate(r.release_day),
              std::string(StateName(r.state)), r.candidate_commit, r.requested_services,
              r.changelog, r.scheduled_at, r.approved, r.created_by, r.created_at);
    q.exec();
  });
}

Status SqlStore::UpdateRelease(const Release& r) {
  return Exec("update release", [&] {
    sql::Statement q(db_,
                     "UPDATE releases SET state = ?, candidate_commit = ?, requested_services = ?, "
                     "changelog = ?, scheduled_at = ?, approved = ? WHERE id = ?");
    sql::Bind(q, std::string(StateName(r.state)), r.candidate_commit, r.requested_services,
              r.changelog, r.scheduled_at, r.approved, r.id);
    q.exec();
  });
}

Status SqlStore::AddOpt(const std::string& release_id, const OptRecord& o) {
  return Exec("record opt answer", [&] {
    sql::Statement q(db_,
                     "INSERT INTO opt_answers (release_id, team, service, answer, by, at, "
                     "late_reason) VALUES (?,?,?,?,?,?,?)");
    sql::Bind(q, release_id, o.team, o.service, o.answer == OptAnswer::kIn ? "in" : "out", o.by,
              o.at, o.late_reason);
    q.exec();
  });
}

Status SqlStore::AddOverride(const std::string& release_id, const GateOverride& o) {
  return Exec("record override", [&] {
    sql::Statement q(db_,
                     "INSERT INTO gate_overrides (release_id, service, reason, by, at, kind) "
                     "VALUES (?,?,?,?,?,?)");
    sql::Bind(q, release_id, o.service, o.reason, o.by, o.at, o.kind);
    q.exec();
  });
}

Status SqlStore::AddCancel(const std::string& release_id, const ServiceCancel& c) {
  return Exec("record service cancel", [&] {
    sql::Statement q(db_,
                     "INSERT INTO service_cancels (release_id, service, reason, by, at) "
                     "VALUES (?,?,?,?,?)");
    sql::Bind(q, release_id, c.service, c.reason, c.by, c.at);
    q.exec();
  });
}

Status SqlStore::AddSwap(const std::string& release_id, const CandidateSwap& s) {
  return Exec("record candidate swap", [&] {
    sql::Statement q(db_,
                     "INSERT INTO candidate_swaps (release_id, service, commit_sha, by, at) "
                     "VALUES (?,?,?,?,?)");
    sql::Bind(q, release_id, s.service, s.commit, s.by, s.at);
    q.exec();
  });
}

Status SqlStore::AddSignOff(const std::string& release_id, const SignOff& s) {
  return Exec("record sign-off", [&] {
    sql::Statement q(db_,
                     "INSERT INTO signoffs (release_id, team, env, by, at) VALUES (?,?,?,?,?)");
    sql::Bind(q, release_id, s.team, s.env, s.by, s.at);
    q.exec();
  });
}

Result<int64_t> SqlStore::AddDefect(const Defect& d) {
  return Guard<int64_t>("record defect", [&] {
    sql::Statement q(db_,
                     "INSERT INTO defects (release_id, service, title, opened_by, opened_at) "
                     "VALUES (?,?,?,?,?) RETURNING id");
    sql::Bind(q, d.release_id, d.service, d.title, d.opened_by, d.opened_at);
    return sql::ReturnedId(q);
  });
}

Status SqlStore::ResolveDefect(int64_t id, const std::string& by, Instant at) {
  return Exec("resolve defect", [&] {
    sql::Statement q(db_, "UPDATE defects SET resolved_by = ?, resolved_at = ? WHERE id = ?");
    sql::Bind(q, by, at, static_cast<int64_t>(id));
    q.exec();
  });
}

Status SqlStore::AddHealth(const std::string& release_id, const HealthRecord& h) {
  return Exec("record health", [&] {
    sql::Statement q(
        db_, "INSERT INTO health (release_id, env, service, healthy, at) VALUES (?,?,?,?,?)");
    sql::Bind(q, release_id, h.env, h.service, h.healthy, h.at);
    q.exec();
  });
}

Result<int64_t> SqlStore::AddDeployment(const Deployment& d) {
  return Guard<int64_t>("record deployment", [&] {
    sql::Statement q(db_,
                     "INSERT INTO deployments (release_id, env, service, commit_sha, old_tag, "
                     "new_tag, signed_at, gitops_commit, by, at, rollback) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    sql::Bind(q, d.release_id, d.env, d.service, d.commit, d.old_tag, d.new_tag, d.signed_at,
              d.gitops_commit, d.by, d.at, d.rollback);
    int64_t id = sql::ReturnedId(q);
    // What runs there now, unless a later deployment is already recorded.
    sql::Statement run(db_,
                       "INSERT INTO running (service, env, deployment_id) VALUES (?,?,?) "
                       "ON CONFLICT (service, env) DO UPDATE SET deployment_id = "
                       "excluded.deployment_id WHERE (SELECT at FROM deployments WHERE id = "
                       "running.deployment_id) <= ?");
    sql::Bind(run, d.service, d.env, id, d.at);
    run.exec();
    return id;
  });
}

Status SqlStore::AddNote(const std::string& release_id, const ReleaseNote& n) {
  return Exec("record release note", [&] {
    sql::Statement q(
        db_, "INSERT INTO release_notes (release_id, category, text, by, at) VALUES (?,?,?,?,?)");
    sql::Bind(q, release_id, n.category, n.text, n.by, n.at);
    q.exec();
  });
}

Status SqlStore::AddRegistryCheck(const std::string& release_id, const RegistryCheck& c) {
  return Exec("record a registry check", [&] {
    sql::Statement q(db_,
                     "INSERT INTO registry_checks (release_id, service, ref, digest, image_digest, "
                     "verdict, revision, signed_at, detail, checked_at, keys) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sql::Bind(q, release_id, c.service, c.ref, c.digest, c.image_digest, c.verdict, c.revision,
              c.signed_at, c.detail, c.checked_at, c.keys);
    q.exec();
  });
}

Result<std::vector<EvidenceImage>> SqlStore::LoadRun(const std::string& run_id) {
  return Guard<std::vector<EvidenceImage>>("load run", [&] { return LoadEvidence(db_, run_id); });
}

Status SqlStore::AddEvidence(const std::vector<EvidenceImage>& images) {
  return Exec("record evidence", [&] {
    for (const auto& e : images) {
      sql::Statement run(db_,
                         "INSERT INTO evidence_runs (run_id, commit_sha, branch, finished_at) "
                         "VALUES (?,?,?,?) ON CONFLICT DO NOTHING");
      sql::Bind(run, e.run_id, e.commit, e.branch, e.finished_at);
      run.exec();
      sql::Statement q(db_,
                       "INSERT INTO evidence_images (run_id, service, ref, digest, scan, signed, "
                       "signed_at) VALUES (?,?,?,?,?,?,?)");
      sql::Bind(q, e.run_id, e.service, e.ref, e.digest, std::string(ScanName(e.scan)), e.is_signed,
                e.signed_at);
      q.exec();
    }
  });
}

Status SqlStore::AddDevelopHead(const DevelopHead& h) {
  return Exec("record develop head", [&] {
    sql::Statement q(db_, "INSERT INTO develop_heads (commit_sha, at) VALUES (?,?)");
    sql::Bind(q, h.commit, h.at);
    q.exec();
  });
}

Result<bool> SqlStore::MarkDone(const std::string& release_id, const std::string& action,
                                Instant at) {
  return Guard<bool>("mark step done", [&] {
    sql::Statement q(db_,
                     "INSERT INTO tick_done (release_id, action, at) VALUES (?,?,?) "
                     "ON CONFLICT DO NOTHING");
    sql::Bind(q, release_id, action, at);
    return q.exec() == 1;
  });
}

Result<std::vector<std::string>> SqlStore::DoneActions(const std::string& release_id) {
  return Guard<std::vector<std::string>>("list done steps", [&] {
    sql::Statement q(db_, "SELECT action FROM tick_done WHERE release_id = ?");
    q.bind(1, release_id);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<bool> SqlStore::TakeLease(const std::string& name, const std::string& holder, Instant now,
                                 Instant until) {
  // One statement, atomic on its own: no write transaction (and its lock) for each renewal.
  return Guard<bool>("take the lease", [&] {
    sql::Statement q(db_,
                     "INSERT INTO leases (name, holder, until) VALUES (?,?,?) "
                     "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                     "until = excluded.until WHERE leases.holder = excluded.holder "
                     "OR leases.until <= ?");
    sql::Bind(q, name, holder, until, now);
    return q.exec() == 1;
  });
}

namespace {

// Held in the store's connection until destroyed.
class HeldLock : public StoreLock {
 public:
  HeldLock(sql::Database& db, std::string name) : db_(db), name_(std::move(name)) {}
  ~HeldLock() override {
    try {
      db_.Unlock(name_);
    } catch (const std::exception&) {
      // A broken connection has dropped the lock with itself.
    }
  }

 private:
  sql::Database& db_;
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<StoreLock>> SqlStore::Lock(const std::string& name,
                                                  std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto got = Guard<bool>("take a lock", [&] { return db_.TryLock(name); });
    if (!got) return got.error();
    if (*got) return std::unique_ptr<StoreLock>(std::make_unique<HeldLock>(db_, name));
    if (std::chrono::steady_clock::now() >= until) {
      return ConflictError("another captain holds the " + name + " lock on " + where_ +
                           "; try again when its work is done");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Status SqlStore::AppendAudit(const AuditEntry& e) {
  return Exec("append audit", [&] {
    sql::Statement q(db_,
                     "INSERT INTO audit (at, actor, action, release_id, subject, before, after, "
                     "recorded_at) VALUES (?,?,?,?,?,?,?,?)");
    sql::Bind(q, e.at, e.actor, e.action, e.release_id, e.subject, e.before, e.after,
              e.recorded_at);
    q.exec();
  });
}

Status SqlStore::ForEachAudit(const AuditQuery& aq,
                              const std::function<Status(const AuditEntry&)>& each) {
  Status result;
  Status st = Exec("read audit", [&] {
    std::string text =
        "SELECT id, at, actor, action, release_id, subject, before, after, recorded_at FROM audit "
        "WHERE 1 = 1";
    std::vector<sql::Value> args;
    if (!aq.release_id.empty()) {
      text += " AND release_id = ?";
      args.emplace_back(aq.release_id);
    }
    if (aq.since) {
      text += " AND at >= ?";
      args.emplace_back(sql::Secs(*aq.since));
    }
    if (!aq.actor.empty()) {
      text += " AND actor = ?";
      args.emplace_back(aq.actor);
    }
    if (!aq.action.empty() && aq.action.back() == '.') {
      text += " AND action >= ? AND action < ?";
      args.emplace_back(aq.action);
      args.emplace_back(aq.action.substr(0, aq.action.size() - 1) + "/");
    } else if (!aq.action.empty()) {
      text += " AND action = ?";
      args.emplace_back(aq.action);
    }
    text += " ORDER BY id";
    if (aq.limit > 0) {
      text += " LIMIT ?";
      args.emplace_back(static_cast<int64_t>(aq.limit));
    }
    sql::Statement q(db_, text);
    for (size_t i = 0; i < args.size(); ++i) q.bindValue(static_cast<int>(i) + 1, args[i]);
    while (q.executeStep()) {
      AuditEntry e{
          q.getColumn(0).getInt64(),  At(q.getColumn(1).getInt64()), q.getColumn(2).getString(),
          q.getColumn(3).getString(), q.getColumn(4).getString(),    q.getColumn(5).getString(),
          q.getColumn(6).getString(), q.getColumn(7).getString(),    std::nullopt};
      if (!q.getColumn(8).isNull()) e.recorded_at = At(q.getColumn(8).getInt64());
      result = each(e);
      if (!result) return;
    }
  });
  if (!st) return st;
  return result;
}

Result<std::optional<Instant>> SqlStore::LatestAuditAt() {
  return Guard<std::optional<Instant>>("latest audit entry", [&]() -> std::optional<Instant> {
    sql::Statement q(db_, "SELECT max(at) FROM audit");
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return At(q.getColumn(0).getInt64());
  });
}

Result<int64_t> SqlStore::LastAuditId() {
  return Guard<int64_t>("latest audit id", [&] {
    sql::Statement q(db_, "SELECT coalesce(max(id), 0) FROM audit");
    return sql::ReturnedId(q);
  });
}

Result<std::vector<AuditEntry>> SqlStore::ListAudit(const std::string& release_id) {
  return Guard<std::vector<AuditEntry>>("list audit", [&] {
    sql::Statement q(
        db_,
        "SELECT id, at, actor, action, release_id, subject, before, after, recorded_at "
        "FROM audit WHERE ? = '' OR release_id = ? ORDER BY id");
    sql::Bind(q, release_id, release_id);
    std::vector<AuditEntry> out;
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getInt64(), At(q.getColumn(1).getInt64()),
                     q.getColumn(2).getString(), q.getColumn(3).getString(),
                     q.getColumn(4).getString(), q.getColumn(5).getString(),
                     q.getColumn(6).getString(), q.getColumn(7).getString(), std::nullopt});
      if (!q.getColumn(8).isNull()) out.back().recorded_at = At(q.getColumn(8).getInt64());
    }
    return out;
  });
}

}  // namespace captain
