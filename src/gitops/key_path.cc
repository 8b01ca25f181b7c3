#include "gitops/key_path.h"

namespace captain {
namespace {

bool IsBareChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f && c != '.' && c != '/' && c != '"' && c != '\'';
}

Error BadPath(std::string_view path, size_t pos, const std::string& reason) {
  return UsageError("key path '" + std::string(path) + "': " + reason + " at column " +
                    std::to_string(pos + 1));
}

struct Cursor {
  std::string_view path;
  size_t pos = 0;
  bool done() const { return pos >= path.size(); }
  char peek() const { return path[pos]; }
};

Result<std::string> DoubleQuoted(Cursor& c) {
  size_t open = c.pos++;
  std::string out;
  while (!c.done() && c.peek() != '"') {
    char ch = c.path[c.pos++];
    if (ch == '\\') {
      if (c.done()) break;
      char esc = c.path[c.pos++];
      if (esc != '"' && esc != '\\') return BadPath(c.path, c.pos - 2, "unknown escape");
      ch = esc;
    }
    out += ch;
  }
  if (c.done()) return BadPath(c.path, open, "unterminated quote");
  ++c.pos;
  return out;
}

Result<std::string> SingleQuoted(Cursor& c) {
  size_t open = c.pos++;
  std::string out;
  while (!c.done()) {
    char ch = c.path[c.pos++];
    if (ch != '\'') {
      out += ch;
    } else if (!c.done() && c.peek() == '\'') {
      out += '\'';
      ++c.pos;
    } else {
      return out;
    }
  }
  return BadPath(c.path, open, "unterminated quote");
}

Result<std::string> Bare(Cursor& c) {
  size_t start = c.pos;
  while (!c.done() && c.peek() != '.') {
    if (!IsBareChar(c.peek())) {
      return BadPath(c.path, c.pos,
                     "'" + std::string(1, c.peek()) + "' must be inside a quoted segment");
    }
    ++c.pos;
  }
  if (c.pos == start) return BadPath(c.path, start, "empty segment");
  return std::string(c.path.substr(start, c.pos - start));
}

Result<std::string> Segment(Cursor& c) {
  if (c.done()) return BadPath(c.path, c.pos, "empty segment");
  if (c.peek() == '"') return DoubleQuoted(c);
  if (c.peek() == '\'') return SingleQuoted(c);
  return Bare(c);
}

bool NeedsQuotes(const std::string& segment) {
  if (segment.empty()) return true;
  for (char ch : segment) {
    if (!IsBareChar(ch)) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<std::string>> ParseKeyPath(std::string_view path) {
  if (path.empty()) return UsageError("key path is empty");
  Cursor c{path};
  std::vector<std::string> segments;
  while (true) {
    auto seg = Segment(c);
    if (!seg) return seg.error();
    segments.push_back(std::move(seg).value());
    if (c.done()) return segments;
    if (c.peek() != '.') return BadPath(path, c.pos, "expected '.' after a quoted segment");
    ++c.pos;
    if (c.done()) return BadPath(path, c.pos, "empty segment");
  }
}

std::string FormatKeyPath(const std::vector<std::string>& segments, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < segments.size(); ++i) {
    if (i > 0) out += '.';
    if (!NeedsQuotes(segments[i])) {
      out += segments[i];
      continue;
    }
    out += '"';
    for (char ch : segments[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out;
}

bool IsIndexSegment(std::string_view segment) {
  if (segment.empty()) return false;
  for (char ch : segment) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

}  // namespace captain
