// sql::Database on SQLite (SQLiteCpp): WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE.
#pragma once

#include <SQLiteCpp/Database.h>

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
  SQLite::Database db_;
};

}  // namespace captain::sql
