#include "server/daemon.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <ostream>

#include "app/app_pool.h"
#include "config/loader.h"
#include "server/hook_journal.h"
#include "server/http_server.h"
#include "server/scheduler.h"
#include "server/sender.h"
#include "util/text.h"

namespace captain {
namespace {

int Refuse(std::ostream& err, const Error& e) {
  err << "captain: " << EscapeControls(e.Text()) << "\n";
  return static_cast<int>(e.code);
}

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

// Descriptors for the HTTP server's 1,024 connections beside the store's, libcurl's and
// libgit2's: the soft limit raised to the hard one (at most 65,536). A service manager's
// default soft limit is often 1,024.
void RaiseDescriptorLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  rlim_t want = lim.rlim_max == RLIM_INFINITY ? 65536 : std::min<rlim_t>(lim.rlim_max, 65536);
  if (lim.rlim_cur >= want) return;
  lim.rlim_cur = want;
  setrlimit(RLIMIT_NOFILE, &lim);
}

std::string Holder() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// Finishes deploys and rollbacks a crash left behind, as the CLI does before each deploy.
void Recover(AppPool& pool, Log& log, Readiness& ready) {
  if (pool.config()->gitops.repo.empty()) {
    ready.SetGitops(true, "");
    return;
  }
  auto out = pool.Run([](const App& app) { return OpRecover(app, {}); }, /*serialize=*/true);
  if (!out) {
    ready.SetGitops(false, out.error().Text());
    log.Warn("recovery at start failed; deploys will retry it", {{"error", out.error().Text()}});
    return;
  }
  ready.SetGitops(true, "");
  for (const auto& line : out->value["recovered"]) {
    log.Info("recovered: " + line.get<std::string>());
  }
}

}  // namespace

int RunDaemon(const ServeOptions& o, std::ostream& err) {
  if (!o.log_format.empty() && o.log_format != "text" && o.log_format != "json") {
    return Refuse(err, FieldError("log_format", "expected text or json"));
  }
  // Every thread started from here on inherits the mask; this one waits for the signals.
  sigset_t signals = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  RaiseDescriptorLimit();

  auto loaded = LoadConfig(o.config_path);
  if (!loaded) return Refuse(err, loaded.error());
  auto config = std::make_shared<const Config>(std::move(*loaded));
  std::unique_ptr<Clock> clock = std::make_unique<SystemClock>();
  SystemClock wall;
  if (!o.now.empty()) {
    auto t = ParseInstant(o.now);
    if (!t) return Refuse(err, FieldError("now", "expected a time such as 2026-12-08T15:00:00Z"));
    clock = std::make_unique<OffsetClock>(*t);
  }
  std::string db = o.db_path.empty() ? config->ResolvePath(config->database) : o.db_path;
  auto pool = AppPool::Open(config, db, *clock, o.now.empty() ? nullptr : &wall);
  if (!pool) return Refuse(err, pool.error());

  Log log(o.log_format == "json");
  Metrics metrics;
  Readiness ready;
  Jobs jobs;
  Recover(**pool, log, ready);
  Api api(**pool, jobs, metrics, log, ready);
  auto journal = HookJournal::Open(**pool, log, config->ResolvePath(config->state_dir) + "/argocd");
  if (!journal) return Refuse(err, journal.error());
  api.SetHookJournal(journal->get());
  HttpServer http(api, config->server);
  std::string listen = o.listen.empty() ? config->server.listen : o.listen;
  if (auto st = http.Start(listen); !st) return Refuse(err, st.error());
  std::string host = listen.substr(0, listen.rfind(':'));
  log.Info("listening", {{"url", "http://" + host + ":" + std::to_string(http.port())},
                         {"database", db},
                         {"now", FormatUtc(clock->Now())}});
  Scheduler scheduler(**pool, metrics, log, ready, Holder());
  scheduler.Start();
  Sender sender(**pool, metrics, log, Holder());
  sender.Start();

  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      auto fresh = LoadConfig(o.config_path);
      if (!fresh) {
        log.Warn("reload refused; keeping the configuration in use",
                 {{"error", fresh.error().Text()}});
        continue;
      }
      (*pool)->SetConfig(std::make_shared<const Config>(std::move(*fresh)));
      log.Info("configuration reloaded", {{"file", o.config_path}});
      continue;
    }
    log.Info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    break;
  }
  http.Stop();
  scheduler.Stop();
  jobs.JoinAll();
  journal->reset();  // applies what is journaled
  sender.Stop();     // last: what the others queued on the way out is sent if it can be
  log.Info("stopped");
  return 0;
}

}  // namespace captain
