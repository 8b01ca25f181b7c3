#include "core/model.h"

#include <algorithm>
#include <array>

namespace captain {
namespace {

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kKinds = {"standard", "adhoc", "emergency"};
constexpr std::array<std::string_view, 9> kStates = {
    "collecting-opt-ins", "opt-window-closed", "lower-deployed", "validated",  "prod-test-deployed",
    "prod-deployed",      "signed-off",        "cancelled",      "rolled-back"};
constexpr std::array<std::string_view, 4> kScans = {"passed", "vulnerable", "gate-error",
                                                    "not-run"};

}  // namespace

std::string_view KindName(ReleaseKind k) { return kKinds[static_cast<int>(k)]; }
std::optional<ReleaseKind> ParseKind(std::string_view s) { return Parse<ReleaseKind>(kKinds, s); }
std::string_view StateName(ReleaseState s) { return kStates[static_cast<int>(s)]; }
std::optional<ReleaseState> ParseState(std::string_view s) {
  return Parse<ReleaseState>(kStates, s);
}
std::string_view ScanName(ScanResult r) { return kScans[static_cast<int>(r)]; }
std::optional<ScanResult> ParseScan(std::string_view s) { return Parse<ScanResult>(kScans, s); }

bool IsNoteCategory(std::string_view c) {
  for (auto n : kNoteCategories) {
    if (n == c) return true;
  }
  return false;
}

bool IsCommitHash(std::string_view s) {
  if (s.size() < 7 || s.size() > 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool SameCommit(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  size_t n = std::min(a.size(), b.size());
  return a.substr(0, n) == b.substr(0, n);
}

}  // namespace captain
