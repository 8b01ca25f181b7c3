#include "cli/context.h"

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

int Fail(Context& ctx, const Error& e) {
  ctx.err << "captain: " << e.message << "\n";
  return static_cast<int>(e.code);
}

}  // namespace captain
