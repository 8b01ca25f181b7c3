#include "server/hook_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "app/json_writer.h"
#include "util/crash_point.h"

namespace captain {
namespace {

namespace fs = std::filesystem;
constexpr size_t kMaxBatch = 512;

// Applies `batch`, the entries of journal `name` up to `last_seq`, with the journal's mark.
Status Apply(AppPool& pool, const std::string& name, const std::vector<ArgoNotification>& batch,
             int64_t last_seq) {
  auto out = pool.Run(
      [&](const App& app) -> Result<Document> {
        if (auto st = ApplyArgoJournal(app, name, batch, last_seq); !st) return st.error();
        return Document{};
      },
      /*serialize=*/true);
  if (!out) return out.error();
  return {};
}

// Replays the journal at `path` (locked by the caller) past its mark, then removes it.
Status Replay(AppPool& pool, Log& log, const fs::path& path) {
  std::string name = path.filename().string();
  int64_t mark = 0;
  auto read_mark = pool.Run(
      [&](const App& app) -> Result<Document> {
        auto m = ArgoJournalApplied(app, name);
        if (!m) return m.error();
        mark = *m;
        return Document{};
      },
      false);
  if (!read_mark) return read_mark.error();
  std::ifstream in(path);
  std::vector<ArgoNotification> batch;
  int64_t last = mark;
  size_t torn = 0;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    auto n = ParseArgoNotification(j);
    if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() || !n) {
      ++torn;  // a line cut short when its daemon died mid-write was never answered
      continue;
    }
    int64_t seq = j["seq"].get<int64_t>();
    if (seq <= mark) continue;
    batch.push_back(*n);
    last = std::max(last, seq);
  }
  if (!batch.empty()) {
    if (auto st = Apply(pool, name, batch, last); !st) return st;
  }
  log.Info("ArgoCD journal replayed", {{"journal", name},
                                       {"applied", static_cast<int64_t>(batch.size())},
                                       {"already_applied_up_to", mark},
                                       {"unreadable_lines", static_cast<int64_t>(torn)}});
  std::error_code ec;
  fs::remove(path, ec);
  return {};
}

}  // namespace

std::string JournalLine(int64_t seq, const ArgoNotification& n) {
  // Written straight into the line (one per notification, on the hook's answer path).
  JsonWriter w;
  w.BeginObject();
  w.Key("seq").Int(seq);
  w.Key("app").String(n.app);
  w.Key("event").String(n.event);
  w.Key("sync_status").String(n.sync);
  w.Key("health").String(n.health);
  w.Key("revision").String(n.revision);
  w.Key("message").String(n.message);
  w.EndObject();
  return w.str() + "\n";
}

Result<std::unique_ptr<HookJournal>> HookJournal::Open(AppPool& pool, Log& log,
                                                       const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return OtherError("cannot create the ArgoCD journal directory " + dir + ": " + ec.message());
  // Journals of daemons that died: their lock is free.
  for (const auto& f : fs::directory_iterator(dir, ec)) {
    if (f.path().extension() != ".journal") continue;
    int other = ::open(f.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (other < 0) continue;
    if (flock(other, LOCK_EX | LOCK_NB) == 0) {
      Status st = Replay(pool, log, f.path());
      if (!st) {
        ::close(other);
        return st.error();
      }
    }
    ::close(other);
  }
  std::random_device rd;
  std::string name = std::to_string(getpid()) + "-" + std::to_string(rd()) + ".journal";
  std::string path = (fs::path(dir) / name).string();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return OtherError("cannot create the ArgoCD journal " + path);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return OtherError("cannot lock the ArgoCD journal " + path);
  }
  return std::unique_ptr<HookJournal>(new HookJournal(pool, log, path, name, fd));
}

HookJournal::HookJournal(AppPool& pool, Log& log, std::string path, std::string name, int fd)
    : pool_(pool), log_(log), path_(std::move(path)), name_(std::move(name)), fd_(fd) {
  thread_ = std::thread([this] { Run(); });
}

HookJournal::~HookJournal() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  bool all_applied;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all_applied = queue_.empty();
  }
  if (all_applied) ::unlink(path_.c_str());
  ::close(fd_);  // the lock goes with it: the next daemon replays what is left
}

Result<int64_t> HookJournal::Submit(const ArgoNotification& n) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stop_) return Error{"captain is stopping", ExitCode::kOther, "", ErrorKind::kUnavailable};
  int64_t seq = seq_ + 1;
  std::string line = JournalLine(seq, n);
  ssize_t wrote = ::write(fd_, line.data(), line.size());
  if (wrote != static_cast<ssize_t>(line.size())) {
    if (wrote > 0) (void)::ftruncate(fd_, lseek(fd_, 0, SEEK_END) - wrote);  // no torn line
    return OtherError("cannot write the ArgoCD journal " + path_);
  }
  seq_ = seq;
  // The applier waits only on an empty queue; while it works it takes what is queued when it
  // comes back, so only the first of a run of notifications needs to wake it.
  bool wake = queue_.empty();
  queue_.push_back({seq, n});
  lock.unlock();
  if (wake) cv_.notify_one();
  return seq;
}

void HookJournal::Run() {
  for (;;) {
    std::vector<ArgoNotification> batch;
    int64_t last = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything applied
      for (size_t i = 0; i < queue_.size() && i < kMaxBatch; ++i) {
        batch.push_back(queue_[i].n);
        last = queue_[i].seq;
      }
    }
    CrashPoint("argocd-before-apply");
    Status done = Apply(pool_, name_, batch, last);
    std::unique_lock<std::mutex> lock(mu_);
    if (!done) {
      // The entries stay queued and journaled: tried again, or replayed by the next daemon.
      bool stopping = stop_;
      lock.unlock();
      log_.Warn("ArgoCD notifications not applied yet", {{"error", done.error().Text()}});
      if (stopping) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(batch.size()));
    // Everything journaled is applied: the file starts again empty (the mark keeps the seq).
    if (queue_.empty()) (void)::ftruncate(fd_, 0);
  }
}

}  // namespace captain
