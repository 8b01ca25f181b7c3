// The network half of the libgit2 GitOps client: credentials, fetch and push. Credentials are
// never logged or put into messages.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gitops/git_util.h"

namespace captain::git {

struct CallbackState {
  const RemoteAccess* access = nullptr;
  bool secret_given = false;     // a second request means the remote refused it
  std::string credential_error;  // why captain could not authenticate
  std::vector<std::pair<std::string, std::string>> rejected;  // ref name, server status
  std::string remote_text;                                    // sideband messages (hook output)
};

namespace {

constexpr size_t kMaxRemoteText = 8192;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

Result<std::string> ReadToken(const GitCredentials& c) {
  if (!c.token_env.empty()) {
    const char* v = std::getenv(c.token_env.c_str());
    if (v != nullptr && !Trim(v).empty()) return Trim(v);
    if (c.token_file.empty()) {
      return OtherError("the environment variable " + c.token_env +
                        " (gitops.token_env) holding the gitops token is not set");
    }
  }
  if (!c.token_file.empty()) {
    std::ifstream in(c.token_file, std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    if (!in) return OtherError("cannot read the gitops token file " + c.token_file);
    std::string token = Trim(contents.str());
    if (token.empty()) return OtherError("the gitops token file " + c.token_file + " is empty");
    return token;
  }
  return OtherError(
      "the remote asks for a password, but no token is configured (gitops.token_env or "
      "gitops.credentials_file)");
}

int AcquireCredential(git_credential** out, const char* /*url*/, const char* username_from_url,
                      unsigned int allowed, void* payload) {
  auto& st = *static_cast<CallbackState*>(payload);
  const GitCredentials& c = st.access->credentials;
  const char* user = username_from_url != nullptr ? username_from_url : "git";
  if (st.secret_given) {
    st.credential_error = "the remote refused captain's credentials";
    return GIT_EAUTH;
  }
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && !c.ssh_key.empty()) {
    const char* passphrase =
        c.ssh_passphrase_env.empty() ? nullptr : std::getenv(c.ssh_passphrase_env.c_str());
    st.secret_given = true;
    return git_credential_ssh_key_new(out, user,
                                      c.ssh_public_key.empty() ? nullptr : c.ssh_public_key.c_str(),
                                      c.ssh_key.c_str(), passphrase);
  }
  if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    Result<std::string> token = ReadToken(c);
    if (!token) {
      st.credential_error = token.error().message;
      return GIT_EAUTH;
    }
    st.secret_given = true;
    return git_credential_userpass_plaintext_new(out, "x-access-token", token->c_str());
  }
  if (allowed & GIT_CREDENTIAL_USERNAME) return git_credential_username_new(out, user);
  st.credential_error = (allowed & GIT_CREDENTIAL_SSH_KEY)
                            ? "the remote wants an SSH key and none is configured"
                            : "the remote asks for credentials captain cannot supply";
  return GIT_EAUTH;
}

int CollectRemoteText(const char* str, int len, void* payload) {
  auto& st = *static_cast<CallbackState*>(payload);
  if (len > 0 && st.remote_text.size() < kMaxRemoteText) st.remote_text.append(str, len);
  return 0;
}

int RecordRefStatus(const char* refname, const char* status, void* payload) {
  auto& st = *static_cast<CallbackState*>(payload);
  if (status != nullptr) st.rejected.emplace_back(refname, status);
  return 0;
}

int PushNegotiated(const git_push_update**, size_t, void* payload) {
  auto& st = *static_cast<CallbackState*>(payload);
  if (st.access->on_push_negotiated) st.access->on_push_negotiated();
  return 0;
}

// "; the remote said: a; b" from the hook output, or "".
std::string RemoteSaid(const std::string& text) {
  std::string said;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    // Progress output rewrites a line with '\r'; keep its last non-empty version.
    std::istringstream parts(line);
    std::string part, last;
    while (std::getline(parts, part, '\r')) {
      if (!Trim(part).empty()) last = Trim(part);
    }
    if (!last.empty()) said += (said.empty() ? "" : "; ") + last;
  }
  return said.empty() ? "" : "; the remote said: " + said;
}

}  // namespace

