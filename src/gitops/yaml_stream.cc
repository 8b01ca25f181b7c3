#include "gitops/yaml_stream.h"

#include <libfyaml.h>

#include <vector>

namespace captain {
namespace {

void Silent(fy_diag*, void*, const char*, size_t) {}

struct DiagFree {
  void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};
struct ParserFree {
  void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};

std::unique_ptr<fy_diag, DiagFree> CollectingDiag() {
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  dcfg.output_fn = Silent;
  dcfg.colorize = false;
  std::unique_ptr<fy_diag, DiagFree> diag(fy_diag_create(&dcfg));
  // Without this libfyaml prints errors instead of keeping them for fy_diag_errors_iterate.
  if (diag) fy_diag_set_collect_errors(diag.get(), true);
  return diag;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && IsSpace(text[pos])) ++pos;
  return pos;
}

// Skips blanks, line breaks, comments and node properties.
size_t SkipToContent(std::string_view text, size_t pos) {
  while (true) {
    pos = SkipSpaces(text, pos);
    if (pos >= text.size()) return pos;
    char c = text[pos];
    if (c == '#') {
      while (pos < text.size() && text[pos] != '\n') ++pos;
    } else if (c == '&' || c == '!') {
      while (pos < text.size() && !IsSpace(text[pos])) ++pos;
    } else {
      return pos;
    }
  }
}

}  // namespace

struct YamlStream::Impl {
  std::unique_ptr<fy_diag, DiagFree> diag;
  std::unique_ptr<fy_parser, ParserFree> parser;
  std::vector<fy_document*> docs;

  ~Impl() {
    for (fy_document* d : docs) fy_parse_document_destroy(parser.get(), d);
  }
};

YamlStream::YamlStream(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
YamlStream::YamlStream(YamlStream&&) noexcept = default;
YamlStream& YamlStream::operator=(YamlStream&&) noexcept = default;
YamlStream::~YamlStream() = default;

Result<YamlStream> YamlStream::Parse(const std::string& text, const std::string& name,
                                     std::string_view subject) {
  if (text.size() > kMaxGitopsFileBytes) {
    return UsageError(name + ": larger than " + std::to_string(kMaxGitopsFileBytes >> 20) +
                      " MiB; not a values file captain edits");
  }
  if (Status st = CheckYamlInput(text, name); !st) {
    return UsageError(st.error().message + " (" + std::string(subject) + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->diag = CollectingDiag();
  if (!impl->diag) return OtherError("cannot create the YAML diagnostics");
  fy_parse_cfg cfg{};
  cfg.flags =
      static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DEFAULT_VERSION_1_2);
  cfg.diag = impl->diag.get();
  impl->parser.reset(fy_parser_create(&cfg));
  if (!impl->parser || fy_parser_set_string(impl->parser.get(), text.data(), text.size()) != 0) {
    return OtherError("cannot create the YAML parser");
  }
  while (fy_document* doc = fy_parse_load_document(impl->parser.get())) {
    impl->docs.push_back(doc);
  }
  if (!fy_parser_get_stream_error(impl->parser.get())) return YamlStream(std::move(impl));
  Mark at{1, 1};
  std::string msg = "not valid YAML";
  void* it = nullptr;
  if (fy_diag_error* e = fy_diag_errors_iterate(impl->diag.get(), &it)) {
    at = {e->line, e->column};  // libfyaml's collected errors are already 1-based
    if (e->msg) msg += std::string(": ") + e->msg;
  }
  return UsageError(name + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                    std::string(subject) + ": " + msg);
}

size_t YamlStream::size() const { return impl_->docs.size(); }

fy_node* YamlStream::root(size_t document) const {
  return fy_document_root(impl_->docs.at(document));
}

Mark PositionAt(std::string_view text, size_t pos) {
  Mark m{1, 1};
  size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  for (size_t i = start; i < pos && i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u == '\n') {
      ++m.line;
      m.column = 1;
    } else if (u != '\r' && (u & 0xc0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

Mark TokenMark(fy_token* token) {
  const fy_mark* m = token ? fy_token_start_mark(token) : nullptr;
  if (!m) return {1, 1};
  return {m->line + 1, m->column + 1};
}

size_t ValueStart(std::string_view text, fy_node* key) {
  fy_token* token = fy_node_get_scalar_token(key);
  const fy_mark* end = token ? fy_token_end_mark(token) : nullptr;
  if (!end) return std::string_view::npos;
  size_t pos = end->input_pos;
  enum fy_node_style style = fy_node_get_style(key);
  if (style == FYNS_SINGLE_QUOTED || style == FYNS_DOUBLE_QUOTED) ++pos;
  pos = SkipSpaces(text, pos);
  if (pos >= text.size() || text[pos] != ':') return std::string_view::npos;
  pos = SkipToContent(text, pos + 1);
  return pos < text.size() ? pos : std::string_view::npos;
}

}  // namespace captain
