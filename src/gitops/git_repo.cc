// The libgit2 GitopsRepo: the local clone, reads, commits and the retry loop. The network half
// is in git_remote.cc.
#include "gitops/git_repo.h"

#include <strings.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "gitops/clone_cache.h"
#include "gitops/git_util.h"
#include "gitops/local_push.h"
#include "gitops/pack_writer.h"
#include "gitops/tree_update.h"
#include "util/file_lock.h"

namespace captain {
namespace {

namespace fs = std::filesystem;

std::string TrimSpace(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t") - b + 1));
}

// Whether the message's trailer block has every wanted trailer.
bool HasTrailers(const char* message, const std::vector<Trailer>& wanted) {
  git_message_trailer_array found{};
  if (git_message_trailers(&found, message) < 0) return false;
  bool all = std::all_of(wanted.begin(), wanted.end(), [&](const Trailer& w) {
    for (size_t i = 0; i < found.count; ++i) {
      if (strcasecmp(found.trailers[i].key, w.first.c_str()) == 0 &&
          TrimSpace(found.trailers[i].value) == w.second) {
        return true;
      }
    }
    return false;
  });
  git_message_trailer_array_free(&found);
  return all;
}

class LibGit2Repo final : public GitopsRepo {
 public:
  LibGit2Repo(FileLock lock, GitRepoOptions options, git::RemoteAccess access, git::Repository repo,
              git::Remote remote)
      : lock_(std::move(lock)),
        options_(std::move(options)),
        access_(std::move(access)),
        repo_(std::move(repo)),
        remote_(std::move(remote)),
        local_path_(git::LocalRemotePath(options_.url)) {}

  Status Sync() override {
    Result<git_oid> head = FetchRemoteHead();
    if (!head) return head.error();
    return SetBase(*head);
  }

  Result<std::string> ReadFile(const std::string& path) override {
    if (!base_tree_) {
      Result<git_oid> head = BranchHead();
      if (!head) return head.error();
      if (Status s = SetBase(*head); !s) return s.error();
    }
    Result<std::optional<std::string>> contents = ReadBlob(base_tree_.get(), path);
    if (!contents) return contents.error();
    if (!*contents) {
      return OtherError(path + " does not exist in " + access_.display_url + " branch " +
                        options_.branch + " at commit " + git::OidHex(base_).substr(0, 12));
    }
    return std::move(**contents);
  }

  Result<PushResult> CommitAndPush(const EditFn& make_edits, const CommitSpec& spec) override {
    Result<std::string> message = git::ComposeCommitMessage(spec);
    if (!message) return message.error();
    const int max_attempts = std::max(1, options_.max_attempts);
    std::string last_reason;
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
      if (attempt > 1) Backoff(attempt - 1);
      Result<git_oid> base = FetchRemoteHead();
      if (!base) return base.error();
      if (Status s = SetBase(*base); !s) return s.error();
      Result<std::vector<FileEdit>> edits = make_edits(*this);
      if (!edits) return edits.error();
      Result<std::optional<git_oid>> commit = CommitEdits(*edits, spec, *message);
      if (!commit) return Discard(*base, commit.error());
      if (!*commit) return PushResult{"", attempt, /*no_change=*/true};
      Result<git::PushOutcome> pushed =
          local_path_ ? git::PushBranchLocal(remote_.get(), access_, *local_path_, options_.branch,
                                             *base, **commit)
                      : git::PushBranch(remote_.get(), access_, options_.branch);
      if (!pushed) return Discard(*base, pushed.error());
      if (pushed->accepted) {
        // The remote branch is now the commit just pushed. Recording that locally saves a
        // download, but the push has landed whatever happens here: a failure only means the
        // next read starts from the local branch again.
        static_cast<void>(SetRef(TrackingRef(), **commit, "captain: pushed"));
        if (!SetBase(**commit)) base_tree_.reset();
        return PushResult{git::OidHex(**commit), attempt, false};
      }
      last_reason = pushed->reason;
      static_cast<void>(SetBase(*base));
    }
    std::string tries =
        std::to_string(max_attempts) + (max_attempts == 1 ? " attempt" : " attempts");
    if (last_reason.find(".lock") != std::string::npos) {
      return OtherError("pushing branch " + options_.branch + " to " + access_.display_url +
                        ": gave up after " + tries + ": " + last_reason +
                        " (a push in progress, or one that crashed and left it: remove the lock "
                        "file if no push is running)");
    }
    return OtherError("pushing branch " + options_.branch + " to " + access_.display_url +
                      ": gave up after " + tries +
                      ", the branch kept moving (last rejection: " + last_reason + ")");
  }

