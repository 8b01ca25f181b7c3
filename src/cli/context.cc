#include "cli/context.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <ostream>

#include "config/loader.h"
#include "util/text.h"

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

std::string Context::DatabasePath() const {
  if (!opts.db_path.empty() || !config_) return opts.db_path;
  return config_->ResolvePath(config_->database);
}

Result<App*> Context::OpenApp() {
  if (app_) return app_.get();
  auto cfg = LoadConfig();
  if (!cfg) return cfg.error();
  std::string path = DatabasePath();
  auto slash = path.rfind('/');
  if (opts.init && slash != std::string::npos && slash > 0 &&
      path.find("://") == std::string::npos) {
    std::error_code ec;
    std::filesystem::create_directories(path.substr(0, slash), ec);
  }
  auto store = OpenStore(path, opts.init);
  if (!store) return store.error();
  store_ = std::move(store).value();
  app_ = std::make_unique<App>(App{**cfg, *store_, *clock_});
  if (!opts.now.empty()) app_->wall = &wall_;
  return app_.get();
}

void Context::PrintJson(const nlohmann::json& j) {
  try {
    out << j.dump(2) << "\n";
  } catch (const nlohmann::json::type_error&) {
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    err << "captain: warning: stored text that is not valid UTF-8 was printed with U+FFFD in "
           "its place\n";
  }
}

void Context::PrintJsonLine(const nlohmann::json& j, bool newline) {
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << (newline ? "\n" : "");
}

void Context::PrintText(const std::string& text) { out << EscapeControls(text); }

void Context::Print(const nlohmann::json& j, const std::string& text) {
  if (opts.json) {
    PrintJson(j);
  } else {
    PrintText(text);
  }
}

std::string DefaultActor(const std::string& by) {
  if (!by.empty()) return by;
  for (const char* var : {"CAPTAIN_USER", "USER"}) {
    if (const char* v = std::getenv(var); v && *v) return v;
  }
  return "";
}

std::string FlagOf(const std::string& field) {
  if (field == "services") return "--service";  // repeatable: one --service per name
  std::string flag = "--" + field;
  for (char& ch : flag) {
    if (ch == '_') ch = '-';
  }
  return flag;
}

int Fail(Context& ctx, const Error& e) {
  std::string name = FlagOf(e.field);
  if (std::find(ctx.positionals.begin(), ctx.positionals.end(), e.field) != ctx.positionals.end()) {
    name = e.field;
    for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  std::string text = e.field.empty() ? e.message : name + ": " + e.message;
  ctx.err << "captain: " << EscapeControls(text) << "\n";
  return static_cast<int>(e.code);
}

}  // namespace captain
