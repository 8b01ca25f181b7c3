// captain store copy: a release's SQLite database copied into PostgreSQL reads back the same
// through the command line; a target that holds data is refused; every table is copied.
#include "store/copy.h"

#include <gtest/gtest.h>

#include <set>

#include "store/sql/sqlite_database.h"
#include "testing/pg_server.h"
#include "testing/release_flow.h"

namespace captain::testing {
namespace {

TEST(StoreCopy, EveryTableOfTheSchemaIsCopied) {
  Sandbox box;
  sql::SqliteDatabase db(box.Path("captain.db"), false);
  sql::Statement q(db,
                   "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                   "'sqlite_%'");
  std::set<std::string> tables;
  while (q.executeStep()) tables.insert(q.getColumn(0).getString());
  EXPECT_EQ(tables, std::set<std::string>(StoreTables().begin(), StoreTables().end()));
}

TEST(StoreCopy, ASqliteReleaseReadsTheSameFromPostgres) {
  Sandbox box;
  TuesdayWithCli(box);
  std::string url = PgServer::Get().NewDatabase();
  auto copied = RunCaptain({"store", "copy", "--from", box.Path("captain.db"), "--to", url});
  ASSERT_EQ(copied.code, 0) << copied.err << copied.out;
  EXPECT_NE(copied.out.find("every table compared equal"), std::string::npos) << copied.out;
  EXPECT_NE(copied.err.find("copied audit: "), std::string::npos) << copied.err;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--json", "release", "show", kFlowRelease},
        std::vector<std::string>{"--json", "audit", "--release", kFlowRelease},
        std::vector<std::string>{"--json", "notify", "list"}}) {
    auto from_sqlite = box.Captain("2026-12-01T21:00:00Z", args);
    args.insert(args.begin(), {"--db", url});
    auto from_pg = box.Captain("2026-12-01T21:00:00Z", args);
    ASSERT_EQ(from_sqlite.code, 0) << from_sqlite.err;
    ASSERT_EQ(from_pg.code, 0) << from_pg.err;
    EXPECT_EQ(from_pg.out, from_sqlite.out) << args.back();
  }
  // New rows continue after the copied ids.
  ExpectOk(box.Captain("2026-12-01T21:00:00Z",
                       {"--db", url, "release", "note", kFlowRelease, "--category", "new-features",
                        "--text", "after the move", "--by", "alice"}));
  // And back: PostgreSQL into a new SQLite file, read the same again.
  auto back = RunCaptain({"store", "copy", "--from", url, "--to", box.Path("back.db")});
  ASSERT_EQ(back.code, 0) << back.err << back.out;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--json", "release", "show", kFlowRelease},
        std::vector<std::string>{"--json", "audit", "--release", kFlowRelease}}) {
    auto from_pg = box.Captain("2026-12-01T21:00:00Z", [&] {
      auto a = args;
      a.insert(a.begin(), {"--db", url});
      return a;
    }());
    args.insert(args.begin(), {"--db", box.Path("back.db")});
    auto from_back = box.Captain("2026-12-01T21:00:00Z", args);
    ASSERT_EQ(from_back.code, 0) << from_back.err;
    EXPECT_EQ(from_back.out, from_pg.out) << args.back();
  }
  auto again = RunCaptain({"store", "copy", "--from", box.Path("captain.db"), "--to", url});
  EXPECT_EQ(again.code, 2) << again.err;
  EXPECT_NE(again.err.find("already holds captain data"), std::string::npos) << again.err;
  auto missing = RunCaptain({"store", "copy", "--from", box.Path("nope.db"), "--to", url});
  EXPECT_EQ(missing.code, 2) << missing.err;
  EXPECT_NE(missing.err.find("--from: "), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace captain::testing
