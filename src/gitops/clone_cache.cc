#include "gitops/clone_cache.h"

#include <git2.h>
#include <unistd.h>

#include <filesystem>
#include <set>

namespace captain {
namespace {

namespace fs = std::filesystem;

enum class CloneState { kBroken, kBare, kWorkTree };

// A finished clone is a bare repository that opens and whose HEAD reads.
CloneState StateOf(const fs::path& dir) {
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  CloneState state = CloneState::kBroken;
  git_reference* head = nullptr;
  if (rc == 0 && git_reference_lookup(&head, raw, "HEAD") == 0) {
    state = git_repository_is_bare(raw) ? CloneState::kBare : CloneState::kWorkTree;
  }
  git_reference_free(head);
  git_repository_free(raw);
  git_error_clear();
  return state;
}

// Only names git creates in a bare repository.
bool OnlyGitEntries(const fs::path& dir) {
  static const std::set<std::string> kGit = {"HEAD", "config",      "description", "objects",
                                             "refs", "info",        "hooks",       "branches",
                                             "logs", "packed-refs", "FETCH_HEAD",  "shallow"};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!kGit.count(name) && name.size() > 5 && name.ends_with(".lock")) continue;
    if (!kGit.count(name)) return false;
  }
  return !ec;
}

void RemoveStaleLocks(const fs::path& dir) {
  std::error_code ec;
  for (const char* top : {"HEAD.lock", "config.lock", "packed-refs.lock", "index.lock",
                          "shallow.lock", "FETCH_HEAD.lock"}) {
    fs::remove(dir / top, ec);
  }
  for (auto it = fs::recursive_directory_iterator(dir / "refs", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".lock") fs::remove(it->path(), ec);
  }
}

}  // namespace

std::string CloneStagingDir(const std::string& dir) {
  return dir + ".clone-" + std::to_string(getpid());
}

Status HealCloneCache(const std::string& dir_text) {
  fs::path dir = fs::path(dir_text).lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();
  std::error_code ec;
  std::string prefix = dir.filename().string() + ".clone-";
  for (const auto& entry :
       fs::directory_iterator(dir.parent_path().empty() ? "." : dir.parent_path(), ec)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove_all(entry.path(), ec);
  }
  if (!fs::exists(dir, ec) || fs::is_empty(dir, ec)) return {};
  switch (StateOf(dir)) {
    case CloneState::kBare:
      RemoveStaleLocks(dir);
      return {};
    case CloneState::kWorkTree:
      return {};  // not captain's; opening it says so
    case CloneState::kBroken:
      break;
  }
  if (!fs::is_directory(dir, ec) || !OnlyGitEntries(dir)) {
    return UsageError("the gitops work dir " + dir.string() +
                      " exists but is not a git repository, and holds files captain did not put "
                      "there; remove it or choose another state_dir");
  }
  fs::remove_all(dir, ec);
  if (ec)
    return OtherError("removing the broken gitops clone " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace captain
