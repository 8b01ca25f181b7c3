// Test helper: the PostgreSQL server the tests use. Under ctest it is the one the PgServer
// fixture started (CAPTAIN_TEST_PG names its socket directory); a test binary run alone starts
// its own with scripts/pg-test.sh and stops it at exit. Each caller gets a fresh database.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "store/sql/pg_database.h"

#ifndef CAPTAIN_SOURCE_DIR
#error "CAPTAIN_SOURCE_DIR must name the source tree"
#endif

namespace captain::testing {

class PgServer {
 public:
  static PgServer& Get() {
    static PgServer server;
    return server;
  }

  // A new, empty database on the server: its URL.
  std::string NewDatabase() {
    static std::atomic<int> counter{0};
    std::string name = "captain_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    sql::PgDatabase admin(Url("postgres"));
    admin.Exec("CREATE DATABASE " + name);
    return Url(name);
  }
  std::string Url(const std::string& db) const {
    return "postgresql://captain@/" + db + "?host=" + dir_;
  }

 private:
  PgServer() {
    if (const char* d = std::getenv("CAPTAIN_TEST_PG"); d && *d) {
      dir_ = d;
      return;
    }
    dir_ = "/tmp/captain-pg-" + std::to_string(::getpid());
    owned_ = true;
    if (std::system(Script("start").c_str()) != 0) {
      throw std::runtime_error("cannot start PostgreSQL (scripts/pg-test.sh start " + dir_ + ")");
    }
  }
  ~PgServer() {
    if (owned_) (void)std::system(Script("stop").c_str());
  }
  std::string Script(const char* what) const {
    return std::string("bash " CAPTAIN_SOURCE_DIR "/scripts/pg-test.sh ") + what + " " + dir_;
  }

  std::string dir_;
  bool owned_ = false;
};

}  // namespace captain::testing
