// Answers of read routes kept while nothing changed: keyed by the route, its fields and the
// store's version (latest audit id, configuration), for one second of the clock. Bounded;
// cleared when full. One computation per key at a time: while the next second's answer is
// being computed, callers get the previous second's (never one from before a change, which
// changes the key); otherwise they wait for it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace captain {

class ViewCache {
 public:
  using Body = std::shared_ptr<const std::string>;
  explicit ViewCache(size_t max_entries = 256) : max_(max_entries) {}
  // The kept answer for `key` at `second`, else compute() (null: not kept, e.g. an error).
  // Shared, not copied: a view of thousands of services is hundreds of kilobytes.
  Body GetOrCompute(const std::string& key, int64_t second, const std::function<Body()>& compute);

 private:
  struct Entry {
    int64_t second;
    Body body;
  };
  size_t max_;
  std::mutex mu_;
  std::condition_variable done_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::set<std::string> computing_;                 // guarded by mu_
};

}  // namespace captain
