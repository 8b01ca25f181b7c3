// The schema, as an ordered list of migrations (written for SQLite, translated for PostgreSQL). The
// database's user_version is the number of migrations applied.
#pragma once

#include <string>
#include <vector>

namespace captain {

const std::vector<const char*>& SqliteMigrations();
// One migration as PostgreSQL takes it: 64-bit integers and identity keys, byte-order ("C")
// text so ranges and ordering agree with SQLite, and triggers as PL/pgSQL functions.
std::string PostgresDdl(const std::string& sqlite_sql);

}  // namespace captain
