#include "gitops/tree_update.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string_view>
#include <unordered_map>

#include "gitops/git_util.h"

namespace captain::git {
namespace {

struct Entry {
  std::string name;
  git_filemode_t mode;
  git_oid id;
};

bool IsTree(git_filemode_t mode) { return mode == GIT_FILEMODE_TREE; }

// git's order: by name bytes, a tree's name compared as if it ended in '/'.
bool GitOrder(const Entry& a, const Entry& b) {
  size_t n = std::min(a.name.size(), b.name.size());
  int c = std::memcmp(a.name.data(), b.name.data(), n);
  if (c != 0) return c < 0;
  auto next = [n](const Entry& e) -> unsigned char {
    if (e.name.size() > n) return static_cast<unsigned char>(e.name[n]);
    return IsTree(e.mode) ? '/' : '\0';
  };
  return next(a) < next(b);
}

std::string Serialize(const std::vector<Entry>& entries) {
  std::string out;
  out.reserve(entries.size() * 48);
  char mode[16];
  for (const Entry& e : entries) {
    int n = std::snprintf(mode, sizeof mode, "%o ", static_cast<unsigned>(e.mode));
    out.append(mode, static_cast<size_t>(n));
    out += e.name;
    out.push_back('\0');
    out.append(reinterpret_cast<const char*>(e.id.id), GIT_OID_RAWSZ);
  }
  return out;
}

// One update seen from the tree it is applied to: the rest of its path below that tree.
struct Pending {
  std::string_view rest;
  const BlobUpdate* update;
};

Result<git_oid> Rewrite(git_repository* repo, const git_tree* tree, const std::string& where,
                        const std::vector<Pending>& pending, std::vector<NewObject>& out) {
  // The updates grouped by the entry of this tree they go through.
  std::map<std::string_view, std::vector<Pending>> below;
  std::map<std::string_view, const BlobUpdate*> here;
  for (const Pending& p : pending) {
    size_t slash = p.rest.find('/');
    if (slash == std::string_view::npos) {
      here[p.rest] = p.update;
    } else {
      below[p.rest.substr(0, slash)].push_back({p.rest.substr(slash + 1), p.update});
    }
  }
  std::vector<Entry> entries;
  std::unordered_map<std::string_view, size_t> index;  // views into `entries`, never resized
  if (tree != nullptr) {
    size_t count = git_tree_entrycount(tree);
    entries.reserve(count + here.size() + below.size());
    index.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree, i);
      entries.push_back(
          {git_tree_entry_name(e), git_tree_entry_filemode(e), *git_tree_entry_id(e)});
      index.emplace(entries.back().name, i);
    }
  } else {
    entries.reserve(here.size() + below.size());
  }
  auto find = [&](std::string_view name) {
    auto it = index.find(name);
    return it == index.end() ? entries.end() : entries.begin() + static_cast<ptrdiff_t>(it->second);
  };
  bool changed = false;
  for (const auto& [name, update] : here) {
    if (below.count(name)) {
      return UsageError("the edits name " + where + std::string(name) +
                        " both as a file and as a directory");
    }
    auto it = find(name);
    if (it != entries.end() &&
        !(it->mode == GIT_FILEMODE_BLOB || it->mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
      return UsageError(update->path +
                        " is a directory, symlink or submodule in the gitops repository");
    }
    if (it == entries.end()) {
      entries.push_back({std::string(name), update->mode, update->blob});
      changed = true;
    } else if (!git_oid_equal(&it->id, &update->blob) || it->mode != update->mode) {
      it->id = update->blob;
      it->mode = update->mode;
      changed = true;
    }
  }
  for (const auto& [name, sub] : below) {
    auto it = find(name);
    Tree subtree;
    if (it != entries.end()) {
      if (!IsTree(it->mode)) {
        return UsageError(sub.front().update->path + ": " + where + std::string(name) +
                          " is a file in the gitops repository, not a directory");
      }
      git_tree* raw = nullptr;
      if (int rc = git_tree_lookup(&raw, repo, &it->id); rc < 0) {
        return GitError(rc, "reading the tree " + where + std::string(name));
      }
      subtree.reset(raw);
    }
    Result<git_oid> id = Rewrite(repo, subtree.get(), where + std::string(name) + "/", sub, out);
    if (!id) return id.error();
    if (it == entries.end()) {
      entries.push_back({std::string(name), GIT_FILEMODE_TREE, *id});
      changed = true;
    } else if (!git_oid_equal(&it->id, &*id)) {
      it->id = *id;
      changed = true;
    }
  }
  if (!changed && tree != nullptr) return *git_tree_id(tree);
  std::sort(entries.begin(), entries.end(), GitOrder);
  out.push_back(MakeObject(GIT_OBJECT_TREE, Serialize(entries)));
  return out.back().id;
}

}  // namespace

Result<git_oid> UpdateTree(git_repository* repo, const git_tree* base,
                           const std::vector<BlobUpdate>& updates, std::vector<NewObject>& out) {
  std::vector<Pending> pending;
  pending.reserve(updates.size());
  for (const BlobUpdate& u : updates) pending.push_back({u.path, &u});
  return Rewrite(repo, base, "", pending, out);
}

}  // namespace captain::git
