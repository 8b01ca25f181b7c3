#include "util/text.h"

#include <cstdio>

namespace captain {
namespace {}  // namespace

size_t Utf8SequenceAt(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

namespace {

size_t SequenceAt(std::string_view s, size_t i) { return Utf8SequenceAt(s, i); }

bool IsControl(std::string_view s, size_t i, size_t len, bool allow_newlines) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (len == 1) {
    if (allow_newlines && (c == '\n' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  }
  // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
  return len == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
}

}  // namespace

bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = SequenceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::optional<std::pair<size_t, size_t>> FirstBadByte(std::string_view s) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < s.size();) {
    size_t n = SequenceAt(s, i);
    if (n == 0 || s[i] == '\0') return std::make_pair(line, col);
    if (s[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += n;
  }
  return std::nullopt;
}

bool HasControl(std::string_view s, bool allow_newlines) {
  for (size_t i = 0; i < s.size();) {
    size_t n = SequenceAt(s, i);
    if (n == 0) {
      ++i;
      continue;
    }
    if (IsControl(s, i, n, allow_newlines)) return true;
    i += n;
  }
  return false;
}

std::string EscapeControls(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = SequenceAt(s, i);
    if (n == 0 || IsControl(s, i, n, keep_newlines)) {
      size_t bad = n == 0 ? 1 : n;
      for (size_t k = 0; k < bad; ++k) {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[i + k]));
        out += buf;
      }
      i += bad;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace captain
