// Test support for the GitOps client: a scratch directory holding a bare "remote.git", a
// shell runner for the git CLI with a fixed identity and no user config, and a libgit2
// transport ("captainexec://localhost:9/<path>": libgit2 wants a letters-only scheme and, as
// it knows no default port for it, a port) that talks to `git upload-pack` / `git receive-pack`
// subprocesses, so server-side hooks run as they do behind a real server (libgit2's own
// local transport writes refs directly and skips them). With host "token-required" the
// transport asks for a username and password first, like an HTTPS server.
#pragma once

#include <fcntl.h>
#include <git2.h>
#include <git2/sys/credential.h>
#include <git2/sys/transport.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gitops/git_util.h"

namespace captain::gittest {

inline constexpr char kExecScheme[] = "captainexec://";

// What the "token-required" host accepts, and what it saw.
struct AuthCheck {
  std::string expected_token;
  std::string seen_username;
  int asks = 0;  // calls of the client's credentials callback
};
inline AuthCheck& Auth() {
  static AuthCheck check;
  return check;
}

namespace exec_transport {

struct Subtransport;

struct Stream {
  git_smart_subtransport_stream parent;  // first: libgit2 hands us pointers to it
  Subtransport* owner = nullptr;
  pid_t pid = -1;
  int to_child = -1;
  int from_child = -1;
};

struct Subtransport {
  git_smart_subtransport parent;
  git_transport* owner = nullptr;
  Stream* current = nullptr;
};

// Asks the client for a token like a server answering 401, up to three times.
inline int Authenticate(git_transport* owner) {
  for (int i = 0; i < 3; ++i) {
    git_credential* cred = nullptr;
    ++Auth().asks;
    int rc =
        git_transport_smart_credentials(&cred, owner, nullptr, GIT_CREDENTIAL_USERPASS_PLAINTEXT);
    if (rc < 0) return rc;
    if (rc > 0 || cred == nullptr) break;
    bool ok = false;
    if (cred->credtype == GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
      auto* userpass = reinterpret_cast<git_credential_userpass_plaintext*>(cred);
      Auth().seen_username = userpass->username;
      ok = userpass->password == Auth().expected_token;
    }
    git_credential_free(cred);
    if (ok) return 0;
  }
  git_error_set_str(GIT_ERROR_NET, "authentication failed");
  return GIT_EAUTH;
}

inline int Read(git_smart_subtransport_stream* s, char* buf, size_t len, size_t* got) {
  auto* stream = reinterpret_cast<Stream*>(s);
  ssize_t n;
  do {
    n = read(stream->from_child, buf, len);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    git_error_set_str(GIT_ERROR_OS, "reading from the git subprocess failed");
    return -1;
  }
  *got = static_cast<size_t>(n);
  return 0;
}

inline int Write(git_smart_subtransport_stream* s, const char* buf, size_t len) {
  auto* stream = reinterpret_cast<Stream*>(s);
  while (len > 0) {
    ssize_t n = write(stream->to_child, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      git_error_set_str(GIT_ERROR_OS, "writing to the git subprocess failed");
      return -1;
    }
    buf += n;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

inline void Free(git_smart_subtransport_stream* s) {
  auto* stream = reinterpret_cast<Stream*>(s);
  close(stream->to_child);
  close(stream->from_child);
  int status = 0;
  if (stream->pid > 0) waitpid(stream->pid, &status, 0);
  if (stream->owner->current == stream) stream->owner->current = nullptr;
  delete stream;
}

inline int Close(git_smart_subtransport* t) {
  auto* sub = reinterpret_cast<Subtransport*>(t);
  if (sub->current != nullptr) Free(&sub->current->parent);
  return 0;
}

inline int Action(git_smart_subtransport_stream** out, git_smart_subtransport* t, const char* url,
                  git_smart_service_t action) {
  auto* sub = reinterpret_cast<Subtransport*>(t);
  if (action == GIT_SERVICE_UPLOADPACK || action == GIT_SERVICE_RECEIVEPACK) {
    if (sub->current == nullptr) return -1;
    *out = &sub->current->parent;  // stateful: the second step reuses the connection
    return 0;
  }
  Close(t);
  std::string rest = std::string(url).substr(sizeof(kExecScheme) - 1);  // host:port/path
  if (rest.substr(0, rest.find(':')) == "token-required") {
    if (int rc = Authenticate(sub->owner); rc < 0) return rc;
  }
  std::string service = action == GIT_SERVICE_UPLOADPACK_LS ? "upload-pack" : "receive-pack";
  std::string path = rest.substr(std::min(rest.find('/'), rest.size()));
  int in[2], outp[2];
  if (pipe2(in, O_CLOEXEC) != 0) return -1;
  if (pipe2(outp, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, outp[1], 1);
  std::string git = "git";
  char* argv[] = {git.data(), service.data(), path.data(), nullptr};
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(outp[1]);
  if (rc != 0) {
    close(in[1]);
    close(outp[0]);
    git_error_set_str(GIT_ERROR_OS, "cannot start git");
    return -1;
  }
  auto* stream = new Stream{};
  stream->parent.subtransport = t;
  stream->parent.read = Read;
  stream->parent.write = Write;
  stream->parent.free = Free;
  stream->owner = sub;
  stream->pid = pid;
  stream->to_child = in[1];
  stream->from_child = outp[0];
  sub->current = stream;
  *out = &stream->parent;
  return 0;
}

inline void FreeSubtransport(git_smart_subtransport* t) {
  Close(t);
  delete reinterpret_cast<Subtransport*>(t);
}

inline int NewSubtransport(git_smart_subtransport** out, git_transport* owner, void*) {
  auto* sub = new Subtransport{};
  sub->owner = owner;
  sub->parent.action = Action;
  sub->parent.close = Close;
  sub->parent.free = FreeSubtransport;
  *out = &sub->parent;
  return 0;
}

inline int NewTransport(git_transport** out, git_remote* owner, void*) {
  static git_smart_subtransport_definition definition = {NewSubtransport, /*rpc=*/0, nullptr};
  return git_transport_smart(out, owner, &definition);
}

}  // namespace exec_transport

// Registers captainexec:// once per process; true on success.
inline bool RegisterExecTransport() {
  static const bool registered = [] {
    git::EnsureLibgit2();
    signal(SIGPIPE, SIG_IGN);  // a subprocess that exits early must not kill the tests
    // libgit2 takes the scheme without "://" here, whatever its header says.
    return git_transport_register("captainexec", exec_transport::NewTransport, nullptr) == 0;
  }();
  return registered;
}

struct ShellResult {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` with sh from `dir`, as a git user with a fixed identity and no global or
// system git config.
inline ShellResult RunIn(const std::string& dir, const std::string& command) {
  std::string full =
      "cd '" + dir +
      "' && export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "
      "GIT_AUTHOR_NAME='Other Engineer' GIT_AUTHOR_EMAIL=other@example.com "
      "GIT_COMMITTER_NAME='Other Engineer' GIT_COMMITTER_EMAIL=other@example.com && (" +
      command + ") 2>&1";
  ShellResult result;
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) result.output.append(buf, n);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline void WriteFileAt(const std::filesystem::path& path, const std::string& contents) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << contents;
}

inline std::string ReadFileAt(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace captain::gittest
