#include "config/fields.h"

#include <libfyaml.h>

#include <cerrno>
#include <cstdlib>

namespace captain {

void Fields::Error(fy_node* at, const std::string& path, const std::string& message,
                   Mark fallback) {
  errors_.push_back(doc_.Where(at, fallback) + ": " + path + ": " + message);
}

bool Fields::IsMap(fy_node* n) const { return n && fy_node_get_type(n) == FYNT_MAPPING; }
bool Fields::IsSeq(fy_node* n) const { return n && fy_node_get_type(n) == FYNT_SEQUENCE; }
bool Fields::IsScalar(fy_node* n) const { return n && fy_node_get_type(n) == FYNT_SCALAR; }

bool Fields::ExpectMap(fy_node* n, const std::string& path) {
  if (IsMap(n)) return true;
  Error(n, path, "expected a mapping");
  return false;
}

bool Fields::ExpectSeq(fy_node* n, const std::string& path) {
  if (IsSeq(n)) return true;
  Error(n, path, "expected a list");
  return false;
}

std::vector<Fields::Pair> Fields::Pairs(fy_node* map) const {
  std::vector<Pair> out;
  if (!IsMap(map)) return out;
  void* it = nullptr;
  while (fy_node_pair* p = fy_node_mapping_iterate(map, &it)) {
    fy_node* k = fy_node_pair_key(p);
    out.push_back({IsScalar(k) ? doc_.ScalarText(k) : std::string(), k, fy_node_pair_value(p)});
  }
  return out;
}

std::vector<fy_node*> Fields::Items(fy_node* seq) const {
  std::vector<fy_node*> out;
  if (!IsSeq(seq)) return out;
  void* it = nullptr;
  while (fy_node* n = fy_node_sequence_iterate(seq, &it)) out.push_back(n);
  return out;
}

void Fields::CheckKeys(fy_node* map, const std::string& path,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& p : Pairs(map)) {
    bool known = false;
    for (auto a : allowed) known = known || a == p.key;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Error(p.key_node, Join(path, p.key), "unknown field (expected one of: " + list + ")");
    }
  }
}

fy_node* Fields::Get(fy_node* map, std::string_view key, const std::string& path, bool required) {
  for (const auto& p : Pairs(map)) {
    if (p.key == key) {
      if (!p.value || (IsScalar(p.value) && fy_node_get_style(p.value) == FYNS_PLAIN &&
                       doc_.ScalarText(p.value).empty())) {
        if (required) Error(p.key_node, Join(path, key), "must not be empty");
        return nullptr;
      }
      return p.value;
    }
  }
  if (required) Error(map, Join(path, key), "required field missing");
  return nullptr;
}

std::optional<std::string> Fields::Scalar(fy_node* n, const std::string& path) {
  if (!IsScalar(n)) {
    Error(n, path, "expected a single value");
    return std::nullopt;
  }
  return doc_.ScalarText(n);
}

std::optional<std::string> Fields::String(fy_node* map, std::string_view key,
                                          const std::string& path, bool required) {
  fy_node* n = Get(map, key, path, required);
  if (!n) return std::nullopt;
  return Scalar(n, Join(path, key));
}

std::optional<long> Fields::Int(fy_node* map, std::string_view key, const std::string& path,
                                bool required, long min, long max) {
  fy_node* n = Get(map, key, path, required);
  if (!n) return std::nullopt;
  auto text = Scalar(n, Join(path, key));
  if (!text) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long v = std::strtol(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || errno != 0) {
    Error(n, Join(path, key), "expected a whole number, got '" + *text + "'");
    return std::nullopt;
  }
  if (v < min || v > max) {
    Error(n, Join(path, key),
          "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
              *text);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Fields::Bool(fy_node* map, std::string_view key, const std::string& path,
                                 bool required) {
  fy_node* n = Get(map, key, path, required);
  if (!n) return std::nullopt;
  auto text = Scalar(n, Join(path, key));
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  Error(n, Join(path, key), "expected true or false, got '" + *text + "'");
  return std::nullopt;
}

std::string Fields::Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Fields::Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

}  // namespace captain
