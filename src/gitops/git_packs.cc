// Pack maintenance for captain's bare clone: each commit captain stores and each fetch that
// brings objects adds a pack file, and every object lookup searches them all; past a limit
// they are rewritten as one pack of everything the references reach.
#include <filesystem>
#include <vector>

#include "gitops/git_util.h"

namespace captain::git {
namespace {

namespace fs = std::filesystem;

using Packbuilder = Owned<git_packbuilder, git_packbuilder_free>;

std::vector<fs::path> PackFiles(const fs::path& dir) {
  std::vector<fs::path> packs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const fs::path& p = entry.path();
    if (p.extension() != ".pack") continue;
    fs::path keep = p;
    if (fs::exists(keep.replace_extension(".keep"), ec)) continue;  // kept on purpose
    packs.push_back(p);
  }
  return packs;
}

}  // namespace

Status ConsolidatePacks(git_repository* repo, size_t max_packs) {
  const fs::path dir = fs::path(git_repository_path(repo)) / "objects" / "pack";
  std::vector<fs::path> old_packs = PackFiles(dir);
  if (old_packs.size() <= max_packs) return {};
  const std::string doing = "repacking the " + std::to_string(old_packs.size()) +
                            " pack files of the gitops work dir " + git_repository_path(repo);
  git_revwalk* raw_walk = nullptr;
  if (int rc = git_revwalk_new(&raw_walk, repo); rc < 0) return GitError(rc, doing);
  Revwalk walk(raw_walk);
  git_packbuilder* raw_pb = nullptr;
  if (int rc = git_packbuilder_new(&raw_pb, repo); rc < 0) return GitError(rc, doing);
  Packbuilder pb(raw_pb);
  // Every reference's object: commits with their history (the walk); annotated tags, trees
  // and blobs themselves, with what they point to.
  git_reference_iterator* raw_it = nullptr;
  if (int rc = git_reference_iterator_new(&raw_it, repo); rc < 0) return GitError(rc, doing);
  Owned<git_reference_iterator, git_reference_iterator_free> it(raw_it);
  git_reference* raw_ref = nullptr;
  int rc = 0;
  while ((rc = git_reference_next(&raw_ref, it.get())) == 0) {
    Owned<git_reference, git_reference_free> ref(raw_ref);
    const git_oid* target = git_reference_target(ref.get());
    if (target == nullptr) continue;  // symbolic
    size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    git_odb* odb = nullptr;
    if ((rc = git_repository_odb(&odb, repo)) == 0) {
      rc = git_odb_read_header(&size, &type, odb, target);
      git_odb_free(odb);
    }
    if (rc < 0) return GitError(rc, doing + ": " + git_reference_name(ref.get()));
    if (type != GIT_OBJECT_COMMIT &&
        (rc = git_packbuilder_insert_recur(pb.get(), target, nullptr)) < 0) {
      return GitError(rc, doing + ": " + git_reference_name(ref.get()));
    }
    // A tag of a commit also brings the commit's history; of a tree or blob, nothing more.
    if (type == GIT_OBJECT_COMMIT || type == GIT_OBJECT_TAG) {
      rc = git_revwalk_push(walk.get(), target);
      if (rc < 0 && type == GIT_OBJECT_COMMIT) return GitError(rc, doing);
      git_error_clear();
    }
  }
  if (rc != GIT_ITEROVER) return GitError(rc, doing);
  if (int rc2 = git_packbuilder_insert_walk(pb.get(), walk.get()); rc2 < 0) {
    return GitError(rc2, doing);
  }
  // Written and flushed to disk (libgit2 fsyncs: see EnsureLibgit2) before any old pack goes.
  if (int rc2 = git_packbuilder_write(pb.get(), nullptr, 0, nullptr, nullptr); rc2 < 0) {
    return GitError(rc2, doing);
  }
  // Only now that the new pack and its index are complete and durable do the old ones go.
  const std::string written = "pack-" + std::string(git_packbuilder_name(pb.get())) + ".pack";
  std::error_code ec;
  for (fs::path pack : old_packs) {
    if (pack.filename() == written) continue;
    for (const char* ext : {".idx", ".rev", ".bitmap", ".mtimes", ".pack"}) {
      fs::remove(pack.replace_extension(ext), ec);
    }
  }
  return RefreshObjects(repo, doing);
}

}  // namespace captain::git
