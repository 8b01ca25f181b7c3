// Every query a command's hot path makes is answered from an index: EXPLAIN QUERY PLAN of each
// statement the store runs for a release's facts, what runs where, evidence of a commit, the
// latest audit time and the open releases. A full scan of a table that grows with history
// fails the test.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <regex>
#include <set>

#include "store/sql/sqlite_database.h"
#include "store/sql_store.h"

namespace captain {
namespace {

int Collect(unsigned, void* ctx, void* p, void*) {
  auto* out = static_cast<std::set<std::string>*>(ctx);
  char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(p));
  if (sql) {
    std::string text = sql;
    if (text.rfind("SELECT", 0) == 0) out->insert(text);
    sqlite3_free(sql);
  }
  return 0;
}

TEST(QueryPlanTest, HotPathQueriesUseIndexes) {
  std::string path =
      std::filesystem::temp_directory_path() / ("captain-qp-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto owned = std::make_unique<sql::SqliteDatabase>(path, /*create=*/true);
    sql::SqliteDatabase& db = *owned;
    SqlStore store(std::move(owned), path);
    ASSERT_TRUE(store.Migrate(/*create=*/true).ok());
    Release r;
    r.id = "2026-12-01";
    r.release_day = *ParseDate("2026-12-01");
    r.candidate_commit = std::string(40, 'a');
    ASSERT_TRUE(store.InsertRelease(r).ok());
    std::set<std::string> statements;
    sqlite3_trace_v2(db.handle().getHandle(), SQLITE_TRACE_STMT, Collect, &statements);
    ASSERT_TRUE(store.LoadFacts(r.id).ok());
    ASSERT_TRUE(store.LoadRunning().ok());
    ASSERT_TRUE(store.LoadOldestSignatures().ok());
    ASSERT_TRUE(store.FindEvidence("4f2a9c1").ok());
    ASSERT_TRUE(store.LatestAuditAt().ok());
    ASSERT_TRUE(store.ListOpenReleases().ok());
    ASSERT_TRUE(store.DoneActions(r.id).ok());
    ASSERT_TRUE(store.PendingIntents().ok());
    sqlite3_trace_v2(db.handle().getHandle(), 0, nullptr, nullptr);
    ASSERT_GE(statements.size(), 12u);

    const std::set<std::string> growing = {
        "releases",       "opt_answers",     "evidence_runs",  "evidence_images", "develop_heads",
        "gate_overrides", "candidate_swaps", "signoffs",       "defects",         "health",
        "deployments",    "release_notes",   "tick_done",      "audit",           "outbox",
        "deploy_intents", "incidents",       "service_cancels"};
    // "SCAN t" without an index, or "SCAN t USING INDEX" (a whole index) in a query that has no
    // LIMIT to stop it early.
    static const std::regex kScan(R"((?:^|\s)SCAN (\w+)(?: AS \w+)?( USING (?:COVERING )?INDEX)?)");
    for (const auto& sql : statements) {
      sql::Statement plan(store.database(), "EXPLAIN QUERY PLAN " + sql);
      std::string details;
      while (plan.executeStep()) details += plan.getColumn(3).getString() + "\n";
      std::smatch m;
      std::string rest = details;
      while (std::regex_search(rest, m, kScan)) {
        std::string table = m[1];
        bool bounded = m[2].matched && sql.find("LIMIT") != std::string::npos;
        EXPECT_TRUE(!growing.count(table) || bounded)
            << "full scan of " << table << " in:\n  " << sql << "\nplan:\n"
            << details;
        rest = m.suffix();
      }
    }
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

}  // namespace
}  // namespace captain
