#include "gitops/diff.h"

#include <vector>

namespace captain {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::string Show(char mark, const std::string& line) {
  std::string out(1, mark);
  out += line;
  if (out.back() != '\n') out += "\n\\ No newline at end of file\n";
  return out;
}

}  // namespace

std::string UnifiedDiff(const std::string& path, const std::string& before,
                        const std::string& after) {
  if (before == after) return "";
  auto a = Lines(before), b = Lines(after);
  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  // Trim the common prefix and suffix; what is left differs (a tag edit changes lines in
  // place, so this is exact for captain's own edits and still correct for any other).
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  // Hunks: split the changed middle into runs of differing lines where both sides have the
  // same shape; otherwise one hunk.
  struct Hunk {
    size_t a0, a1, b0, b1;
  };
  std::vector<Hunk> hunks;
  size_t a_end = a.size() - suf, b_end = b.size() - suf;
  if (a_end - pre == b_end - pre) {
    for (size_t i = pre; i < a_end; ++i) {
      if (a[i] == b[i]) continue;
      size_t j = i;
      while (j < a_end && a[j] != b[j]) ++j;
      hunks.push_back({i, j, i, j});
      i = j;
    }
  } else {
    hunks.push_back({pre, a_end, pre, b_end});
  }
  const size_t ctx = 3;
  for (size_t h = 0; h < hunks.size();) {
    size_t start_a = hunks[h].a0 >= ctx ? hunks[h].a0 - ctx : 0;
    size_t start_b = hunks[h].b0 - (hunks[h].a0 - start_a);
    size_t last = h;
    while (last + 1 < hunks.size() && hunks[last + 1].a0 <= hunks[last].a1 + 2 * ctx) ++last;
    size_t end_a = std::min(a.size(), hunks[last].a1 + ctx);
    size_t end_b = hunks[last].b1 + (end_a - hunks[last].a1);
    out += "@@ -" + std::to_string(start_a + 1) + "," + std::to_string(end_a - start_a) + " +" +
           std::to_string(start_b + 1) + "," + std::to_string(end_b - start_b) + " @@\n";
    size_t ia = start_a, ib = start_b;
    for (size_t k = h; k <= last; ++k) {
      while (ia < hunks[k].a0) {
        out += Show(' ', a[ia++]);
        ++ib;
      }
      for (size_t i = hunks[k].a0; i < hunks[k].a1; ++i) out += Show('-', a[i]);
      for (size_t i = hunks[k].b0; i < hunks[k].b1; ++i) out += Show('+', b[i]);
      ia = hunks[k].a1;
      ib = hunks[k].b1;
    }
    while (ia < end_a) {
      out += Show(' ', a[ia++]);
      ++ib;
    }
    h = last + 1;
  }
  return out;
}

}  // namespace captain
