// In-place editing of one YAML scalar (an image tag in a GitOps repository): libfyaml finds the
// scalar's byte span and only those bytes are replaced; the document is never re-emitted, so
// comments, quoting, anchors, blank lines, CRLF and every other byte stay as they were.
//
// Documents: a `---` stream is searched in order and the key path applies to the first document
// where it exists; pass `document` (0-based) to pick one. All functions are pure (no file I/O).
//
// Refusals are UsageErrors "file:line:col: <key path>: <reason>" (1-based, columns in code
// points): a syntax error, a missing key (at the deepest parent that exists), an alias, a key
// that only a merge key (`<<`) could supply, a block scalar, an empty (null) value, a mapping or
// sequence, or a new value with a line break or a control character.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gitops/key_path.h"
#include "gitops/scalar_render.h"
#include "util/result.h"

namespace captain {

// Where an editable scalar sits in the text.
struct ScalarSpan {
  size_t begin = 0;  // byte offsets of the scalar's text, quotes excluded
  size_t end = 0;
  ScalarStyle style = ScalarStyle::kPlain;
  bool in_flow = false;  // inside a flow collection ({…} or […])
  size_t document = 0;   // 0-based index in the stream
  int line = 0;          // 1-based position of `begin`
  int column = 0;
  std::string value;  // the content, unquoted and unescaped
};

Result<ScalarSpan> LocateScalar(const std::string& text, const std::string& file_name,
                                std::string_view key_path,
                                std::optional<size_t> document = std::nullopt);

// The current value at `key_path`, unquoted and unescaped.
Result<std::string> GetScalar(const std::string& text, const std::string& file_name,
                              std::string_view key_path,
                              std::optional<size_t> document = std::nullopt);

// The whole text with the scalar at `key_path` replaced by `new_value`, rendered so that it reads
// back as that string (see RenderReplacement). Returns `text` unchanged when the scalar already
// holds `new_value` as a string.
Result<std::string> SetScalar(const std::string& text, const std::string& file_name,
                              std::string_view key_path, std::string_view new_value,
                              std::optional<size_t> document = std::nullopt);

struct ScalarEdit {
  std::string old_value;  // the value before, as GetScalar reads it
  std::string text;       // the whole text after, as SetScalar returns it
};

// SetScalar that also returns the value it replaced (one parse instead of two).
Result<ScalarEdit> EditScalar(const std::string& text, const std::string& file_name,
                              std::string_view key_path, std::string_view new_value,
                              std::optional<size_t> document = std::nullopt);

}  // namespace captain
