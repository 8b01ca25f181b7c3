#include "cli/context.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "config/loader.h"

namespace captain {

Status Context::Prepare() {
  if (!opts.now.empty()) {
    auto t = ParseInstant(opts.now);
    if (!t) {
      return UsageError("--now: expected an ISO 8601 time such as 2026-12-08T15:00:00Z, got '" +
                        opts.now + "'");
    }
    clock_ = std::make_unique<FixedClock>(*t);
  }
  return {};
}

Result<const Config*> Context::LoadConfig() {
  if (!config_) {
    auto c = captain::LoadConfig(opts.config_path);
    if (!c) return c.error();
    config_ = std::make_unique<Config>(std::move(c).value());
  }
  return static_cast<const Config*>(config_.get());
}

Result<App*> Context::OpenApp() {
  if (app_) return app_.get();
  auto cfg = LoadConfig();
  if (!cfg) return cfg.error();
  std::string path = opts.db_path.empty() ? (*cfg)->ResolvePath((*cfg)->database) : opts.db_path;
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    std::error_code ec;
    std::filesystem::create_directories(path.substr(0, slash), ec);
  }
  auto store = OpenSqliteStore(path);
  if (!store) return store.error();
  store_ = std::move(store).value();
  app_ = std::make_unique<App>(App{**cfg, *store_, *clock_});
  if (!opts.now.empty()) app_->wall = &wall_;
  return app_.get();
}

std::string DefaultActor(const std::string& by) {
  if (!by.empty()) return by;
  for (const char* var : {"CAPTAIN_USER", "USER"}) {
    if (const char* v = std::getenv(var); v && *v) return v;
  }
  return "";
}

int Fail(Context& ctx, const Error& e) {
  ctx.err << "captain: " << e.message << "\n";
  return static_cast<int>(e.code);
}

}  // namespace captain
