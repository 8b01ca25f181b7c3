#include "util/yaml_quoted.h"

#include <vector>

namespace captain {
namespace {

std::string_view Trim(std::string_view s, bool left, bool right) {
  while (left && !s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (right && !s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string UnquoteSingle(std::string_view raw) {
  std::vector<std::string_view> lines;
  for (size_t start = 0;;) {
    size_t nl = raw.find('\n', start);
    lines.push_back(raw.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  std::string folded;
  size_t empties = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    bool first = i == 0, last = i + 1 == lines.size();
    std::string_view line = lines.size() == 1 ? lines[i] : Trim(lines[i], !first, !last);
    if (first) {
      folded = line;
      continue;
    }
    if (line.empty() && !last) {
      ++empties;
      continue;
    }
    folded += empties ? std::string(empties, '\n') : std::string(" ");
    folded += line;
    empties = 0;
  }
  if (empties) folded += std::string(empties, '\n');
  std::string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    out += folded[i];
    if (folded[i] == '\'' && i + 1 < folded.size() && folded[i + 1] == '\'') ++i;
  }
  return out;
}

}  // namespace captain
