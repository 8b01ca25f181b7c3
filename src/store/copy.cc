#include "store/copy.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "store/sql/pg_database.h"
#include "store/sql_store.h"

namespace captain {

const std::vector<std::string>& StoreTables() {
  static const std::vector<std::string> kTables = {
      "releases",       "evidence_runs",   "evidence_images", "develop_heads",  "opt_answers",
      "gate_overrides", "candidate_swaps", "service_cancels", "signoffs",       "defects",
      "health",         "deployments",     "running",         "release_notes",  "registry_checks",
      "tick_done",      "audit",           "outbox",          "deploy_intents", "incidents",
      "leases",         "scheduled_steps", "oncall_swaps",    "slack_channels", "argocd_events",
      "step_watches",   "argocd_journals"};
  return kTables;
}

namespace {

// The table's columns, in the order SELECT * gives them.
std::vector<std::string> Columns(sql::Database& db, const std::string& table) {
  sql::Statement q(db, "SELECT * FROM " + table + " WHERE 1 = 0");
  q.executeStep();
  std::vector<std::string> out;
  for (int i = 0; i < q.getColumnCount(); ++i) out.push_back(q.getColumnName(i));
  return out;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Rows ordered by every column: the same order on both engines (integers by value, text by
// bytes).
TableCopy Digest(sql::Database& db, const std::string& table,
                 const std::vector<std::string>& columns) {
  std::string order;
  for (size_t i = 1; i <= columns.size(); ++i) order += (i > 1 ? ", " : "") + std::to_string(i);
  sql::Statement q(db, "SELECT " + Joined(columns) + " FROM " + table + " ORDER BY " + order);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  TableCopy out{table};
  while (q.executeStep()) {
    ++out.rows;
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      std::string cell = q.getColumn(i).isNull() ? std::string("\x01") : q.getColumn(i).getString();
      std::string len = std::to_string(cell.size()) + ":";
      EVP_DigestUpdate(ctx.get(), len.data(), len.size());
      EVP_DigestUpdate(ctx.get(), cell.data(), cell.size());
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &n);
  static const char* kHex = "0123456789abcdef";
  for (unsigned i = 0; i < n; ++i) {
    out.digest += kHex[md[i] >> 4];
    out.digest += kHex[md[i] & 15];
  }
  return out;
}

int64_t CopyTable(sql::Database& from, sql::Database& to, const std::string& table,
                  const std::vector<std::string>& columns) {
  sql::Statement read(from, "SELECT " + Joined(columns) + " FROM " + table);
  std::string marks;
  for (size_t i = 0; i < columns.size(); ++i) marks += i ? ",?" : "?";
  sql::Statement write(
      to, "INSERT INTO " + table + " (" + Joined(columns) + ") VALUES (" + marks + ")");
  int64_t rows = 0;
  while (read.executeStep()) {
    write.reset();
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      if (read.getColumn(i).isNull()) {
        write.bind(i + 1);
      } else {
        write.bind(i + 1, read.getColumn(i).getString());
      }
    }
    write.exec();
    ++rows;
  }
  return rows;
}

Result<std::unique_ptr<SqlStore>> OpenSql(const std::string& target, bool create) {
  auto s = OpenStore(target, create);
  if (!s) return s.error();
  std::unique_ptr<SqlStore> out(dynamic_cast<SqlStore*>(s->release()));
  return out;
}

}  // namespace

Result<std::vector<TableCopy>> CopyDatabase(
    const std::string& from, const std::string& to,
    const std::function<void(const std::string&)>& progress) {
  auto src = OpenSql(from, /*create=*/false);
  if (!src) return Error{"--from: " + src.error().message, src.error().code};
  auto dst = OpenSql(to, /*create=*/true);
  if (!dst) return Error{"--to: " + dst.error().message, dst.error().code};
  sql::Database& a = (*src)->database();
  sql::Database& b = (*dst)->database();
  std::string where_to = sql::RedactUrl(to);
  std::vector<TableCopy> out;
  try {
    for (const auto& table : StoreTables()) {
      sql::Statement q(b, "SELECT count(*) FROM " + table);
      q.executeStep();
      if (q.getColumn(0).getInt64() > 0) {
        return UsageError("--to: " + where_to + " already holds captain data (" + table +
                          " has rows); copy into an empty database");
      }
    }
    b.Begin();
    try {
      for (const auto& table : StoreTables()) {
        auto columns = Columns(a, table);
        int64_t rows = CopyTable(a, b, table, columns);
        if (std::find(columns.begin(), columns.end(), "id") != columns.end()) b.KeysCopied(table);
        if (progress) progress("copied " + table + ": " + std::to_string(rows) + " rows");
      }
      // Verified inside the transaction: a copy that differs is never committed.
      for (const auto& table : StoreTables()) {
        auto columns = Columns(a, table);
        TableCopy left = Digest(a, table, columns), right = Digest(b, table, columns);
        if (left.rows != right.rows || left.digest != right.digest) {
          throw std::runtime_error("verify: " + table + " differs after the copy (" +
                                   std::to_string(left.rows) + " rows in --from, " +
                                   std::to_string(right.rows) + " in --to); nothing was kept");
        }
        out.push_back(std::move(left));
      }
      b.Commit();
    } catch (...) {
      try {
        b.Rollback();
      } catch (...) {
      }
      throw;
    }
  } catch (const std::exception& e) {
    return OtherError("copy to " + where_to + ": " + e.what());
  }
  return out;
}

}  // namespace captain
