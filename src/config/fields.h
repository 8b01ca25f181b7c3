// Typed, position-aware access to configuration fields. Every problem is collected as
// "file:line:col: field.path: message" so a user sees all of them at once.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_doc.h"

namespace captain {

class Fields {
 public:
  explicit Fields(const YamlDoc& doc) : doc_(doc) {}

  void Error(fy_node* at, const std::string& path, const std::string& message,
             Mark fallback = {1, 1});
  const std::vector<std::string>& errors() const { return errors_; }

  bool IsMap(fy_node* n) const;
  bool IsSeq(fy_node* n) const;
  bool IsScalar(fy_node* n) const;
  // Reports (and returns false) unless `n` is a mapping / sequence.
  bool ExpectMap(fy_node* n, const std::string& path);
  bool ExpectSeq(fy_node* n, const std::string& path);
  // Reports every key of `map` not in `allowed`.
  void CheckKeys(fy_node* map, const std::string& path,
                 std::initializer_list<std::string_view> allowed);

  // The value under `key`, or nullptr. Reports a missing key when `required`.
  fy_node* Get(fy_node* map, std::string_view key, const std::string& path, bool required);
  std::vector<fy_node*> Items(fy_node* seq) const;
  // (key text, key node, value node) of each pair.
  struct Pair {
    std::string key;
    fy_node* key_node;
    fy_node* value;
  };
  std::vector<Pair> Pairs(fy_node* map) const;

  // Scalar readers: nullopt (after reporting) when present but of the wrong form, or
  // missing and required; nullopt without a report when missing and optional.
  std::optional<std::string> String(fy_node* map, std::string_view key, const std::string& path,
                                    bool required);
  std::optional<long> Int(fy_node* map, std::string_view key, const std::string& path,
                          bool required, long min, long max);
  std::optional<bool> Bool(fy_node* map, std::string_view key, const std::string& path,
                           bool required);
  // Scalar text of a node that must be a scalar (reports otherwise).
  std::optional<std::string> Scalar(fy_node* n, const std::string& path);

  const YamlDoc& doc() const { return doc_; }
  static std::string Join(const std::string& path, std::string_view key);
  static std::string Index(const std::string& path, size_t i);

 private:
  const YamlDoc& doc_;
  std::vector<std::string> errors_;
};

}  // namespace captain
