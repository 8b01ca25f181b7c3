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
  if (int rc = git_revwalk_push_glob(walk.get(), "*"); rc < 0) return GitError(rc, doing);
  git_packbuilder* raw_pb = nullptr;
  if (int rc = git_packbuilder_new(&raw_pb, repo); rc < 0) return GitError(rc, doing);
  Packbuilder pb(raw_pb);
  if (int rc = git_packbuilder_insert_walk(pb.get(), walk.get()); rc < 0) {
    return GitError(rc, doing);
  }
  if (int rc = git_packbuilder_write(pb.get(), nullptr, 0, nullptr, nullptr); rc < 0) {
    return GitError(rc, doing);
  }
  // Only now that the new pack and its index are complete do the old ones go.
  const std::string written = "pack-" + std::string(git_packbuilder_name(pb.get())) + ".pack";
  std::error_code ec;
  for (fs::path pack : old_packs) {
    if (pack.filename() == written) continue;
    for (const char* ext : {".idx", ".rev", ".bitmap", ".mtimes", ".pack"}) {
      fs::remove(pack.replace_extension(ext), ec);
    }
  }
  git_odb* odb = nullptr;
  int rc = git_repository_odb(&odb, repo);
  if (rc == 0) rc = git_odb_refresh(odb);
  git_odb_free(odb);
  if (rc < 0) return GitError(rc, doing);
  return {};
}

}  // namespace captain::git
