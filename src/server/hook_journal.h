// ArgoCD's notifications, kept before they are answered and applied to the store just after.
// Each one is appended to this daemon's journal file (one write(2): it survives the daemon
// being killed, as a SQLite commit in WAL mode with synchronous=NORMAL does) and answered;
// a thread applies the journal to the store in batches, one transaction per batch with the
// journal's mark, so an entry is applied exactly once. A daemon that starts replays the
// journals of daemons that died (their files are no longer locked), then removes them.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/app_pool.h"
#include "app/argocd.h"
#include "server/log.h"

namespace captain {

class HookJournal {
 public:
  // Opens a journal of this daemon's own in `dir` (created if missing) after replaying the
  // orphaned ones there.
  static Result<std::unique_ptr<HookJournal>> Open(AppPool& pool, Log& log, const std::string& dir);
  ~HookJournal();  // applies what is left, then removes its file
  HookJournal(const HookJournal&) = delete;
  HookJournal& operator=(const HookJournal&) = delete;

  // Journals `n`; returns its sequence number in this journal.
  Result<int64_t> Submit(const ArgoNotification& n);

 private:
  HookJournal(AppPool& pool, Log& log, std::string path, std::string name, int fd);
  void Run();

  struct Entry {
    int64_t seq;
    ArgoNotification n;
  };
  AppPool& pool_;
  Log& log_;
  std::string path_;
  std::string name_;  // the journal's name in the store's marks
  int fd_;
  std::mutex mu_;
  std::condition_variable cv_;  // work for the thread
  std::deque<Entry> queue_;     // journaled, not applied yet
  int64_t seq_ = 0;             // the last journaled
  bool stop_ = false;
  std::thread thread_;
};

// The journal line of `n`: {"seq", "app", "event", …} and a newline.
std::string JournalLine(int64_t seq, const ArgoNotification& n);

}  // namespace captain
