#include "gitops/yaml_edit.h"

#include <libfyaml.h>

#include <optional>
#include <vector>

#include "gitops/yaml_stream.h"
#include "util/yaml_quoted.h"

namespace captain {
namespace {

enum class Outcome { kFound, kMissing, kRefused };

struct Walk {
  Outcome outcome = Outcome::kMissing;
  fy_node* node = nullptr;  // the editable scalar when found
  bool in_flow = false;
  size_t depth = 0;  // segments matched; picks the most useful "missing" report
  Error error;
};

bool IsAlias(fy_node* node) { return node && fy_node_is_alias(node); }

// A scalar's text; single-quoted ones decoded from `text`, the stream its marks index
// (libfyaml 0.8 decodes runs of '' wrongly: util/yaml_quoted.h).
std::string ScalarText(fy_node* node, std::string_view text) {
  if (!IsAlias(node) && fy_node_get_style(node) == FYNS_SINGLE_QUOTED) {
    fy_token* tok = fy_node_get_scalar_token(node);
    const fy_mark* start = tok ? fy_token_start_mark(tok) : nullptr;
    const fy_mark* end = tok ? fy_token_end_mark(tok) : nullptr;
    if (start && end && start->input_pos <= end->input_pos && end->input_pos <= text.size()) {
      return UnquoteSingle(text.substr(start->input_pos, end->input_pos - start->input_pos));
    }
  }
  size_t len = 0;
  const char* s = fy_node_get_scalar(node, &len);
  return s ? std::string(s, len) : std::string();
}

fy_node_pair* FindKey(fy_node* mapping, const std::string& name, std::string_view text) {
  void* it = nullptr;
  while (fy_node_pair* pair = fy_node_mapping_iterate(mapping, &it)) {
    fy_node* key = fy_node_pair_key(pair);
    if (key && fy_node_get_type(key) == FYNT_SCALAR && !IsAlias(key) &&
        ScalarText(key, text) == name) {
      return pair;
    }
  }
  return nullptr;
}

// First scalar inside a node: libfyaml keeps no marks for collections.
fy_token* FirstToken(fy_node* node) {
  for (int depth = 0; node && depth < 64; ++depth) {
    if (fy_node_get_type(node) == FYNT_SCALAR) return fy_node_get_scalar_token(node);
    void* it = nullptr;
    if (fy_node_get_type(node) == FYNT_MAPPING) {
      fy_node_pair* pair = fy_node_mapping_iterate(node, &it);
      node = pair ? fy_node_pair_key(pair) : nullptr;
    } else {
      node = fy_node_sequence_iterate(node, &it);
    }
  }
  return nullptr;
}

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";

// The node's explicit tag, resolved (`!!str` reads tag:yaml.org,2002:str); empty when none.
std::string TagOf(fy_node* node) {
  size_t len = 0;
  const char* tag = fy_node_get_tag(node, &len);
  return tag ? std::string(tag, len) : std::string();
}

ScalarStyle StyleOf(fy_node* node) {
  switch (fy_node_get_style(node)) {
    case FYNS_SINGLE_QUOTED:
      return ScalarStyle::kSingleQuoted;
    case FYNS_DOUBLE_QUOTED:
      return ScalarStyle::kDoubleQuoted;
    default:
      return ScalarStyle::kPlain;
  }
}

// Walks a key path through one document and reports where and why it stops.
class PathWalker {
 public:
  PathWalker(const std::string& text, const std::string& file_name, std::string_view key_path,
             const std::vector<std::string>& segments)
      : text_(text), file_(file_name), key_path_(key_path), segments_(segments) {}

  Walk Run(fy_node* root) const;
  Error At(Mark m, const std::string& reason) const {
    return UsageError(file_ + ":" + std::to_string(m.line) + ":" + std::to_string(m.column) + ": " +
                      std::string(key_path_) + ": " + reason);
  }

 private:
  // Where the walk stands: a node, the key that led to it (null for the root and sequence
  // items), and the position reported when the next segment is missing.
  struct Here {
    fy_node* node;
    fy_node* key;
    Mark parent;
  };
  // Each moves `h` one segment down, or returns the Walk that stops there.
  std::optional<Walk> Descend(Here& h, size_t i, Walk& w) const;
  std::optional<Walk> IntoMapping(Here& h, size_t i, const std::string& name, Walk& w) const;
  std::optional<Walk> IntoSequence(Here& h, size_t i, const std::string& name, Walk& w) const;
  Mark NodeMark(fy_node* node, fy_node* key, Mark fallback) const;
  Walk Missing(Walk w, Mark at, const std::string& reason) const;
  Walk Refused(Walk w, Mark at, const std::string& reason) const;
  Walk CheckTarget(Walk w, fy_node* node, fy_node* key, Mark parent) const;
  std::string Quoted(size_t count) const { return "'" + FormatKeyPath(segments_, count) + "'"; }

