#include "store/sql/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace captain::sql {
namespace {

class SqliteCursor : public Cursor {
 public:
  // Runs `q`; `lent` (a kept statement's flag) is cleared, and the statement reset, at the end.
  SqliteCursor(SQLite::Statement& q, bool* lent) : q_(q), lent_(lent) {}
  explicit SqliteCursor(std::unique_ptr<SQLite::Statement> own) : own_(std::move(own)), q_(*own_) {}
  ~SqliteCursor() override {
    if (!lent_) return;
    try {
      Reset();
    } catch (const SQLite::Exception&) {
      // reset() reports the last step's error again; the statement is reset all the same.
    }
    *lent_ = false;
  }
  void Bind(int index, Value v) override {
    if (auto* i = std::get_if<int64_t>(&v)) {
      q_.bind(index, *i);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      q_.bind(index, *s);
    } else {
      q_.bind(index);
    }
  }
  bool Step() override { return q_.executeStep(); }
  int Exec() override { return q_.exec(); }
  bool IsNull(int col) const override { return q_.getColumn(col).isNull(); }
  int64_t Int64(int col) const override { return q_.getColumn(col).getInt64(); }
  std::string Text(int col) const override { return q_.getColumn(col).getString(); }
  int ColumnCount() const override { return q_.getColumnCount(); }
  std::string ColumnName(int col) const override { return q_.getColumnName(col); }
  void Reset() override {
    q_.reset();
    q_.clearBindings();
  }

 private:
  std::unique_ptr<SQLite::Statement> own_;
  SQLite::Statement& q_;
  bool* lent_ = nullptr;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, bool create)
    : db_(path, SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0)) {
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

std::unique_ptr<Cursor> SqliteDatabase::Prepare(const std::string& sql) {
  auto it = kept_.find(sql);
  if (it == kept_.end() && kept_.size() < kMaxCached) {
    it = kept_.emplace(sql, Kept{std::make_unique<SQLite::Statement>(db_, sql), false}).first;
  }
  if (it == kept_.end() || it->second.lent) {
    return std::make_unique<SqliteCursor>(std::make_unique<SQLite::Statement>(db_, sql));
  }
  it->second.lent = true;
  return std::make_unique<SqliteCursor>(*it->second.statement, &it->second.lent);
}

void SqliteDatabase::Exec(const std::string& sql) { db_.exec(sql); }

int SqliteDatabase::SchemaVersion() { return db_.execAndGet("PRAGMA user_version").getInt(); }

void SqliteDatabase::SetSchemaVersion(int version) {
  db_.exec("PRAGMA user_version = " + std::to_string(version));
}

bool SqliteDatabase::HasTables() {
  return db_.execAndGet("SELECT count(*) FROM sqlite_master").getInt64() > 0;
}

}  // namespace captain::sql
