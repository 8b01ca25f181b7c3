// The one interface the store's SQL runs through, so the same statements serve SQLite and
// PostgreSQL. Statements use '?' parameters; an engine that spells them otherwise translates.
// Failures are thrown as sql::Error (the store turns them into Status at its boundary).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace captain::sql {

// A database failure; `retryable` when the transaction lost a serialization conflict or a
// deadlock and may simply be run again.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, bool retryable = false)
      : std::runtime_error(message), retryable_(retryable) {}
  bool retryable() const { return retryable_; }

 private:
  bool retryable_;
};

using Value = std::variant<std::monostate, int64_t, std::string>;  // monostate: NULL

// One prepared statement of an engine.
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void Bind(int index, Value v) = 0;  // 1-based
  virtual bool Step() = 0;                    // runs the statement first; false: no more rows
  virtual int Exec() = 0;                     // runs it; the rows it changed
  virtual bool IsNull(int col) const = 0;     // 0-based, of the current row
  virtual int64_t Int64(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  virtual int ColumnCount() const = 0;
  virtual std::string ColumnName(int col) const = 0;
  virtual void Reset() = 0;  // ready to bind and run again
};

class Database {
 public:
  virtual ~Database() = default;
  virtual std::unique_ptr<Cursor> Prepare(const std::string& sql) = 0;
  // Runs statements without parameters (a migration, BEGIN, COMMIT…).
  virtual void Exec(const std::string& sql) = 0;
  // A write transaction: one writer at a time, reads inside it see what it wrote.
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;

  // What differs between engines besides the SQL both take:
  // the schema version recorded (0: none), inside a write transaction;
  virtual int SchemaVersion() = 0;
  virtual void SetSchemaVersion(int version) = 0;
  // whether it holds tables that are not captain's record of its schema;
  virtual bool HasTables() = 0;
  // a migration, written for SQLite, as this engine takes it;
  virtual std::string Ddl(const std::string& sqlite_sql) { return sqlite_sql; }
  // rows were inserted into `table` (which has an id column) with their ids given: new rows
  // go on after the highest (SQLite's integer keys do that by themselves);
  virtual void KeysCopied(const std::string& /*table*/) {}
  // a named lock shared by every connection, taken without waiting (false: another holds
  // it) and released. An engine that lives on one host (SQLite) has none to give: the callers'
  // file locks serve there, and TryLock always succeeds.
  virtual bool TryLock(const std::string& name) = 0;
  virtual void Unlock(const std::string& name) = 0;
};

class Statement;

// One column of a statement's current row.
class Column {
 public:
  Column(const Cursor& c, int i) : c_(c), i_(i) {}
  bool isNull() const { return c_.IsNull(i_); }
  int64_t getInt64() const { return c_.Int64(i_); }
  int getInt() const { return static_cast<int>(c_.Int64(i_)); }
  std::string getString() const { return c_.Text(i_); }

 private:
  const Cursor& c_;
  int i_;
};

// A statement, with the calls the store's files make.
class Statement {
 public:
  Statement(Database& db, const std::string& sql) : c_(db.Prepare(sql)) {}
  void bind(int i, const std::string& v) { c_->Bind(i, v); }
  void bind(int i, const char* v) { c_->Bind(i, std::string(v)); }
  void bind(int i, int v) { c_->Bind(i, static_cast<int64_t>(v)); }
  void bind(int i, int64_t v) { c_->Bind(i, v); }
  void bind(int i) { c_->Bind(i, std::monostate{}); }
  void bindValue(int i, const Value& v) { c_->Bind(i, v); }
  bool executeStep() { return c_->Step(); }
  int exec() { return c_->Exec(); }
  Column getColumn(int i) const { return Column(*c_, i); }
  int getColumnCount() const { return c_->ColumnCount(); }
  std::string getColumnName(int i) const { return c_->ColumnName(i); }
  void reset() { c_->Reset(); }

 private:
  std::unique_ptr<Cursor> c_;
};

}  // namespace captain::sql
