// A parsed YAML document with source positions, for reading configuration. Parse errors
// come back as "file:line:col: message" usage errors.
#pragma once

#include <memory>
#include <string>

#include "util/result.h"

struct fy_document;
struct fy_node;

namespace captain {

struct Mark {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// What captain hands libfyaml is UTF-8 without NUL bytes, and its only directives are %YAML
// and %TAG (libfyaml 0.8 can loop forever on a malformed directive): a usage error naming
// name:line:col otherwise.
Status CheckYamlInput(const std::string& text, const std::string& name);

class YamlDoc {
 public:
  static Result<YamlDoc> LoadFile(const std::string& path);
  // `name` is what error messages call the text (usually a file name).
  static Result<YamlDoc> LoadString(const std::string& text, const std::string& name);

  fy_node* root() const;
  const std::string& name() const { return name_; }
  // Position of a node: its own token for scalars, its first key or item for collections
  // (libfyaml keeps no marks for those); `fallback` when there is nothing to point at.
  Mark MarkOf(fy_node* node, Mark fallback = {1, 1}) const;
  std::string Where(fy_node* node, Mark fallback = {1, 1}) const;
  // The text of a scalar node: single-quoted ones decoded from the source (yaml_quoted.h),
  // the others by libfyaml.
  std::string ScalarText(fy_node* node) const;

 private:
  struct Free {
    void operator()(fy_document* d) const;
  };
  YamlDoc(std::unique_ptr<fy_document, Free> doc, std::string name, std::string text);
  static Result<YamlDoc> Build(const std::string* text, const std::string& path,
                               const std::string& name);

  std::unique_ptr<fy_document, Free> doc_;
  std::string name_;
  std::string text_;  // the source, which token positions index
};

}  // namespace captain
