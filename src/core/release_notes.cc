#include "core/release_notes.h"

#include <cctype>

namespace captain {

std::pair<std::string, std::string> CategorizeCommit(const std::string& subject) {
  static const std::pair<const char*, const char*> kPrefixes[] = {
      {"feat", "new-features"},    {"feature", "new-features"}, {"fix", "bug-fixes"},
      {"bugfix", "bug-fixes"},     {"hotfix", "bug-fixes"},     {"perf", "performance"},
      {"security", "security"},    {"sec", "security"},         {"deps", "security"},
      {"config", "configuration"}, {"chore", "configuration"},  {"build", "configuration"},
      {"ci", "configuration"},
  };
  size_t i = 0;
  while (i < subject.size() && std::isalpha(static_cast<unsigned char>(subject[i]))) ++i;
  std::string type;
  for (size_t k = 0; k < i; ++k)
    type += static_cast<char>(std::tolower(static_cast<unsigned char>(subject[k])));
  size_t j = i;
  if (j < subject.size() && subject[j] == '(') {
    j = subject.find(')', j);
    if (j == std::string::npos) return {"", subject};
    ++j;
  }
  if (j < subject.size() && subject[j] == '!') ++j;
  if (j >= subject.size() || subject[j] != ':') return {"", subject};
  std::string text = subject.substr(j + 1);
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  for (const auto& [prefix, category] : kPrefixes) {
    if (type == prefix) return {category, text};
  }
  return {"", subject};
}

std::map<std::string, std::vector<std::string>> DraftNotes(
    const std::vector<std::string>& subjects) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& s : subjects) {
    auto [category, text] = CategorizeCommit(s);
    if (!category.empty()) out[category].push_back(text);
  }
  if (out.empty()) out["signature-refresh"] = {};
  return out;
}

}  // namespace captain
