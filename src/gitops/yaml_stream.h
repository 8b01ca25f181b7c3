// Every document of a YAML text parsed by libfyaml with aliases left unresolved, plus the
// source positions an editor needs. The text must outlive the stream.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/yaml_doc.h"  // Mark
#include "util/result.h"

namespace captain {
// A GitOps values file captain parses is refused past this size.
inline constexpr size_t kMaxGitopsFileBytes = 8u << 20;
}  // namespace captain

struct fy_node;
struct fy_token;

namespace captain {

class YamlStream {
 public:
  // A syntax error is a UsageError "name:line:col: subject: not valid YAML: <libfyaml message>".
  static Result<YamlStream> Parse(const std::string& text, const std::string& name,
                                  std::string_view subject);
  YamlStream(YamlStream&&) noexcept;
  YamlStream& operator=(YamlStream&&) noexcept;
  ~YamlStream();

  size_t size() const;
  fy_node* root(size_t document) const;  // null for an empty document

 private:
  struct Impl;
  explicit YamlStream(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// 1-based position of byte `pos` of `text`, counting columns in code points like libfyaml
// (a leading byte order mark takes no column).
Mark PositionAt(std::string_view text, size_t pos);

// 1-based position where a token starts.
Mark TokenMark(fy_token* token);

// Where the value of the mapping pair whose key token is `key` starts in `text`: after the `:`,
// comments and node properties (`&anchor`, `!tag`). For an alias this is its `*`, for a block
// scalar its `|` or `>`, for a flow collection its bracket. npos if the text does not match.
size_t ValueStart(std::string_view text, fy_node* key);

}  // namespace captain
