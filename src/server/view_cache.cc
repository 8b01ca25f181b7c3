#include "server/view_cache.h"

namespace captain {

std::optional<std::string> ViewCache::Get(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void ViewCache::Put(const std::string& key, std::string body) {
  std::lock_guard<std::mutex> lock(mu_);
  // Entries of older versions are never asked for again: dropping all keeps it simple.
  if (entries_.size() >= max_) entries_.clear();
  entries_[key] = std::move(body);
}

}  // namespace captain
