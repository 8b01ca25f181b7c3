// Internals of the libgit2 GitOps client: owning pointers for libgit2 objects, error
// messages, commit-message and path rules, and the network half (fetch, push, credentials).
#pragma once

#include <git2.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gitops/git_repo.h"
#include "util/result.h"

namespace captain::git {

// git_libgit2_init, once per process (never shut down).
void EnsureLibgit2();

template <auto Free>
struct Freer {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
template <typename T, auto Free>
using Owned = std::unique_ptr<T, Freer<Free>>;

using Repository = Owned<git_repository, git_repository_free>;
using Remote = Owned<git_remote, git_remote_free>;
using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using TreeEntry = Owned<git_tree_entry, git_tree_entry_free>;
using Blob = Owned<git_blob, git_blob_free>;
using Index = Owned<git_index, git_index_free>;
using Signature = Owned<git_signature, git_signature_free>;
using Revwalk = Owned<git_revwalk, git_revwalk_free>;

// "<doing>: <libgit2's last error>", with a hint for authentication, certificate and lock
// failures. `rc` is the failing call's return code.
Error GitError(int rc, std::string_view doing);

// `text` with the password of every URL in it ("scheme://user:password@host") replaced by
// "***", for messages.
std::string RedactUrlPasswords(std::string_view text);

std::string OidHex(const git_oid& oid);

// subject, blank line, body, blank line, "Key: value" lines. Validates the parts.
Result<std::string> ComposeCommitMessage(const CommitSpec& spec);

// A commit object's text: tree, one parent, author and committer (both `who`), blank line,
// message; as git_commit_create writes it.
std::string CommitText(const git_oid& tree, const git_oid& parent, const git_signature& who,
                       const std::string& message);

// A repository-relative path without empty, ".", ".." or ".git" components.
Status CheckRepoPath(std::string_view path);

// True when a push status from the server means the branch moved under us (retry), rather
// than a refusal (hook, protection rule, permissions).
bool IsRaceRejection(std::string_view status);

// What network operations need: which remote, how to show it, how to authenticate.
struct RemoteAccess {
  std::string remote_name = "origin";  // names the remote-tracking refs
  std::string display_url;             // redacted
  GitCredentials credentials;
  // Called once libgit2 has agreed a push's updates with the remote and before it writes any
  // object or ref: the window in which another push can move the branch. Tests push there.
  std::function<void()> on_push_negotiated;
};

// An in-memory remote for `url`, made without reading url.*.insteadOf: applying those rules,
// Debian's libgit2 1.5 leaks a regex match block per config entry (fixed upstream by libgit2
// PR #6382), so named-remote lookups would leak on every fetch and push.
Result<Remote> MakeRemote(git_repository* repo, const std::string& url);

// For git_clone_options::remote_cb: creates the named remote the same way.
int CreateRemoteForClone(git_remote** out, git_repository* repo, const char* name, const char* url,
                         void* payload);

// Fetches refs/heads/<branch> into refs/remotes/<remote>/<branch>.
Status FetchBranch(git_remote* remote, const RemoteAccess& access, const std::string& branch);

struct PushOutcome {
  bool accepted = false;
  bool race_lost = false;  // not accepted because the remote branch moved: retry
  std::string reason;      // the remote's words when not accepted
};

// Pushes refs/heads/<branch> to the same name (never forced). A server refusal that is not a
// lost race comes back as an error with the remote's reason and messages.
Result<PushOutcome> PushBranch(git_remote* remote, const RemoteAccess& access,
                               const std::string& branch);

// Makes libgit2 see pack files written into the repository since it last looked.
Status RefreshObjects(git_repository* repo, std::string_view doing);

// When the work dir holds more than `max_packs` pack files (.keep ones aside), writes one pack
// of every object the references reach and removes the others.
Status ConsolidatePacks(git_repository* repo, size_t max_packs);

// The callbacks of one network operation: credentials, hook output, per-ref push status.
struct CallbackState;
class RemoteCallbacks {
 public:
  explicit RemoteCallbacks(const RemoteAccess& access);
  ~RemoteCallbacks();
  RemoteCallbacks(const RemoteCallbacks&) = delete;
  RemoteCallbacks& operator=(const RemoteCallbacks&) = delete;

  git_remote_callbacks callbacks() const;
  // GitError, preferring captain's own explanation of a credential failure.
  Error Fail(int rc, std::string_view doing) const;
  CallbackState& state() { return *state_; }

 private:
  std::unique_ptr<CallbackState> state_;
};

}  // namespace captain::git
