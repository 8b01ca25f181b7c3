#include "app/app_pool.h"

#include "store/store.h"

namespace captain {

struct AppPool::Conn {
  std::unique_ptr<Store> store;
};

AppPool::AppPool(std::shared_ptr<const Config> config, std::string db_path, const Clock& clock,
                 const Clock* wall)
    : db_path_(std::move(db_path)), clock_(clock), wall_(wall), config_(std::move(config)) {}

AppPool::~AppPool() = default;

Result<std::unique_ptr<AppPool>> AppPool::Open(std::shared_ptr<const Config> config,
                                               std::string db_path, const Clock& clock,
                                               const Clock* wall) {
  std::unique_ptr<AppPool> pool(new AppPool(std::move(config), std::move(db_path), clock, wall));
  auto c = pool->Acquire();
  if (!c) return c.error();
  pool->Release(std::move(*c));
  return pool;
}

Result<std::unique_ptr<AppPool::Conn>> AppPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      auto c = std::move(free_.back());
      free_.pop_back();
      return c;
    }
  }
  auto store = OpenStore(db_path_, /*create=*/false);
  if (!store) return store.error();
  return std::make_unique<Conn>(Conn{std::move(*store)});
}

void AppPool::Release(std::unique_ptr<Conn> c) {
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(c));
}

std::shared_ptr<const Config> AppPool::config() const {
  std::lock_guard<std::mutex> lock(mu_);
  return config_;
}

void AppPool::SetConfig(std::shared_ptr<const Config> config) {
  std::lock_guard<std::mutex> lock(mu_);
  config_ = std::move(config);
}

Result<Document> AppPool::Run(const std::function<Result<Document>(const App&)>& fn,
                              bool serialize) {
  auto config = this->config();
  auto conn = Acquire();
  if (!conn) return conn.error();
  std::unique_lock<std::mutex> write_lock(write_mu_, std::defer_lock);
  if (serialize) write_lock.lock();
  App app{*config, *(*conn)->store, clock_, wall_};
  auto out = fn(app);
  if (write_lock.owns_lock()) write_lock.unlock();
  Release(std::move(*conn));
  return out;
}

Result<AppPool::ViewVersion> AppPool::Version() {
  ViewVersion version;
  auto out = Run(
      [&](const App& app) -> Result<Document> {
        auto id = app.store.LastAuditId();
        if (!id) return id.error();
        version.data =
            std::to_string(*id) + "|" + std::to_string(reinterpret_cast<uintptr_t>(&app.config));
        version.second = app.Now().time_since_epoch().count();
        return Document{};
      },
      /*serialize=*/false);
  if (!out) return out.error();
  return version;
}

Status AppPool::Ping() {
  auto out = Run(
      [](const App& app) -> Result<Document> {
        auto latest = app.store.LatestAuditAt();
        if (!latest) return latest.error();
        return Document{};
      },
      /*serialize=*/false);
  if (!out) return out.error();
  return {};
}

Result<bool> AppPool::TakeLease(const std::string& name, const std::string& holder, int seconds) {
  Result<bool> taken = false;
  auto out = Run(
      [&](const App& app) -> Result<Document> {
        SystemClock wall;
        Instant now = wall.Now();
        taken = app.store.TakeLease(name, holder, now, now + std::chrono::seconds(seconds));
        if (!taken) return taken.error();
        return Document{};
      },
      /*serialize=*/false);
  if (!out) return out.error();
  return taken;
}

}  // namespace captain
