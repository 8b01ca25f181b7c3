// captain store copy: one captain database into another (SQLite to PostgreSQL when a team
// outgrows one machine), verified table by table.
#pragma once

#include "store/copy.h"

namespace captain {

inline Result<std::vector<TableCopy>> CopyStore(
    const std::string& from, const std::string& to,
    const std::function<void(const std::string&)>& progress) {
  return CopyDatabase(from, to, progress);
}

}  // namespace captain
