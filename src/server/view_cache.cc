#include "server/view_cache.h"

namespace captain {

ViewCache::Body ViewCache::GetOrCompute(const std::string& key, int64_t second,
                                        const std::function<Body()>& compute) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.second == second) return it->second.body;
      if (!computing_.count(key)) break;
      // Someone computes this second's answer: the last second's will do meanwhile.
      if (it != entries_.end() && second - it->second.second == 1) return it->second.body;
      done_.wait(lock);
    }
    computing_.insert(key);
  }
  Body body;
  try {
    body = compute();
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    computing_.erase(key);
    done_.notify_all();
    throw;
  }
  std::lock_guard<std::mutex> lock(mu_);
  computing_.erase(key);
  if (body) {
    // Entries of older versions are never asked for again: dropping all keeps it simple.
    if (entries_.size() >= max_ && !entries_.count(key)) entries_.clear();
    auto& e = entries_[key];
    if (!e.body || e.second <= second) e = Entry{second, body};
  }
  done_.notify_all();
  return body;
}

}  // namespace captain