  Result<std::optional<std::string>> FindCommitWithTrailers(
      const std::vector<Trailer>& trailers) override {
    if (trailers.empty()) return UsageError("searching gitops history needs at least one trailer");
    Result<git_oid> head = FetchRemoteHead();
    if (!head) return head.error();
    std::optional<std::string> found;
    Status walked = Walk(*head, options_.history_depth, [&](const git_oid& oid) -> Result<bool> {
      Result<git::Commit> commit = LookupCommit(oid);
      if (!commit) return commit.error();
      if (!HasTrailers(git_commit_message(commit->get()), trailers)) return false;
      found = git::OidHex(oid);
      return true;
    });
    if (!walked) return walked.error();
    return found;
  }

  Result<std::optional<std::string>> ReadFileAt(const std::string& commit,
                                                const std::string& path) override {
    if (Status s = git::CheckRepoPath(path); !s) return s.error();
    // Callers read many files at one commit (drift, rollback): resolve it once.
    if (read_at_tree_ && read_at_ == commit) return ReadBlob(read_at_tree_.get(), path);
    git_object* raw = nullptr;
    if (int rc = git_revparse_single(&raw, repo_.get(), commit.c_str()); rc < 0) {
      return git::GitError(rc, "finding commit " + commit + " in the gitops work dir " +
                                   options_.work_dir + " (fetched from " + access_.display_url +
                                   ")");
    }
    git::Object object(raw);
    git_object* peeled = nullptr;
    if (int rc = git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT); rc < 0) {
      return git::GitError(rc, commit + " is not a commit");
    }
    git::Commit found(reinterpret_cast<git_commit*>(peeled));
    Result<git::Tree> tree = TreeOf(found.get());
    if (!tree) return tree.error();
    read_at_ = commit;
    read_at_tree_ = std::move(*tree);
    return ReadBlob(read_at_tree_.get(), path);
  }

  Result<std::vector<std::string>> History(int depth) override {
    Result<git_oid> head = BranchHead();
    if (!head) return head.error();
    std::vector<std::string> out;
    Status walked = Walk(*head, depth, [&](const git_oid& oid) {
      out.push_back(git::OidHex(oid));
      return Result<bool>(false);
    });
    if (!walked) return walked.error();
    return out;
  }

  Result<std::string> HeadCommit() override {
    if (base_tree_) return git::OidHex(base_);
    Result<git_oid> head = BranchHead();
    if (!head) return head.error();
    return git::OidHex(*head);
  }

 private:
  std::string BranchRef() const { return "refs/heads/" + options_.branch; }
  std::string TrackingRef() const {
    return "refs/remotes/" + access_.remote_name + "/" + options_.branch;
  }

  Result<git_oid> FetchRemoteHead() {
    read_at_tree_.reset();  // remote-tracking names may move
    if (Status s = git::FetchBranch(remote_.get(), access_, options_.branch); !s) return s.error();
    git_oid oid;
    int rc = git_reference_name_to_id(&oid, repo_.get(), TrackingRef().c_str());
    if (rc == GIT_ENOTFOUND) {
      return OtherError("branch " + options_.branch + " does not exist in " + access_.display_url +
                        " (check gitops.branch)");
    }
    if (rc < 0) return git::GitError(rc, "reading " + TrackingRef());
    return oid;
  }

  Result<git_oid> BranchHead() {
    git_oid oid;
    if (int rc = git_reference_name_to_id(&oid, repo_.get(), BranchRef().c_str()); rc < 0) {
      return git::GitError(
          rc, "reading " + BranchRef() + " of the gitops work dir " + options_.work_dir);
    }
    return oid;
  }

