#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/schema.h"
#include "store/sqlite_util.h"
#include "util/crash_point.h"

namespace captain {
namespace {

using sqlite::At;
using sqlite::SplitList;

Release ReadRelease(SQLite::Statement& q) {
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

SqliteStore::SqliteStore(const std::string& path, bool create)
    : path_(path), db_(path, SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0)) {
  db_.setBusyTimeout(10000);
  // Switching a fresh file to WAL takes an exclusive lock and may answer "locked" without
  // waiting while another process creates the schema: retry for a while.
  for (int attempt = 0;; ++attempt) {
    try {
      if (db_.execAndGet("PRAGMA journal_mode").getString() != "wal") {
        db_.exec("PRAGMA journal_mode = WAL");
      }
      break;
    } catch (const SQLite::Exception& e) {
      int code = e.getErrorCode() & 0xff;
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || attempt >= 200) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  db_.exec("PRAGMA synchronous = NORMAL");
  db_.exec("PRAGMA foreign_keys = ON");
}

namespace {

constexpr const char* kCreateHint =
    " (create one with 'captain init', or check --db and `database` in captain.yaml)";

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create) {
  if (!create) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) return UsageError(path + ": no captain database here" + kCreateHint);
    if (size == 0) return UsageError(path + ": empty file, not a captain database" + kCreateHint);
  }
  try {
    auto store = std::make_unique<SqliteStore>(path, create);
    if (auto st = store->Migrate(create); !st) return st.error();
    return std::unique_ptr<Store>(std::move(store));
  } catch (const std::exception& e) {
    return OtherError(path + ": cannot open the database: " + e.what());
  }
}

// The version is read inside the write transaction, so any number of processes may open a
// fresh (or older) database at once: the first migrates, the others wait and find it done.
Status SqliteStore::Migrate(bool create) {
  const auto& migrations = SqliteMigrations();
  return Exec("migrate the schema", [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    int version = db_.execAndGet("PRAGMA user_version").getInt();
    if (version > static_cast<int>(migrations.size())) {
      throw std::runtime_error("the database is schema version " + std::to_string(version) +
                               ", newer than this captain knows (" +
                               std::to_string(migrations.size()) + ")");
    }
    if (version == 0 && !create) {
      throw std::runtime_error("not a captain database (schema version 0)" +
                               std::string(kCreateHint));
    }
    if (version == 0 && db_.execAndGet("SELECT count(*) FROM sqlite_master").getInt() > 0) {
      throw std::runtime_error("holds tables but no captain schema; not touching it");
    }
    for (size_t i = static_cast<size_t>(version); i < migrations.size(); ++i) {
      db_.exec(migrations[i]);
    }
    if (version < static_cast<int>(migrations.size())) {
      db_.exec("PRAGMA user_version = " + std::to_string(migrations.size()));
    }
    tx.commit();
  });
}

Status SqliteStore::Exec(const char* what, const std::function<void()>& fn) {
  try {
    fn();
    return {};
  } catch (const std::exception& e) {
    return OtherError(std::string("database: ") + what + ": " + e.what());
  }
}

SQLite::Statement& SqliteStore::Cached(const char* sql) {
  auto& q = cached_[sql];
  if (!q) {
    q = std::make_unique<SQLite::Statement>(db_, sql);
  } else {
    q->reset();
    q->clearBindings();
  }
  return *q;
}

Status SqliteStore::Transaction(const std::function<Status()>& body) {
  if (in_transaction_) return body();
  if (auto st = Exec("begin", [&] { db_.exec("BEGIN IMMEDIATE"); }); !st) return st;
  in_transaction_ = true;
  Status result;
  try {
    result = body();
  } catch (const std::exception& e) {
    result = OtherError(std::string("unexpected failure: ") + e.what());
  }
  in_transaction_ = false;
  if (!result) {
    (void)Exec("rollback", [&] { db_.exec("ROLLBACK"); });
    return result;
  }
  CrashPoint("store-before-commit");
  if (auto st = Exec("commit", [&] { db_.exec("COMMIT"); }); !st) {
    (void)Exec("rollback", [&] { db_.exec("ROLLBACK"); });
    return st;
  }
  return {};
}

Result<std::optional<Release>> SqliteStore::FindRelease(const std::string& id) {
  return Guard<std::optional<Release>>("find release", [&]() -> std::optional<Release> {
    SQLite::Statement q(db_,
                        std::string("SELECT ") + kReleaseColumns + " FROM releases WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return ReadRelease(q);
  });
}

Result<std::vector<Release>> SqliteStore::ListOpenReleases() {
  return Guard<std::vector<Release>>("list open releases", [&] {
    std::string states;
    for (auto s :
         {ReleaseState::kCollecting, ReleaseState::kOptClosed, ReleaseState::kLowerDeployed,
          ReleaseState::kValidated, ReleaseState::kProdTestDeployed, ReleaseState::kProdDeployed}) {
      states += std::string(states.empty() ? "'" : ", '") + std::string(StateName(s)) + "'";
    }
    SQLite::Statement q(db_, std::string("SELECT ") + kReleaseColumns +
                                 " FROM releases WHERE state IN (" + states +
                                 ") ORDER BY release_day, created_at, id");
    std::vector<Release> out;
    while (q.executeStep()) out.push_back(ReadRelease(q));
    return out;
  });
}

Result<std::vector<Release>> SqliteStore::ListReleases() {
  return Guard<std::vector<Release>>("list releases", [&] {
    SQLite::Statement q(db_, std::string("SELECT ") + kReleaseColumns +
                                 " FROM releases ORDER BY release_day, created_at, id");
    std::vector<Release> out;
    while (q.executeStep()) out.push_back(ReadRelease(q));
    return out;
  });
}

Status SqliteStore::InsertRelease(const Release& r) {
  return Exec("insert release", [&] {
    SQLite::Statement q(db_, std::string("INSERT INTO releases (") + kReleaseColumns +
                                 ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sqlite::Bind(q, r.id, std::string(KindName(r.kind)), FormatDate(r.release_day),
                 std::string(StateName(r.state)), r.candidate_commit, r.requested_services,
                 r.changelog, r.scheduled_at, r.approved, r.created_by, r.created_at);
    q.exec();
  });
}

Status SqliteStore::UpdateRelease(const Release& r) {
  return Exec("update release", [&] {
    SQLite::Statement q(
        db_,
        "UPDATE releases SET state = ?, candidate_commit = ?, requested_services = ?, "
        "changelog = ?, scheduled_at = ?, approved = ? WHERE id = ?");
    sqlite::Bind(q, std::string(StateName(r.state)), r.candidate_commit, r.requested_services,
                 r.changelog, r.scheduled_at, r.approved, r.id);
    q.exec();
  });
}

Status SqliteStore::AddOpt(const std::string& release_id, const OptRecord& o) {
  return Exec("record opt answer", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO opt_answers (release_id, team, service, answer, by, at, "
                        "late_reason) VALUES (?,?,?,?,?,?,?)");
    sqlite::Bind(q, release_id, o.team, o.service, o.answer == OptAnswer::kIn ? "in" : "out", o.by,
                 o.at, o.late_reason);
    q.exec();
  });
}

Status SqliteStore::AddOverride(const std::string& release_id, const GateOverride& o) {
  return Exec("record override", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO gate_overrides (release_id, service, reason, by, at, kind) "
                        "VALUES (?,?,?,?,?,?)");
    sqlite::Bind(q, release_id, o.service, o.reason, o.by, o.at, o.kind);
    q.exec();
  });
}

