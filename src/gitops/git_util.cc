#include "gitops/git_util.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace captain::git {

void EnsureLibgit2() {
  static const int initialized = [] {
    int rc = git_libgit2_init();
    // Keep whole directory trees in the object cache (the default keeps only trees under
    // 4 KiB): a deploy reads a file from every service's directory under the same parents.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, size_t{1} << 20);
    // Packs, indexes and references reach the disk before libgit2 reports them written: a ref
    // must never name an object a crash could lose.
    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
    return rc;
  }();
  (void)initialized;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Hint(int rc) {
  switch (rc) {
    case GIT_EAUTH:
      return " (check the gitops credentials: token_env, credentials_file or the SSH key)";
    case GIT_ECERTIFICATE:
      return " (the server's TLS certificate is not trusted by this machine)";
    case GIT_ELOCKED:
      return " (another git process holds a lock in the work dir; if none is running, remove "
             "the stale .lock file)";
    default:
      return "";
  }
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

std::string CommitText(const git_oid& tree, const git_oid& parent, const git_signature& who,
                       const std::string& message) {
  int offset = who.when.offset;  // minutes east of UTC
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                std::abs(offset) % 60);
  std::string person = std::string(who.name) + " <" + who.email + "> " +
                       std::to_string(static_cast<long long>(who.when.time)) + " " + zone + "\n";
  return "tree " + OidHex(tree) + "\nparent " + OidHex(parent) + "\nauthor " + person +
         "committer " + person + "\n" + message;
}

Status RefreshObjects(git_repository* repo, std::string_view doing) {
  git_odb* odb = nullptr;
  int rc = git_repository_odb(&odb, repo);
  if (rc == 0) rc = git_odb_refresh(odb);
  git_odb_free(odb);
  if (rc < 0) return GitError(rc, doing);
  return {};
}

Error GitError(int rc, std::string_view doing) {
  const git_error* e = git_error_last();
  std::string detail = e != nullptr && e->message != nullptr
                           ? std::string(e->message)
                           : "libgit2 error " + std::to_string(rc);
  while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back()))) {
    detail.pop_back();
  }
  return OtherError(RedactUrlPasswords(std::string(doing) + ": " + detail + std::string(Hint(rc))));
}

std::string RedactUrlPasswords(std::string_view text) {
  std::string out(text);
  for (size_t pos = out.find("://"); pos != std::string::npos; pos = out.find("://", pos + 3)) {
    size_t start = pos + 3;
    size_t end = out.find_first_of("/ \t\r\n'\"", start);
    if (end == std::string::npos) end = out.size();
    std::string_view authority(out.data() + start, end - start);
    size_t at = authority.rfind('@');
    size_t colon = authority.find(':');
    if (at == std::string_view::npos || colon == std::string_view::npos || colon > at) continue;
    out.replace(start + colon + 1, at - colon - 1, "***");
  }
  return out;
}

std::string OidHex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

Result<std::string> ComposeCommitMessage(const CommitSpec& spec) {
  if (spec.subject.empty() || HasLineBreak(spec.subject)) {
    return UsageError("a commit subject must be one non-empty line, got '" + spec.subject + "'");
  }
  std::string message = spec.subject + "\n";
  std::string body = spec.body;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.pop_back();
  if (!body.empty()) message += "\n" + body + "\n";
  if (!spec.trailers.empty()) message += "\n";
  for (const auto& [key, value] : spec.trailers) {
    bool key_ok = !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
      return std::isalnum(c) || c == '-';
    });
    if (!key_ok) {
      return UsageError("commit trailer key '" + key + "' must be letters, digits and '-'");
    }
    if (value.empty() || HasLineBreak(value)) {
      return UsageError("commit trailer " + key + " must have a one-line, non-empty value");
    }
    message += key + ": " + value + "\n";
  }
  return message;
}

Status CheckRepoPath(std::string_view path) {
  auto bad = [&](std::string_view why) {
    return UsageError("gitops file path '" + std::string(path) + "' " + std::string(why));
  };
  if (path.empty()) return bad("is empty");
  if (path.front() == '/') return bad("must be relative to the repository root");
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return bad("must use '/' separators");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return bad("must not contain empty, '.' or '..' components");
    }
    if (Lower(part) == ".git") return bad("must not point into .git");
    start = end + 1;
  }
  return {};
}

bool IsRaceRejection(std::string_view status) {
  static constexpr std::string_view kRaceWords[] = {
      "non-fast-forward", "fetch first",     "stale info",         "failed to update ref",
      "failed to lock",   "cannot lock ref", "incorrect old value"};
  std::string s = Lower(status);
  return std::any_of(std::begin(kRaceWords), std::end(kRaceWords),
                     [&](std::string_view w) { return s.find(w) != std::string::npos; });
}

}  // namespace captain::git
