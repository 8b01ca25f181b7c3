// The schema, as an ordered list of migrations (written for SQLite, translated for PostgreSQL). The
// database's user_version is the number of migrations applied.
#pragma once

#include <vector>

namespace captain {

const std::vector<const char*>& SqliteMigrations();

}  // namespace captain
