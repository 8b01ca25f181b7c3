#include "gitops/source_history.h"

#include <git2.h>

#include <filesystem>
#include <memory>

namespace captain {
namespace {

std::string LastError() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

template <typename T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const { F(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Free<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, Free<git_remote, git_remote_free>>;
using WalkPtr = std::unique_ptr<git_revwalk, Free<git_revwalk, git_revwalk_free>>;
using ObjectPtr = std::unique_ptr<git_object, Free<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Free<git_commit, git_commit_free>>;

Result<RepoPtr> Mirror(const std::string& url, const std::string& dir) {
  git_repository* raw = nullptr;
  if (std::filesystem::exists(dir + "/HEAD")) {
    if (git_repository_open_bare(&raw, dir.c_str()) != 0) {
      return OtherError(dir + ": cannot open the source mirror: " + LastError());
    }
    RepoPtr repo(raw);
    // An anonymous remote with an explicit refspec: looking up the named remote makes
    // libgit2 1.5 leak its insteadOf configuration on every call.
    git_remote_create_options create = GIT_REMOTE_CREATE_OPTIONS_INIT;
    create.repository = repo.get();
    create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
    git_remote* remote = nullptr;
    if (git_remote_create_with_opts(&remote, url.c_str(), &create) != 0) {
      return OtherError(url + ": " + LastError());
    }
    RemotePtr r(remote);
    char refspec[] = "+refs/heads/*:refs/remotes/origin/*";
    char* specs[] = {refspec};
    git_strarray refspecs = {specs, 1};
    if (git_remote_fetch(r.get(), &refspecs, nullptr, nullptr) != 0) {
      return OtherError("cannot fetch " + url + ": " + LastError());
    }
    return repo;
  }
  std::filesystem::create_directories(std::filesystem::path(dir).parent_path());
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  opts.bare = 1;
  opts.remote_cb = [](git_remote** out, git_repository* repo, const char* name, const char* url,
                      void*) {
    git_remote_create_options create = GIT_REMOTE_CREATE_OPTIONS_INIT;
    create.repository = repo;
    create.name = name;
    create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
    return git_remote_create_with_opts(out, url, &create);
  };
  if (git_clone(&raw, url.c_str(), dir.c_str(), &opts) != 0) {
    return OtherError("cannot clone " + url + ": " + LastError());
  }
  return RepoPtr(raw);
}

Result<git_oid> Resolve(git_repository* repo, const std::string& rev) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, rev.c_str()) != 0) {
    return UsageError("unknown commit '" + rev + "' in the source repository");
  }
  ObjectPtr o(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, o.get(), GIT_OBJECT_COMMIT) != 0) {
    return UsageError("'" + rev + "' is not a commit");
  }
  ObjectPtr p(peeled);
  return *git_object_id(p.get());
}

}  // namespace

Result<std::vector<std::string>> CommitSubjectsBetween(const std::string& url,
                                                       const std::string& mirror_dir,
                                                       const std::string& from,
                                                       const std::string& to, size_t limit) {
  static const int init = git_libgit2_init();
  (void)init;
  auto repo = Mirror(url, mirror_dir);
  if (!repo) return repo.error();
  auto to_oid = Resolve(repo->get(), to);
  if (!to_oid) return to_oid.error();
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, repo->get()) != 0) return OtherError(LastError());
  WalkPtr walk(raw);
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
    CommitPtr commit(c);
    const char* summary = git_commit_summary(commit.get());
    out.push_back(summary ? summary : "");
  }
  return out;
}

}  // namespace captain