Status SqliteStore::AddCancel(const std::string& release_id, const ServiceCancel& c) {
  return Exec("record service cancel", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO service_cancels (release_id, service, reason, by, at) "
                        "VALUES (?,?,?,?,?)");
    sqlite::Bind(q, release_id, c.service, c.reason, c.by, c.at);
    q.exec();
  });
}

Status SqliteStore::AddSwap(const std::string& release_id, const CandidateSwap& s) {
  return Exec("record candidate swap", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO candidate_swaps (release_id, service, commit_sha, by, at) "
                        "VALUES (?,?,?,?,?)");
    sqlite::Bind(q, release_id, s.service, s.commit, s.by, s.at);
    q.exec();
  });
}

Status SqliteStore::AddSignOff(const std::string& release_id, const SignOff& s) {
  return Exec("record sign-off", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO signoffs (release_id, team, env, by, at) VALUES (?,?,?,?,?)");
    sqlite::Bind(q, release_id, s.team, s.env, s.by, s.at);
    q.exec();
  });
}

Result<int64_t> SqliteStore::AddDefect(const Defect& d) {
  return Guard<int64_t>("record defect", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO defects (release_id, service, title, opened_by, opened_at) "
                        "VALUES (?,?,?,?,?)");
    sqlite::Bind(q, d.release_id, d.service, d.title, d.opened_by, d.opened_at);
    q.exec();
    return static_cast<int64_t>(db_.getLastInsertRowid());
  });
}

