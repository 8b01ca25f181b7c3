// What every command gets: the global options, the clock and the output streams.
#pragma once

#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/app.h"
#include "config/config.h"
#include "core/clock.h"
#include "util/result.h"

namespace captain {

struct GlobalOptions {
  std::string config_path = "captain.yaml";
  std::string db_path;  // empty: the configuration's `database`
  std::string now;      // empty: the system clock
  bool json = false;
  bool init = false;  // create the database if it does not exist
};

class Context {
 public:
  Context(std::ostream& out, std::ostream& err) : out(out), err(err) {}

  // Installs the clock from --now. A malformed --now is a usage error.
  Status Prepare();
  // Loads (once) and returns the configuration named by --config.
  Result<const Config*> LoadConfig();
  // Loads the configuration and opens the store (--db, else the configuration's database).
  Result<App*> OpenApp();
  const Clock& clock() const { return *clock_; }
  // --db, else the configuration's database (configuration loaded first).
  std::string DatabasePath() const;
  Instant Now() const { return clock_->Now(); }

  // The one way output reaches the terminal: JSON never aborts on stored text (what is not
  // UTF-8 is replaced, and stderr says so); text has its control characters escaped.
  void PrintJson(const nlohmann::json& j);
  // One JSON value on one line (no indentation), for streams.
  void PrintJsonLine(const nlohmann::json& j, bool newline = true);
  void PrintText(const std::string& text);
  // --json: PrintJson(j); otherwise PrintText(text).
  void Print(const nlohmann::json& j, const std::string& text);

  GlobalOptions opts;
  // The fields the running command takes as positional arguments: an error names them as its
  // usage does (EVENT), not as an option (--event).
  std::vector<std::string> positionals;
  std::ostream& out;
  std::ostream& err;

 private:
  std::unique_ptr<Clock> clock_ = std::make_unique<SystemClock>();
  SystemClock wall_;
  std::unique_ptr<Config> config_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<App> app_;
};

// The acting person: --by, else $CAPTAIN_USER, else $USER.
std::string DefaultActor(const std::string& by);

// The command-line flag of a request field ("late_reason" is --late-reason).
std::string FlagOf(const std::string& field);

// Prints an error the way every command does ("captain: <message>") and returns its exit code.
int Fail(Context& ctx, const Error& e);

}  // namespace captain