  // Calls `visit` on `from` and its ancestors, newest first, at most `depth` of them, until it
  // returns true.
  Status Walk(const git_oid& from, int depth,
              const std::function<Result<bool>(const git_oid&)>& visit) {
    git_revwalk* raw = nullptr;
    const std::string doing = "reading the history of " + access_.display_url;
    if (int rc = git_revwalk_new(&raw, repo_.get()); rc < 0) return git::GitError(rc, doing);
    git::Revwalk walk(raw);
    git_revwalk_sorting(walk.get(), GIT_SORT_TIME);
    if (int rc = git_revwalk_push(walk.get(), &from); rc < 0) return git::GitError(rc, doing);
    git_oid oid;
    for (int seen = 0; seen < depth; ++seen) {
      int rc = git_revwalk_next(&oid, walk.get());
      if (rc == GIT_ITEROVER) break;
      if (rc < 0) return git::GitError(rc, doing);
      Result<bool> stop = visit(oid);
      if (!stop) return stop.error();
      if (*stop) break;
    }
    return {};
  }

  Result<git::Commit> LookupCommit(const git_oid& oid) {
    git_commit* raw = nullptr;
    if (int rc = git_commit_lookup(&raw, repo_.get(), &oid); rc < 0) {
      return git::GitError(rc, "reading commit " + git::OidHex(oid));
    }
    return git::Commit(raw);
  }

  Result<git::Tree> TreeOf(git_commit* commit) {
    git_tree* raw = nullptr;
    if (int rc = git_commit_tree(&raw, commit); rc < 0) {
      return git::GitError(rc, "reading the tree of " + git::OidHex(*git_commit_id(commit)));
    }
    return git::Tree(raw);
  }

  Status SetRef(const std::string& name, const git_oid& target, const char* log) {
    git_reference* ref = nullptr;
    if (int rc = git_reference_create(&ref, repo_.get(), name.c_str(), &target, /*force=*/1, log);
        rc < 0) {
      return git::GitError(rc, "pointing " + name + " of the gitops work dir " + options_.work_dir +
                                   " at " + git::OidHex(target));
    }
    git_reference_free(ref);
    read_at_tree_.reset();  // a revision such as HEAD may now name another commit
    return {};
  }

  // Makes `target` the commit that reads and the next commit start from, and points the local
  // branch (what a push sends) at it. The work dir is bare: there is no index or work tree.
  Status SetBase(const git_oid& target) {
    Result<git::Commit> commit = LookupCommit(target);
    if (!commit) return commit.error();
    Result<git::Tree> tree = TreeOf(commit->get());
    if (!tree) return tree.error();
    if (Status s = SetRef(BranchRef(), target, "captain: sync"); !s) return s;
    base_ = target;
    base_tree_ = std::move(*tree);
    return {};
  }

  // Undoes a local commit that did not reach the remote; returns `error`.
  Error Discard(const git_oid& base, Error error) {
    static_cast<void>(SetBase(base));
    return error;
  }