Status SqliteStore::ResolveDefect(int64_t id, const std::string& by, Instant at) {
  return Exec("resolve defect", [&] {
    SQLite::Statement q(db_, "UPDATE defects SET resolved_by = ?, resolved_at = ? WHERE id = ?");
    sqlite::Bind(q, by, at, static_cast<int64_t>(id));
    q.exec();
  });
}

Status SqliteStore::AddHealth(const std::string& release_id, const HealthRecord& h) {
  return Exec("record health", [&] {
    SQLite::Statement q(
        db_, "INSERT INTO health (release_id, env, service, healthy, at) VALUES (?,?,?,?,?)");
    sqlite::Bind(q, release_id, h.env, h.service, h.healthy, h.at);
    q.exec();
  });
}

Result<int64_t> SqliteStore::AddDeployment(const Deployment& d) {
  return Guard<int64_t>("record deployment", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO deployments (release_id, env, service, commit_sha, old_tag, "
                        "new_tag, signed_at, gitops_commit, by, at, rollback) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sqlite::Bind(q, d.release_id, d.env, d.service, d.commit, d.old_tag, d.new_tag, d.signed_at,
                 d.gitops_commit, d.by, d.at, d.rollback);
    q.exec();
    auto id = static_cast<int64_t>(db_.getLastInsertRowid());
    // What runs there now, unless a later deployment is already recorded.
    SQLite::Statement run(db_,
                          "INSERT INTO running (service, env, deployment_id) VALUES (?,?,?) "
                          "ON CONFLICT (service, env) DO UPDATE SET deployment_id = "
                          "excluded.deployment_id WHERE (SELECT at FROM deployments WHERE id = "
                          "running.deployment_id) <= ?");
    sqlite::Bind(run, d.service, d.env, id, d.at);
    run.exec();
    return id;
  });
}

Status SqliteStore::AddNote(const std::string& release_id, const ReleaseNote& n) {
  return Exec("record release note", [&] {
    SQLite::Statement q(
        db_, "INSERT INTO release_notes (release_id, category, text, by, at) VALUES (?,?,?,?,?)");
    sqlite::Bind(q, release_id, n.category, n.text, n.by, n.at);
    q.exec();
  });
}

Status SqliteStore::AddRegistryCheck(const std::string& release_id, const RegistryCheck& c) {
  return Exec("record a registry check", [&] {
    SQLite::Statement q(
        db_,
        "INSERT INTO registry_checks (release_id, service, ref, digest, image_digest, "
        "verdict, revision, signed_at, detail, checked_at, keys) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sqlite::Bind(q, release_id, c.service, c.ref, c.digest, c.image_digest, c.verdict, c.revision,
                 c.signed_at, c.detail, c.checked_at, c.keys);
    q.exec();
  });
}

Result<std::vector<EvidenceImage>> SqliteStore::LoadRun(const std::string& run_id) {
  return Guard<std::vector<EvidenceImage>>("load run", [&] { return LoadEvidence(db_, run_id); });
}

Status SqliteStore::AddEvidence(const std::vector<EvidenceImage>& images) {
  return Exec("record evidence", [&] {
    for (const auto& e : images) {
      SQLite::Statement run(db_,
                            "INSERT OR IGNORE INTO evidence_runs (run_id, commit_sha, branch, "
                            "finished_at) VALUES (?,?,?,?)");
      sqlite::Bind(run, e.run_id, e.commit, e.branch, e.finished_at);
      run.exec();
      SQLite::Statement q(
          db_,
          "INSERT INTO evidence_images (run_id, service, ref, digest, scan, signed, "
          "signed_at) VALUES (?,?,?,?,?,?,?)");
      sqlite::Bind(q, e.run_id, e.service, e.ref, e.digest, std::string(ScanName(e.scan)),
                   e.is_signed, e.signed_at);
      q.exec();
    }
  });
}