RemoteCallbacks::RemoteCallbacks(const RemoteAccess& access)
    : state_(std::make_unique<CallbackState>()) {
  state_->access = &access;
}

RemoteCallbacks::~RemoteCallbacks() = default;

git_remote_callbacks RemoteCallbacks::callbacks() const {
  git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
  cb.credentials = AcquireCredential;
  cb.sideband_progress = CollectRemoteText;
  cb.push_update_reference = RecordRefStatus;
  cb.push_negotiation = PushNegotiated;
  cb.payload = state_.get();
  return cb;
}

Error RemoteCallbacks::Fail(int rc, std::string_view doing) const {
  if (!state_->credential_error.empty()) {
    return OtherError(RedactUrlPasswords(std::string(doing) + ": " + state_->credential_error));
  }
  return GitError(rc, doing);
}

Result<Remote> MakeRemote(git_repository* repo, const std::string& url) {
  git_remote_create_options opts = GIT_REMOTE_CREATE_OPTIONS_INIT;
  opts.repository = repo;
  opts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
  git_remote* raw = nullptr;
  if (int rc = git_remote_create_with_opts(&raw, url.c_str(), &opts); rc < 0) {
    return GitError(rc, "setting up the remote " + RedactUrlPasswords(url));
  }
  return Remote(raw);
}

int CreateRemoteForClone(git_remote** out, git_repository* repo, const char* name, const char* url,
                         void* /*payload*/) {
  git_remote_create_options opts = GIT_REMOTE_CREATE_OPTIONS_INIT;
  opts.repository = repo;
  opts.name = name;
  opts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
  return git_remote_create_with_opts(out, url, &opts);
}

Status FetchBranch(git_remote* remote, const RemoteAccess& access, const std::string& branch) {
  std::string tracking = "refs/remotes/" + access.remote_name + "/" + branch;
  RemoteCallbacks cbs(access);
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks = cbs.callbacks();
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  opts.prune = GIT_FETCH_PRUNE;  // a branch deleted upstream must not linger as a stale head
  opts.proxy_opts.type = GIT_PROXY_AUTO;
  std::string spec = "+refs/heads/" + branch + ":" + tracking;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  if (int rc = git_remote_fetch(remote, &refspecs, &opts, "captain: fetch"); rc < 0) {
    return cbs.Fail(rc, "fetching branch " + branch + " from " + access.display_url);
  }
  return {};
}

Result<PushOutcome> PushBranch(git_remote* remote, const RemoteAccess& access,
                               const std::string& branch) {
  RemoteCallbacks cbs(access);
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = cbs.callbacks();
  opts.proxy_opts.type = GIT_PROXY_AUTO;
  std::string spec = "refs/heads/" + branch + ":refs/heads/" + branch;
  char* specs[] = {spec.data()};
  git_strarray refspecs = {specs, 1};
  int rc = git_remote_push(remote, &refspecs, &opts);
  if (rc == GIT_ENONFASTFORWARD) {
    const git_error* e = git_error_last();
    return PushOutcome{/*accepted=*/false, /*race_lost=*/true,
                       e != nullptr ? e->message : "non-fast-forward"};
  }
  std::string where = "pushing branch " + branch + " to " + access.display_url;
  if (rc < 0) return cbs.Fail(rc, where);
  for (const auto& [ref, status] : cbs.state().rejected) {
    if (IsRaceRejection(status)) return PushOutcome{false, true, status};
    return OtherError(where + ": the remote refused " + ref + ": " + status +
                      RemoteSaid(cbs.state().remote_text));
  }
  return PushOutcome{/*accepted=*/true, /*race_lost=*/false, ""};
}

}  // namespace captain::git