  Result<std::optional<std::string>> ReadBlob(const git_tree* tree, const std::string& path) {
    if (Status s = git::CheckRepoPath(path); !s) return s.error();
    git_tree_entry* raw_entry = nullptr;
    int rc = git_tree_entry_bypath(&raw_entry, tree, path.c_str());
    if (rc == GIT_ENOTFOUND) return {std::nullopt};
    if (rc < 0) return git::GitError(rc, "looking up " + path);
    git::TreeEntry entry(raw_entry);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
      return OtherError(path + " is a directory or submodule in the gitops repository, not a file");
    }
    git_blob* raw_blob = nullptr;
    if (rc = git_blob_lookup(&raw_blob, repo_.get(), git_tree_entry_id(entry.get())); rc < 0) {
      return git::GitError(rc, "reading " + path);
    }
    git::Blob blob(raw_blob);
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return {std::string(data, static_cast<size_t>(git_blob_rawsize(blob.get())))};
  }

  // Commits the edits on top of the base commit and points the local branch at the result,
  // blobs byte for byte; nullopt when no file changes. The new blobs, the trees on their paths
  // and the commit are built in memory and stored as one pack before the branch names them
  // (no index, no work tree, no loose objects).
  Result<std::optional<git_oid>> CommitEdits(const std::vector<FileEdit>& edits,
                                             const CommitSpec& spec, const std::string& message) {
    const std::string doing = "committing to the gitops work dir " + options_.work_dir;
    std::set<std::string_view> seen;
    std::vector<git::NewObject> objects;
    std::vector<git::BlobUpdate> updates;
    objects.reserve(edits.size() * 2 + 1);
    updates.reserve(edits.size());
    for (const FileEdit& edit : edits) {
      if (Status s = git::CheckRepoPath(edit.path); !s) return s.error();
      if (!seen.insert(edit.path).second) {
        return UsageError("the edits name " + edit.path + " twice");
      }
      git::BlobUpdate u;
      u.path = edit.path;
      git_tree_entry* raw_entry = nullptr;
      if (git_tree_entry_bypath(&raw_entry, base_tree_.get(), edit.path.c_str()) == 0) {
        git::TreeEntry existing(raw_entry);
        u.mode = git_tree_entry_filemode(existing.get());
        if (u.mode != GIT_FILEMODE_BLOB && u.mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
          return UsageError(edit.path +
                            " is a symlink, directory or submodule in the gitops repository");
        }
      }
      objects.push_back(git::MakeObject(GIT_OBJECT_BLOB, edit.new_contents));
      u.blob = objects.back().id;
      updates.push_back(std::move(u));
    }
    Result<git_oid> tree = git::UpdateTree(repo_.get(), base_tree_.get(), updates, objects);
    if (!tree) return tree.error();
    if (git_oid_equal(&*tree, git_tree_id(base_tree_.get()))) return {std::nullopt};
    Result<git::Signature> sig = Author(spec);
    if (!sig) return sig.error();
    objects.push_back(
        git::MakeObject(GIT_OBJECT_COMMIT, git::CommitText(*tree, base_, *sig->get(), message)));
    git_oid commit_oid = objects.back().id;
    const std::string pack_dir = std::string(git_repository_path(repo_.get())) + "objects/pack";
    if (Result<std::string> pack = git::WritePack(pack_dir, std::move(objects)); !pack) {
      return Error{doing + ": " + pack.error().message, pack.error().code};
    }
    if (Status s = git::RefreshObjects(repo_.get(), doing); !s) return s.error();
    if (Status s = SetRef(BranchRef(), commit_oid, "captain: commit"); !s) return s.error();
    return {commit_oid};
  }

  Result<git::Signature> Author(const CommitSpec& spec) {
    const std::string& name = spec.author_name.empty() ? options_.author_name : spec.author_name;
    const std::string& email =
        spec.author_email.empty() ? options_.author_email : spec.author_email;
    git_signature* raw = nullptr;
    int rc = spec.time ? git_signature_new(&raw, name.c_str(), email.c_str(), *spec.time, 0)
                       : git_signature_now(&raw, name.c_str(), email.c_str());
    if (rc < 0) {
      return git::GitError(rc, "the commit author '" + name + " <" + email + ">' is not valid");
    }
    return git::Signature(raw);
  }

  void Backoff(int retry) {
    if (options_.backoff) return options_.backoff(retry);
    std::this_thread::sleep_for(std::chrono::milliseconds(50 << std::min(retry - 1, 6)));
  }

  FileLock lock_;  // first member: released after everything else
  GitRepoOptions options_;
  git::RemoteAccess access_;
  git::Repository repo_;  // declared before remote_ and the objects: destroyed after them
  git::Remote remote_;
  std::optional<std::string> local_path_;  // set for a path or file:// remote
  git_oid base_{};                         // the commit reads and commits start from
  git::Tree base_tree_;                    // null until the first Sync, read or commit
  std::string read_at_;                    // the revision ReadFileAt last resolved, and its tree
  git::Tree read_at_tree_;
};

// Opens the existing bare clone in `dir` and points its origin at the configured URL (for
// people and git commands looking at it; captain itself uses an in-memory remote).
Result<git::Repository> OpenClone(const std::string& dir, const std::string& url,
                                  const std::string& display_url) {
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  if (rc == GIT_ENOTFOUND) {
    return UsageError("the gitops work dir " + dir +
                      " exists but is not a git repository; remove it or choose another directory");
  }
  if (rc < 0) return git::GitError(rc, "opening the gitops work dir " + dir);
  git::Repository repo(raw);
  if (!git_repository_is_bare(repo.get())) {
    return UsageError("the gitops work dir " + dir +
                      " has a work tree; captain keeps a bare clone there (remove the directory "
                      "and captain clones again)");
  }
  git_config* config = nullptr;
  rc = git_repository_config(&config, repo.get());
  if (rc == 0) rc = git_config_set_string(config, "remote.origin.url", url.c_str());
  git_config_free(config);
  if (rc < 0) return git::GitError(rc, "pointing the gitops work dir at " + display_url);
  return repo;
}

}  // namespace

