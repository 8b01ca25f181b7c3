#include "store/sql/pg_database.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <regex>
#include <vector>

namespace captain::sql {
namespace {

// The advisory lock write transactions take (any constant: captain's own database).
constexpr const char* kWriteLock = "SELECT pg_advisory_lock(7321001)";
constexpr const char* kWriteUnlock = "SELECT pg_advisory_unlock(7321001)";

bool Retryable(const PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  if (!state) return false;
  std::string s = state;
  return s == "40001" || s == "40P01";
}

// Throws for a failed result (and frees it).
PGresult* Check(pg_conn* conn, PGresult* r) {
  auto status = PQresultStatus(r);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  bool retry = Retryable(r);
  PQclear(r);
  throw Error(msg, retry);
}

class PgCursor : public Cursor {
 public:
  PgCursor(PgDatabase& db, std::string sql) : db_(db), sql_(std::move(sql)) {}
  ~PgCursor() override { Clear(); }
  void Bind(int index, Value v) override {
    if (index < 1) throw Error("parameter index " + std::to_string(index));
    if (params_.size() < static_cast<size_t>(index)) params_.resize(static_cast<size_t>(index));
    params_[static_cast<size_t>(index) - 1] = std::move(v);
  }
  bool Step() override {
    if (!result_) Run();
    ++row_;
    return row_ < PQntuples(result_);
  }
  int Exec() override {
    Run();
    const char* n = PQcmdTuples(result_);
    return n && *n ? std::atoi(n) : 0;
  }
  bool IsNull(int col) const override { return PQgetisnull(result_, row_, col) != 0; }
  int64_t Int64(int col) const override {
    if (IsNull(col)) return 0;
    return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
  }
  std::string Text(int col) const override {
    return std::string(PQgetvalue(result_, row_, col),
                       static_cast<size_t>(PQgetlength(result_, row_, col)));
  }
  int ColumnCount() const override {
    if (!result_) const_cast<PgCursor*>(this)->Run();
    return PQnfields(result_);
  }
  std::string ColumnName(int col) const override {
    if (!result_) const_cast<PgCursor*>(this)->Run();
    return PQfname(result_, col);
  }
  void Reset() override {
    Clear();
    params_.clear();
  }

 private:
  void Clear() {
    if (result_) PQclear(result_);
    result_ = nullptr;
    row_ = -1;
  }
  void Run() {
    Clear();
    const std::string& name = db_.Prepared(sql_);
    std::vector<std::string> text(params_.size());
    std::vector<const char*> values(params_.size(), nullptr);
    for (size_t i = 0; i < params_.size(); ++i) {
      if (auto* n = std::get_if<int64_t>(&params_[i])) {
        text[i] = std::to_string(*n);
        values[i] = text[i].c_str();
      } else if (auto* s = std::get_if<std::string>(&params_[i])) {
        values[i] = s->c_str();
      }
    }
    result_ =
        Check(db_.conn(), PQexecPrepared(db_.conn(), name.c_str(), static_cast<int>(values.size()),
                                         values.data(), nullptr, nullptr, 0));
  }

