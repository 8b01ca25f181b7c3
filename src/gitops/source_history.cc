#include "gitops/source_history.h"

#include <filesystem>

#include "gitops/git_util.h"

namespace captain {
namespace {

Result<git::Repository> Mirror(const std::string& url, const std::string& dir) {
  git_repository* raw = nullptr;
  if (std::filesystem::exists(dir + "/HEAD")) {
    if (int rc = git_repository_open_bare(&raw, dir.c_str()); rc != 0) {
      return git::GitError(rc, dir + ": cannot open the source mirror");
    }
    git::Repository repo(raw);
    Result<git::Remote> remote = git::MakeRemote(repo.get(), url);
    if (!remote) return remote.error();
    char refspec[] = "+refs/heads/*:refs/remotes/origin/*";
    char* specs[] = {refspec};
    git_strarray refspecs = {specs, 1};
    if (int rc = git_remote_fetch(remote->get(), &refspecs, nullptr, nullptr); rc != 0) {
      return git::GitError(rc, "cannot fetch " + url);
    }
    return repo;
  }
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path());
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  opts.bare = 1;
  opts.remote_cb = git::CreateRemoteForClone;
  if (int rc = git_clone(&raw, url.c_str(), dir.c_str(), &opts); rc != 0) {
    return git::GitError(rc, "cannot clone " + url);
  }
  return git::Repository(raw);
}

Result<git_oid> Resolve(git_repository* repo, const std::string& rev) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, rev.c_str()) != 0) {
    return UsageError("unknown commit '" + rev + "' in the source repository");
  }
  git::Object o(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, o.get(), GIT_OBJECT_COMMIT) != 0) {
    return UsageError("'" + rev + "' is not a commit");
  }
  git::Object p(peeled);
  return *git_object_id(p.get());
}

}  // namespace

Result<std::vector<std::string>> CommitSubjectsBetween(const std::string& url,
                                                       const std::string& mirror_dir,
                                                       const std::string& from,
                                                       const std::string& to, size_t limit) {
  git::EnsureLibgit2();
  auto repo = Mirror(url, mirror_dir);
  if (!repo) return repo.error();
  auto to_oid = Resolve(repo->get(), to);
  if (!to_oid) return to_oid.error();
  git_revwalk* raw = nullptr;
  if (int rc = git_revwalk_new(&raw, repo->get()); rc != 0) {
    return git::GitError(rc, "reading the source history");
  }
  git::Revwalk walk(raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  git_revwalk_push(walk.get(), &*to_oid);
  if (!from.empty()) {
    auto from_oid = Resolve(repo->get(), from);
    if (!from_oid) return from_oid.error();
    git_revwalk_hide(walk.get(), &*from_oid);
  }
  std::vector<std::string> out;
  git_oid oid;
  while (out.size() < limit && git_revwalk_next(&oid, walk.get()) == 0) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo->get(), &oid) != 0) continue;
    git::Commit commit(c);
    const char* summary = git_commit_summary(commit.get());
    out.push_back(summary ? summary : "");
  }
  return out;
}

}  // namespace captain