Result<std::unique_ptr<GitopsRepo>> OpenGitopsRepo(const GitRepoOptions& in) {
  git::EnsureLibgit2();
  GitRepoOptions options = in;
  if (options.url.empty()) return UsageError("the gitops repository (gitops.repo) is not set");
  if (options.work_dir.empty()) return UsageError("the gitops work dir is not set");
  int valid = 0;
  if (git_reference_name_is_valid(&valid, ("refs/heads/" + options.branch).c_str()) < 0 || !valid ||
      options.branch.empty()) {
    return UsageError("gitops.branch '" + options.branch + "' is not a valid branch name");
  }
  std::error_code ec;
  if (options.url.find("://") == std::string::npos) {
    bool scp_like = options.url.find(':') < options.url.find('/');  // git@host:org/repo
    if (fs::exists(options.url, ec)) {
      options.url = fs::absolute(options.url, ec).lexically_normal().string();
    } else if (!scp_like) {
      return UsageError("the gitops repository " + options.url +
                        " is neither a URL nor an existing directory");
    }
  }
  git::RemoteAccess access{"origin", git::RedactUrlPasswords(options.url), options.credentials,
                           options.on_push_negotiated};

  fs::path work_dir = fs::path(options.work_dir).lexically_normal();
  if (!work_dir.has_filename()) work_dir = work_dir.parent_path();  // "dir/" names dir
  if (work_dir.has_parent_path()) fs::create_directories(work_dir.parent_path(), ec);
  Result<FileLock> lock = FileLock::Acquire(work_dir.string() + ".lock", options.lock_wait,
                                            "the gitops work dir " + options.work_dir);
  if (!lock) return lock.error();
  git::Repository repo;
  if (Status healed = HealCloneCache(options.work_dir); !healed) return healed.error();
  if (!fs::exists(options.work_dir, ec) || fs::is_empty(options.work_dir, ec)) {
    git::RemoteCallbacks cbs(access);
    git_clone_options co = GIT_CLONE_OPTIONS_INIT;
    co.fetch_opts.callbacks = cbs.callbacks();
    co.fetch_opts.proxy_opts.type = GIT_PROXY_AUTO;
    co.bare = 1;
    co.fetch_opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;  // captain reads one branch
    co.checkout_branch = options.branch.c_str();
    co.remote_cb = git::CreateRemoteForClone;
    // Cloned beside the work dir and renamed into place: a kill leaves no half clone there.
    std::string staging = CloneStagingDir(work_dir.string());
    git_repository* raw = nullptr;
    if (int rc = git_clone(&raw, options.url.c_str(), staging.c_str(), &co); rc < 0) {
      fs::remove_all(staging, ec);
      return cbs.Fail(rc, "cloning " + access.display_url + " (branch " + options.branch +
                              ") into " + options.work_dir);
    }
    git_repository_free(raw);
    fs::remove(work_dir, ec);  // an empty directory may stand there
    fs::rename(staging, work_dir, ec);
    if (ec) {
      fs::remove_all(staging, ec);
      return OtherError("moving the new gitops clone into " + options.work_dir + ": " +
                        ec.message());
    }
    Result<git::Repository> opened = OpenClone(options.work_dir, options.url, access.display_url);
    if (!opened) return opened.error();
    repo = std::move(*opened);
  } else {
    Result<git::Repository> opened = OpenClone(options.work_dir, options.url, access.display_url);
    if (!opened) return opened.error();
    repo = std::move(*opened);
    if (Status s =
            git::ConsolidatePacks(repo.get(), static_cast<size_t>(std::max(1, options.max_packs)));
        !s) {
      return s.error();
    }
  }
  Result<git::Remote> remote = git::MakeRemote(repo.get(), options.url);
  if (!remote) return remote.error();
  return std::unique_ptr<GitopsRepo>(new LibGit2Repo(std::move(*lock), std::move(options),
                                                     std::move(access), std::move(repo),
                                                     std::move(*remote)));
}

}  // namespace captain