Status SqliteStore::AddDevelopHead(const DevelopHead& h) {
  return Exec("record develop head", [&] {
    SQLite::Statement q(db_, "INSERT INTO develop_heads (commit_sha, at) VALUES (?,?)");
    sqlite::Bind(q, h.commit, h.at);
    q.exec();
  });
}

Result<bool> SqliteStore::MarkDone(const std::string& release_id, const std::string& action,
                                   Instant at) {
  return Guard<bool>("mark step done", [&] {
    SQLite::Statement q(db_,
                        "INSERT OR IGNORE INTO tick_done (release_id, action, at) VALUES (?,?,?)");
    sqlite::Bind(q, release_id, action, at);
    return q.exec() == 1;
  });
}

Result<std::vector<std::string>> SqliteStore::DoneActions(const std::string& release_id) {
  return Guard<std::vector<std::string>>("list done steps", [&] {
    SQLite::Statement q(db_, "SELECT action FROM tick_done WHERE release_id = ?");
    q.bind(1, release_id);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  });
}

Result<bool> SqliteStore::TakeLease(const std::string& name, const std::string& holder, Instant now,
                                    Instant until) {
  Result<bool> taken = false;
  Status st = Transaction([&]() -> Status {
    taken = Guard<bool>("take the lease", [&] {
      SQLite::Statement q(db_,
                          "INSERT INTO leases (name, holder, until) VALUES (?,?,?) "
                          "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                          "until = excluded.until WHERE leases.holder = excluded.holder "
                          "OR leases.until <= ?");
      sqlite::Bind(q, name, holder, until, now);
      return q.exec() == 1;
    });
    return taken ? Status{} : Status{taken.error()};
  });
  if (!st) return st.error();
  return taken;
}

Status SqliteStore::AppendAudit(const AuditEntry& e) {
  return Exec("append audit", [&] {
    SQLite::Statement q(db_,
                        "INSERT INTO audit (at, actor, action, release_id, subject, before, after, "
                        "recorded_at) VALUES (?,?,?,?,?,?,?,?)");
    sqlite::Bind(q, e.at, e.actor, e.action, e.release_id, e.subject, e.before, e.after,
                 e.recorded_at);
    q.exec();
  });
}

Status SqliteStore::ForEachAudit(const AuditQuery& aq,
                                 const std::function<Status(const AuditEntry&)>& each) {
  Status result;
  Status st = Exec("read audit", [&] {
    std::string sql =
        "SELECT id, at, actor, action, release_id, subject, before, after, recorded_at FROM audit "
        "WHERE 1";
    if (!aq.release_id.empty()) sql += " AND release_id = :release";
    if (aq.since) sql += " AND at >= :since";
    if (!aq.actor.empty()) sql += " AND actor = :actor";
    bool prefix = !aq.action.empty() && aq.action.back() == '.';
    if (!aq.action.empty())
      sql += prefix ? " AND action >= :action AND action < :upto" : " AND action = :action";
    sql += " ORDER BY id";
    if (aq.limit > 0) sql += " LIMIT :limit";
    SQLite::Statement q(db_, sql);
    if (!aq.release_id.empty()) q.bind(":release", aq.release_id);
    if (aq.since) q.bind(":since", sqlite::Secs(*aq.since));
    if (!aq.actor.empty()) q.bind(":actor", aq.actor);
    if (!aq.action.empty()) q.bind(":action", aq.action);
    if (prefix) q.bind(":upto", aq.action.substr(0, aq.action.size() - 1) + "/");
    if (aq.limit > 0) q.bind(":limit", static_cast<int64_t>(aq.limit));
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

Result<std::optional<Instant>> SqliteStore::LatestAuditAt() {
  return Guard<std::optional<Instant>>("latest audit entry", [&]() -> std::optional<Instant> {
    SQLite::Statement q(db_, "SELECT max(at) FROM audit");
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return At(q.getColumn(0).getInt64());
  });
}

Result<int64_t> SqliteStore::LastAuditId() {
  return Guard<int64_t>("latest audit id", [&] {
    SQLite::Statement q(db_, "SELECT coalesce(max(id), 0) FROM audit");
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(const std::string& release_id) {
  return Guard<std::vector<AuditEntry>>("list audit", [&] {
    SQLite::Statement q(
        db_,
        "SELECT id, at, actor, action, release_id, subject, before, after, recorded_at "
        "FROM audit WHERE ? = '' OR release_id = ? ORDER BY id");
    sqlite::Bind(q, release_id, release_id);
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
