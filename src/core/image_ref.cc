#include "core/image_ref.h"

#include <vector>

namespace captain {
namespace {

bool Lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool Alnum(char c) { return Lower(c) || (c >= 'A' && c <= 'Z'); }
bool Hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// path-component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
bool IsPathComponent(std::string_view s) {
  size_t i = 0;
  auto run = [&] {
    size_t start = i;
    while (i < s.size() && Lower(s[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < s.size()) {
    if (s[i] == '.' || s[i] == '_') {
      if (s[i] == '_' && i + 1 < s.size() && s[i + 1] == '_') ++i;
      ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

// domain: label(.label)*[:port], each label alphanumeric with inner hyphens.
bool IsDomain(std::string_view s) {
  auto colon = s.find(':');
  std::string_view host = s.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port) {
      if (c < '0' || c > '9') return false;
    }
  }
  if (host.empty()) return false;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || !Alnum(label.front()) || !Alnum(label.back())) return false;
    for (char c : label) {
      if (!Alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool IsDigest(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view alg = s.substr(0, colon), hex = s.substr(colon + 1);
  for (char c : alg) {
    if (!Lower(c) && c != '+' && c != '.' && c != '_' && c != '-') return false;
  }
  if (alg == "sha256" && hex.size() != 64) return false;
  if (alg == "sha512" && hex.size() != 128) return false;
  if (hex.size() < 32) return false;
  for (char c : hex) {
    if (!Hex(c)) return false;
  }
  return true;
}

}  // namespace

bool IsImageTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  auto word = [](char c) { return Alnum(c) || c == '_'; };
  if (!word(tag.front())) return false;
  for (char c : tag) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

Result<ImageRef> ParseImageRef(std::string_view text) {
  ImageRef ref;
  std::string_view rest = text;
  if (rest.empty()) return UsageError("an empty image reference");
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!IsDigest(ref.digest)) {
      return UsageError("'" + ref.digest +
                        "' is not a digest (algorithm:hex, sha256: and 64 hex digits)");
    }
  }
  auto slash = rest.rfind('/');
  auto colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!IsImageTag(ref.tag)) {
      return UsageError("'" + ref.tag +
                        "' is not an image tag (letters, digits, _ . -, at most 128, not starting "
                        "with . or -)");
    }
  }
  if (rest.size() > 255) return UsageError("the repository name is longer than 255 characters");
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t next = rest.find('/', start);
    parts.push_back(rest.substr(start, next == std::string_view::npos ? next : next - start));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  size_t first = 0;
  std::string_view head = parts.front();
  if (parts.size() > 1 &&
      (head.find_first_of(".:") != std::string_view::npos || head == "localhost" ||
       head.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos)) {
    if (!IsDomain(head)) return UsageError("'" + std::string(head) + "' is not a registry host");
    ref.registry = std::string(head);
    first = 1;
  }
  for (size_t i = first; i < parts.size(); ++i) {
    if (!IsPathComponent(parts[i])) {
      return UsageError("'" + std::string(parts[i]) +
                        "' is not a repository path component (lower-case letters and digits, "
                        "joined by . _ __ or -)");
    }
    ref.repository += (i > first ? "/" : "") + std::string(parts[i]);
  }
  return ref;
}

}  // namespace captain
