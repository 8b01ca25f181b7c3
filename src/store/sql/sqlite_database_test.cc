// The SQLite driver's kept statements: compiled once per connection, reset between uses, and
// never lent twice at once.
#include "store/sql/sqlite_database.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

namespace captain::sql {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("captain-sqlite-" + std::to_string(::getpid()) + ".db"))
                .string();
    std::filesystem::remove(path_);
    db_ = std::make_unique<SqliteDatabase>(path_, /*create=*/true);
    db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    for (int i = 1; i <= 3; ++i) {
      Statement ins(*db_, "INSERT INTO t (id, v) VALUES (?, ?)");
      ins.bind(1, i);
      ins.bind(2, "v" + std::to_string(i));
      ins.exec();
    }
  }
  void TearDown() override {
    db_.reset();
    for (const char* tail : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + tail);
  }
  // Statements the connection has compiled in all (SQLITE_DBSTATUS would not count them; the
  // number of prepared statements alive does).
  int Alive() {
    int n = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db_->handle().getHandle(), nullptr); s;
         s = sqlite3_next_stmt(db_->handle().getHandle(), s)) {
      ++n;
    }
    return n;
  }
  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(SqliteDatabaseTest, AStatementIsCompiledOnceAndResetBetweenUses) {
  int before = Alive();
  for (int round = 0; round < 50; ++round) {
    Statement q(*db_, "SELECT v FROM t WHERE id = ?");
    q.bind(1, round % 3 + 1);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getString(), "v" + std::to_string(round % 3 + 1));
    // Left mid-result on purpose: the next use must start afresh, with no binding kept.
  }
  EXPECT_EQ(Alive(), before + 1) << "one kept statement for 50 uses";
  Statement unbound(*db_, "SELECT v FROM t WHERE id = ?");
  EXPECT_FALSE(unbound.executeStep()) << "a binding of the last use was kept";
}

TEST_F(SqliteDatabaseTest, TheSameSqlNestedGetsAStatementOfItsOwn) {
  const std::string sql = "SELECT id, v FROM t WHERE id >= ? ORDER BY id";
  Statement outer(*db_, sql);
  outer.bind(1, 1);
  std::vector<std::string> seen;
  while (outer.executeStep()) {
    Statement inner(*db_, sql);
    inner.bind(1, outer.getColumn(0).getInt());
    int rows = 0;
    while (inner.executeStep()) ++rows;
    seen.push_back(outer.getColumn(1).getString() + ":" + std::to_string(rows));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"v1:3", "v2:2", "v3:1"}));
}

TEST_F(SqliteDatabaseTest, AKeptStatementHoldsNoReadTransactionOnceDone) {
  {
    Statement q(*db_, "SELECT count(*) FROM t");
    ASSERT_TRUE(q.executeStep());  // not stepped to the end
  }
  // Another connection can checkpoint the whole WAL only if no reader holds a snapshot.
  SqliteDatabase other(path_, /*create=*/false);
  other.Exec("INSERT INTO t (id, v) VALUES (4, 'v4')");
  int log = -1, done = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(other.handle().getHandle(), nullptr,
                                      SQLITE_CHECKPOINT_TRUNCATE, &log, &done),
            SQLITE_OK);
  Statement q(*db_, "SELECT count(*) FROM t");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 4) << "the kept statement saw an old snapshot";
}

}  // namespace
}  // namespace captain::sql
