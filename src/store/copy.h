// Copying one captain database into another (SQLite to PostgreSQL, or back), then comparing
// every table of the two row by row.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "util/result.h"

namespace captain {

struct TableCopy {
  std::string name;
  int64_t rows = 0;
  std::string digest;  // SHA-256 of the table's rows in order, the same on both sides
};

// Every table of captain's schema, parents before the tables that refer to them.
const std::vector<std::string>& StoreTables();

// Brings `from` to this captain's schema, creates the schema in `to` (which must hold no
// captain data), copies every table in one transaction of `to`, and verifies the copy. Nothing
// is left in `to` when any step fails. `progress` hears one line per table.
Result<std::vector<TableCopy>> CopyDatabase(
    const std::string& from, const std::string& to,
    const std::function<void(const std::string&)>& progress);

}  // namespace captain
