#include "app/tag_file.h"

#include "gitops/yaml_edit.h"
#include "gitops/yaml_stream.h"
#include "util/file.h"

namespace captain {

Result<std::string> GetTagInFile(const std::string& file, const std::string& key,
                                 std::optional<size_t> document) {
  auto text = ReadFile(file, kMaxGitopsFileBytes);
  if (!text) return text.error();
  return GetScalar(*text, file, key, document);
}

Result<TagSet> SetTagInFile(const std::string& file, const std::string& key,
                            const std::string& value, std::optional<size_t> document) {
  auto text = ReadFile(file, kMaxGitopsFileBytes);
  if (!text) return text.error();
  auto edited = EditScalar(*text, file, key, value, document);
  if (!edited) return edited.error();
  TagSet out{edited->old_value, edited->text != *text};
  if (out.changed) {
    if (auto st = WriteFileAtomic(file, edited->text); !st) return st.error();
  }
  return out;
}

}  // namespace captain
