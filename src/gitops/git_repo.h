// The GitOps repository client: keeps a local bare clone of the ArgoCD applications repository
// in step with the remote branch, reads files from it, and commits and pushes image-tag edits,
// re-applying them when a push loses a race. There is no work tree: files are read from and
// commits built out of git objects, so a deploy costs what it changes, not the repository's size.
// GitopsRepo is the seam; OpenGitopsRepo returns the libgit2 implementation. One thread at a time
// per object; one process at a time per work_dir.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace captain {

struct FileEdit {
  std::string path;          // relative to the repository root, '/'-separated
  std::string new_contents;  // the whole file, byte for byte (no line-ending conversion)
};

using Trailer = std::pair<std::string, std::string>;  // key (letters, digits, '-'), value

struct CommitSpec {
  std::string subject;            // one line, required
  std::string body;               // may be empty
  std::vector<Trailer> trailers;  // written as "Key: value" lines, in this order
  std::string author_name;        // empty: GitRepoOptions::author_name
  std::string author_email;       // empty: GitRepoOptions::author_email
  std::optional<int64_t> time;    // author and commit time, seconds since the epoch (UTC);
                                  // nullopt: now
};

struct PushResult {
  std::string commit;  // 40 hex of the pushed commit; empty if nothing changed
  int attempts = 0;    // attempts made: 1, plus one per lost race
  bool no_change = false;
};

class GitopsRepo {
 public:
  // Computes the edits against the repository's current head (read it through the argument).
  using EditFn = std::function<Result<std::vector<FileEdit>>(GitopsRepo&)>;

  virtual ~GitopsRepo() = default;

  // Fetches origin/<branch> and points the local branch at it (local commits are dropped).
  virtual Status Sync() = 0;
  // A file at the local head (after Sync: the remote head). Missing file: an error.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Each attempt: Sync, call `make_edits`, commit the files that changed, push. A push that
  // loses a race (non-fast-forward) is retried from a fresh Sync after a backoff, at most
  // GitRepoOptions::max_attempts times in all. No byte changed: no commit, no push,
  // `no_change` set. A refusal by the server (hook, protected branch) is an error carrying the
  // remote's reason; so is an error from `make_edits`. After any failure the local branch is
  // back at the last fetched remote head.
  virtual Result<PushResult> CommitAndPush(const EditFn& make_edits, const CommitSpec& spec) = 0;
  // Fetches, then returns the newest commit of origin/<branch>, within
  // GitRepoOptions::history_depth commits, whose message has every given trailer (key
  // case-insensitive, value exact); nullopt when none has. For crash recovery.
  virtual Result<std::optional<std::string>> FindCommitWithTrailers(
      const std::vector<Trailer>& trailers) = 0;
  // A file at a commit (40 hex or any revision git understands); nullopt if the file is not
  // there, an error if the commit is unknown locally.
  virtual Result<std::optional<std::string>> ReadFileAt(const std::string& commit,
                                                        const std::string& path) = 0;
  // 40 hex of the local head.
  virtual Result<std::string> HeadCommit() = 0;
  // The local head and the commits before it, newest first (by commit time), at most `depth`.
  virtual Result<std::vector<std::string>> History(int depth) = 0;
};

struct GitCredentials {
  // HTTPS: a token, sent as the password of user "x-access-token". Read at each connection,
  // from the environment variable named here or else from this file (whitespace trimmed).
  std::string token_env;
  std::string token_file;
  // SSH: a private key file; the public key file and the environment variable holding the
  // key's passphrase are optional.
  std::string ssh_key;
  std::string ssh_public_key;
  std::string ssh_passphrase_env;
};

struct GitRepoOptions {
  // https://, ssh://, user@host:path, file:// or a local path. A local remote needs no
  // credentials; its branch moves by compare-and-swap like a server's, and one with server
  // hooks is refused (they would not run). Used as given: url.*.insteadOf rules are not
  // applied.
  std::string url;
  std::string branch = "main";
  // A bare clone: cloned into when absent or empty; otherwise opened, and its origin set to
  // `url`.
  std::string work_dir;
  GitCredentials credentials;
  std::string author_name = "captain";
  std::string author_email = "captain@localhost";
  int max_attempts = 5;
  int history_depth = 200;
  // Each commit and each fetch that brings objects adds a pack file to the work dir; opening it
  // with more than this many rewrites them as one.
  int max_packs = 32;
  // One captain process at a time uses a work dir (lock file `<work_dir>.lock`); another waits
  // this long for it.
  std::chrono::milliseconds lock_wait{60000};
  // Called before retry n (1-based) after a lost race; empty: sleep 50ms * 2^(n-1).
  std::function<void(int retry)> backoff;
  // Tests only: see git::RemoteAccess::on_push_negotiated.
  std::function<void()> on_push_negotiated;
};

// Clones `url` into work_dir, or opens the clone already there; does not Sync. Bad options are
// usage errors; messages name the URL (password redacted) and the directory.
Result<std::unique_ptr<GitopsRepo>> OpenGitopsRepo(const GitRepoOptions& options);

}  // namespace captain
