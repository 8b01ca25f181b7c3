// sql::Database on PostgreSQL (libpq). '?' parameters become $1, $2…; statements are prepared
// once per connection. Write transactions take one advisory lock before BEGIN, so they run one
// at a time as on SQLite. Every statement runs SERIALIZABLE (single ones outside a transaction
// too), so a conflict between a transaction's reads and another connection's write fails one
// side with a retryable sql::Error instead of passing unseen.
#pragma once

#include <map>
#include <string>

#include "store/sql/database.h"

struct pg_conn;

namespace captain::sql {

class PgDatabase : public Database {
 public:
  // `url`: postgresql://user@host:port/dbname?… (anything libpq takes). Throws sql::Error.
  explicit PgDatabase(const std::string& url);
  ~PgDatabase() override;
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  std::unique_ptr<Cursor> Prepare(const std::string& sql) override;
  void Exec(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  // The version lives in a table of its own, captain_schema.
  int SchemaVersion() override;
  void SetSchemaVersion(int version) override;
  bool HasTables() override;
  std::string Ddl(const std::string& sqlite_sql) override;
  // Moves the table's identity sequence, if it has one, past the highest id.
  void KeysCopied(const std::string& table) override;
  // Advisory locks, keyed by the name's hash.
  bool TryLock(const std::string& name) override;
  void Unlock(const std::string& name) override;

  // The name of the server-side prepared statement for `sql` (preparing it the first time).
  const std::string& Prepared(const std::string& sql);
  pg_conn* conn() { return conn_; }

 private:
  void Configure();
  void Reconnect();
  void ReleaseWriteLock();
  pg_conn* conn_ = nullptr;
  std::map<std::string, std::string> prepared_;
  bool locked_ = false;          // the write lock is held
  bool in_transaction_ = false;  // between Begin and Commit or Rollback
};

// A migration as PostgreSQL takes it: 64-bit integers and identity keys, byte-order ("C")
// text so ranges and ordering agree with SQLite, and triggers as PL/pgSQL functions.
std::string PostgresDdl(const std::string& sqlite_sql);
// `sql` with each '?' outside quotes numbered as $1, $2…
std::string NumberParameters(const std::string& sql);
// Whether `target` names a PostgreSQL database (postgresql:// or postgres://).
bool IsPostgresUrl(const std::string& target);
// `url` without its password, for messages.
std::string RedactUrl(const std::string& url);

}  // namespace captain::sql
