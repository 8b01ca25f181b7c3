#include "app/tag_edits.h"

#include <unordered_map>

#include "gitops/yaml_edit.h"

namespace captain {

Result<TagEdits> EditTags(GitopsRepo& repo, const std::vector<TagTarget>& targets) {
  TagEdits out;
  std::unordered_map<std::string, std::string> after;
  std::vector<std::string> order;
  out.old_tags.reserve(targets.size());
  for (const auto& t : targets) {
    auto fail = [&](const Error& e) {
      return Error{t.service + " in " + t.env + ": " + e.message, e.code};
    };
    auto it = after.find(t.loc.file);
    if (it == after.end()) {
      auto text = repo.ReadFile(t.loc.file);
      if (!text) return fail(Error{text.error().message, ExitCode::kOther});
      out.originals[t.loc.file] = *text;
      it = after.emplace(t.loc.file, std::move(*text)).first;
      order.push_back(t.loc.file);
    }
    auto edited = EditScalar(it->second, t.loc.file, t.loc.key, t.tag);
    if (!edited) return fail(Error{edited.error().message, ExitCode::kOther});
    it->second = std::move(edited->text);
    out.old_tags.push_back(std::move(edited->old_value));
  }
  for (const auto& f : order) {
    std::string& text = after[f];
    if (text != out.originals[f]) out.edits.push_back({f, std::move(text)});
  }
  return out;
}

}  // namespace captain
