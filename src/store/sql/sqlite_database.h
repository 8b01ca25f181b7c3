// sql::Database on SQLite (SQLiteCpp): WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>
#include <unordered_map>

#include "store/sql/database.h"

namespace captain::sql {

class SqliteDatabase : public Database {
 public:
  SqliteDatabase(const std::string& path, bool create);
  std::unique_ptr<Cursor> Prepare(const std::string& sql) override;
  void Exec(const std::string& sql) override;
  void Begin() override { Exec("BEGIN IMMEDIATE"); }
  void Commit() override { Exec("COMMIT"); }
  void Rollback() override { Exec("ROLLBACK"); }
  int SchemaVersion() override;
  void SetSchemaVersion(int version) override;
  bool HasTables() override;
  bool TryLock(const std::string&) override { return true; }
  void Unlock(const std::string&) override {}
  // The connection itself, for tests that inspect query plans.
  SQLite::Database& handle() { return db_; }

 private:
  // Prepared statements kept by their SQL (up to kMaxCached), as the PostgreSQL driver keeps
  // its own: a statement is compiled once per connection, not once per call. One in use is not
  // lent twice (a nested use of the same SQL gets a statement of its own).
  struct Kept {
    std::unique_ptr<SQLite::Statement> statement;
    bool lent = false;
  };
  static constexpr size_t kMaxCached = 256;

  SQLite::Database db_;
  std::unordered_map<std::string, Kept> kept_;  // after db_: finalized before it closes
};

}  // namespace captain::sql
