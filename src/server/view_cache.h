// Answers of read routes kept while nothing changed: keyed by the route, its fields and the
// store's version (latest audit id, the second, the configuration). Bounded; cleared when full.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace captain {

class ViewCache {
 public:
  explicit ViewCache(size_t max_entries = 256) : max_(max_entries) {}
  std::optional<std::string> Get(const std::string& key) const;
  void Put(const std::string& key, std::string body);

 private:
  size_t max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> entries_;  // guarded by mu_
};

}  // namespace captain