  const std::string& text_;
  const std::string& file_;
  std::string_view key_path_;
  const std::vector<std::string>& segments_;
};

// Where a node starts: after its key's `:` in a mapping; its own token or first scalar otherwise.
Mark PathWalker::NodeMark(fy_node* node, fy_node* key, Mark fallback) const {
  if (key) {
    size_t pos = ValueStart(text_, key);
    if (pos != std::string_view::npos) return PositionAt(text_, pos);
  }
  fy_token* token = FirstToken(node);
  if (!token) return fallback;
  Mark m = TokenMark(token);
  if (IsAlias(node) && m.column > 1) --m.column;  // point at the `*`
  return m;
}

Walk PathWalker::Missing(Walk w, Mark at, const std::string& reason) const {
  w.outcome = Outcome::kMissing;
  w.error = At(at, reason);
  return w;
}

Walk PathWalker::Refused(Walk w, Mark at, const std::string& reason) const {
  w.outcome = Outcome::kRefused;
  w.error = At(at, reason);
  return w;
}

Walk PathWalker::CheckTarget(Walk w, fy_node* node, fy_node* key, Mark parent) const {
  if (!node || (fy_node_get_type(node) == FYNT_SCALAR && !fy_node_get_scalar_token(node))) {
    return Refused(w, parent, "the value is empty (null); there is no scalar to replace");
  }
  Mark at = NodeMark(node, key, parent);
  if (IsAlias(node)) {
    return Refused(w, at,
                   "the value is an alias (*" + ScalarText(node, text_) +
                       "); refusing to edit through it, edit the anchored value instead");
  }
  switch (fy_node_get_type(node)) {
    case FYNT_MAPPING:
      return Refused(w, at, "the value is a mapping, not a scalar");
    case FYNT_SEQUENCE:
      return Refused(w, at, "the value is a sequence, not a scalar");
    case FYNT_SCALAR:
      break;
  }
  enum fy_node_style style = fy_node_get_style(node);
  if (style == FYNS_LITERAL || style == FYNS_FOLDED) {
    return Refused(w, at, "the value is a block scalar (| or >); refusing to edit it");
  }
  if (std::string tag = TagOf(node); !tag.empty() && tag != "!" && tag != kStrTag) {
    return Refused(w, at, "the value is tagged " + tag + ", not as a string; refusing to edit it");
  }
  w.outcome = Outcome::kFound;
  w.node = node;
  return w;
}

std::optional<Walk> PathWalker::Descend(Here& h, size_t i, Walk& w) const {
  std::string name = i == 0 ? std::string("the document") : Quoted(i);
  if (IsAlias(h.node)) {
    return Refused(w, NodeMark(h.node, h.key, h.parent),
                   name + " is an alias (*" + ScalarText(h.node, text_) +
                       "); refusing to edit through it, edit the anchored value instead");
  }
  if (!h.node || (fy_node_get_type(h.node) == FYNT_SCALAR && !fy_node_get_scalar_token(h.node))) {
    return Missing(w, h.parent, name + " is empty");
  }
  w.in_flow = w.in_flow || fy_node_get_style(h.node) == FYNS_FLOW;
  bool seq = fy_node_get_type(h.node) == FYNT_SEQUENCE;
  if (fy_node_get_type(h.node) == FYNT_MAPPING) return IntoMapping(h, i, name, w);
  if (seq && IsIndexSegment(segments_[i])) return IntoSequence(h, i, name, w);
  return Missing(w, h.parent,
                 name + (seq ? " is a sequence; '" + segments_[i] + "' is not an index"
                             : " is a scalar, not a mapping"));
}

std::optional<Walk> PathWalker::IntoMapping(Here& h, size_t i, const std::string& name,
                                            Walk& w) const {
  const std::string& seg = segments_[i];
  fy_node_pair* pair = FindKey(h.node, seg, text_);
  if (pair) {
    h = {fy_node_pair_value(pair), fy_node_pair_key(pair), {}};
    h.parent = TokenMark(fy_node_get_scalar_token(h.key));
    return std::nullopt;
  }
  if (fy_node_pair* merge = FindKey(h.node, "<<", text_)) {
    return Refused(w, TokenMark(fy_node_get_scalar_token(fy_node_pair_key(merge))),
                   "key '" + seg + "' is not set in " + name +
                       ", which has a merge key (<<); refusing to edit a merged value, "
                       "edit the anchored mapping instead");
  }
  return Missing(w, h.parent, "key '" + seg + "' not found in " + name);
}

std::optional<Walk> PathWalker::IntoSequence(Here& h, size_t i, const std::string& name,
                                             Walk& w) const {
  const std::string& seg = segments_[i];
  int count = fy_node_sequence_item_count(h.node);
  int index = seg.size() > 9 ? count : std::stoi(seg);
  if (index >= count) {
    return Missing(w, h.parent,
                   "index " + seg + " is out of range (" + name + " has " + std::to_string(count) +
                       (count == 1 ? " item)" : " items)"));
  }
  fy_node* item = fy_node_sequence_get_by_index(h.node, index);
  h = {item, nullptr, NodeMark(item, nullptr, h.parent)};
  return std::nullopt;
}

Walk PathWalker::Run(fy_node* root) const {
  Walk w;
  Here h{root, nullptr, NodeMark(root, nullptr, {1, 1})};
  if (!root) return Missing(w, h.parent, "the document is empty");
  for (size_t i = 0; i < segments_.size(); ++i, ++w.depth) {
    if (std::optional<Walk> stop = Descend(h, i, w)) return std::move(*stop);
  }
  return CheckTarget(w, h.node, h.key, h.parent);
}

Result<ScalarSpan> SpanOf(const Walk& w, size_t document, std::string_view text) {
  if (w.outcome != Outcome::kFound) return w.error;
  fy_token* token = fy_node_get_scalar_token(w.node);
  ScalarSpan span;
  span.begin = fy_token_start_mark(token)->input_pos;
  span.end = fy_token_end_mark(token)->input_pos;
  span.style = StyleOf(w.node);
  span.in_flow = w.in_flow;
  span.document = document;
  Mark m = TokenMark(token);
  span.line = m.line;
  span.column = m.column;
  span.value = ScalarText(w.node, text);
  return span;
}

}  // namespace

Result<ScalarSpan> LocateScalar(const std::string& text, const std::string& file_name,
                                std::string_view key_path, std::optional<size_t> document) {
  auto segments = ParseKeyPath(key_path);
  if (!segments) return segments.error();
  auto stream = YamlStream::Parse(text, file_name, key_path);
  if (!stream) return stream.error();
  PathWalker walker(text, file_name, key_path, *segments);
  if (document) {
    if (*document >= stream->size()) {
      return walker.At({1, 1}, "document " + std::to_string(*document) +
                                   " does not exist (the file has " +
                                   std::to_string(stream->size()) + ", counted from 0)");
    }
    return SpanOf(walker.Run(stream->root(*document)), *document, text);
  }
  std::optional<Walk> deepest;
  for (size_t d = 0; d < stream->size(); ++d) {
    Walk w = walker.Run(stream->root(d));
    if (w.outcome != Outcome::kMissing) return SpanOf(w, d, text);
    if (!deepest || w.depth > deepest->depth) deepest = std::move(w);
  }
  if (!deepest) return walker.At({1, 1}, "the file has no YAML document");
  return deepest->error;
}

Result<std::string> GetScalar(const std::string& text, const std::string& file_name,
                              std::string_view key_path, std::optional<size_t> document) {
  auto span = LocateScalar(text, file_name, key_path, document);
  if (!span) return span.error();
  return std::move(span->value);
}

Result<ScalarEdit> EditScalar(const std::string& text, const std::string& file_name,
                              std::string_view key_path, std::string_view new_value,
                              std::optional<size_t> document) {
  auto span = LocateScalar(text, file_name, key_path, document);
  if (!span) return span.error();
  if (Status ok = CheckScalarValue(new_value); !ok) {
    return UsageError(file_name + ":" + std::to_string(span->line) + ":" +
                      std::to_string(span->column) + ": " + std::string(key_path) + ": " +
                      ok.error().message);
  }
  if (span->value == new_value &&
      (span->style != ScalarStyle::kPlain || !NeedsQuotes(new_value, span->in_flow))) {
    return ScalarEdit{std::move(span->value), text};
  }
  std::string out = text.substr(0, span->begin) +
                    RenderReplacement(new_value, span->style, span->in_flow) +
                    text.substr(span->end);
  // A bug here would corrupt a deployment repository; read the result back before returning it.
  auto check = LocateScalar(out, file_name, key_path, span->document);
  if (!check || check->value != new_value) {
    return OtherError(file_name + ": " + std::string(key_path) +
                      ": internal error: the edited text does not read back as the new value");
  }
  return ScalarEdit{std::move(span->value), std::move(out)};
}

Result<std::string> SetScalar(const std::string& text, const std::string& file_name,
                              std::string_view key_path, std::string_view new_value,
                              std::optional<size_t> document) {
  auto edit = EditScalar(text, file_name, key_path, new_value, document);
  if (!edit) return edit.error();
  return std::move(edit->text);
}

}  // namespace captain
