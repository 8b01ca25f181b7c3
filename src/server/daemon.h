// captain serve: the HTTP API, the scheduler and the jobs in one process, until SIGTERM.
#pragma once

#include <iosfwd>
#include <string>

namespace captain {

struct ServeOptions {
  std::string config_path = "captain.yaml";
  std::string db_path;     // empty: the configuration's database
  std::string listen;      // empty: server.listen
  std::string now;         // empty: the system clock; else start the clock here
  std::string log_format;  // text (default) or json
};

// Runs the daemon; returns the exit code (0 after SIGTERM or SIGINT). SIGHUP reloads the
// configuration, keeping the old one when the new one is invalid.
int RunDaemon(const ServeOptions& options, std::ostream& err);

}  // namespace captain