  PgDatabase& db_;
  std::string sql_;
  std::vector<Value> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

void NoticeToNowhere(void*, const char*) {}

}  // namespace

bool IsPostgresUrl(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

std::string RedactUrl(const std::string& url) {
  std::string out = url;
  // user:password@
  auto scheme = out.find("://");
  auto at = out.find('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at)
      out = out.substr(0, colon + 1) + "***" + out.substr(at);
  }
  // ?password=… or &password=…
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p)) {
    p += 9;
    if (p - 9 > 0 && out[p - 10] != '?' && out[p - 10] != '&') continue;
    auto end = out.find('&', p);
    out.replace(p, (end == std::string::npos ? out.size() : end) - p, "***");
  }
  return out;
}

std::string NumberParameters(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

PgDatabase::PgDatabase(const std::string& url) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(msg);
  }
  try {
    Configure();
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

// Every statement is SERIALIZABLE, the single ones outside a transaction too, so that one
// conflicting with a transaction's reads is caught on one side or the other. A lock not had in
// 30 s is an error (SQLite's busy timeout is 10 s). The server drops a connection whose host
// stopped answering within about 30 s, and with it that connection's locks.
void PgDatabase::Configure() {
  PQsetNoticeProcessor(conn_, NoticeToNowhere, nullptr);
  Exec(
      "SET client_min_messages = warning; SET default_transaction_isolation = serializable; "
      "SET lock_timeout = '30s'; SET tcp_keepalives_idle = 10; "
      "SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3; "
      "SET tcp_user_timeout = 30000");
}

// A connection the server or the network dropped is opened again before the next statement,
// unless a transaction was under way: that one is lost, and said so as a retryable failure
// (it rolled back on the server; run again it lands whole).
void PgDatabase::Reconnect() {
  if (PQstatus(conn_) != CONNECTION_BAD) return;
  if (in_transaction_) throw Error("the connection to the database was lost mid-transaction", true);
  PQreset(conn_);
  prepared_.clear();
  locked_ = false;
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw Error("the connection to the database was lost and could not be opened again: " + msg);
  }
  Configure();
}

PgDatabase::~PgDatabase() {
  if (conn_) PQfinish(conn_);
}

const std::string& PgDatabase::Prepared(const std::string& sql) {
  Reconnect();
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  PQclear(Check(conn_, PQprepare(conn_, name.c_str(), NumberParameters(sql).c_str(), 0, nullptr)));
  return prepared_.emplace(sql, name).first->second;
}

std::unique_ptr<Cursor> PgDatabase::Prepare(const std::string& sql) {
  return std::make_unique<PgCursor>(*this, sql);
}

void PgDatabase::Exec(const std::string& sql) {
  Reconnect();
  PQclear(Check(conn_, PQexec(conn_, sql.c_str())));
}

int PgDatabase::SchemaVersion() {
  Exec("CREATE TABLE IF NOT EXISTS captain_schema (version INTEGER NOT NULL)");
  Statement q(*this, "SELECT coalesce(max(version), 0) FROM captain_schema");
  q.executeStep();
  return q.getColumn(0).getInt();
}

void PgDatabase::SetSchemaVersion(int version) {
  Exec("DELETE FROM captain_schema");
  Exec("INSERT INTO captain_schema (version) VALUES (" + std::to_string(version) + ")");
}

bool PgDatabase::HasTables() {
  Statement q(*this,
              "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
              "current_schema() AND table_name <> 'captain_schema'");
  q.executeStep();
  return q.getColumn(0).getInt64() > 0;
}

std::string PgDatabase::Ddl(const std::string& sqlite_sql) { return PostgresDdl(sqlite_sql); }

void PgDatabase::KeysCopied(const std::string& table) {
  Statement seq(*this, "SELECT pg_get_serial_sequence(?, 'id')");
  seq.bind(1, table);
  if (!seq.executeStep() || seq.getColumn(0).isNull()) return;
  Exec("SELECT setval('" + seq.getColumn(0).getString() + "', coalesce((SELECT max(id) FROM " +
       table + "), 0) + 1, false)");
}

bool PgDatabase::TryLock(const std::string& name) {
  Statement q(*this, "SELECT pg_try_advisory_lock(hashtext(?))");
  q.bind(1, name);
  q.executeStep();
  return q.getColumn(0).getString() == "t";
}

void PgDatabase::Unlock(const std::string& name) {
  Statement q(*this, "SELECT pg_advisory_unlock(hashtext(?))");
  q.bind(1, name);
  q.executeStep();
}

std::string PostgresDdl(const std::string& sqlite_sql) {
  static const std::regex trigger(
      R"(CREATE TRIGGER (\w+) BEFORE (UPDATE|DELETE) ON (\w+)\s+BEGIN SELECT RAISE\(ABORT, )"
      R"('([^']*)'\); END;)");
  static const std::regex key(R"(INTEGER PRIMARY KEY( AUTOINCREMENT)?)");
  static const std::regex integer(R"(\bINTEGER\b)");
  static const std::regex text(R"(\bTEXT\b)");
  std::string out = std::regex_replace(
      sqlite_sql, trigger,
      "CREATE FUNCTION captain_$1() RETURNS trigger LANGUAGE plpgsql AS "
      "'BEGIN RAISE EXCEPTION ''$4''; END';\n"
      "CREATE TRIGGER $1 BEFORE $2 ON $3 FOR EACH ROW EXECUTE FUNCTION captain_$1();");
  out = std::regex_replace(out, key, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  out = std::regex_replace(out, integer, "BIGINT");
  out = std::regex_replace(out, text, "TEXT COLLATE \"C\"");
  for (size_t at; (at = out.find(") WITHOUT ROWID;")) != std::string::npos;) {
    out.replace(at, 16, ");");
  }
  return out;
}

void PgDatabase::Begin() {
  Exec(kWriteLock);
  locked_ = true;
  try {
    Exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
  } catch (...) {
    ReleaseWriteLock();
    throw;
  }
  in_transaction_ = true;
}

// After the transaction ends, committed or not: a failure to unlock (a connection that broke
// meanwhile, which dropped the lock with itself) changes nothing about how it ended.
void PgDatabase::ReleaseWriteLock() {
  in_transaction_ = false;
  if (!locked_) return;
  locked_ = false;
  try {
    Exec(kWriteUnlock);
  } catch (const std::exception&) {
  }
}

void PgDatabase::Commit() {
  try {
    Exec("COMMIT");
  } catch (...) {
    ReleaseWriteLock();
    throw;
  }
  ReleaseWriteLock();
}

void PgDatabase::Rollback() {
  try {
    Exec("ROLLBACK");
  } catch (...) {
    ReleaseWriteLock();
    throw;
  }
  ReleaseWriteLock();
}

}  // namespace captain::sql
