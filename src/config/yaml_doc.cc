#include "config/yaml_doc.h"

#include <libfyaml.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "util/text.h"
#include "util/yaml_quoted.h"

namespace captain {
namespace {

struct DiagFree {
  void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};

// libfyaml prints "<input>:LINE:COL: error: MESSAGE" through the output callback.
void Capture(fy_diag*, void* user, const char* buf, size_t len) {
  static_cast<std::string*>(user)->append(buf, len);
}

// "name:line:col: message" from the first error libfyaml printed.
std::string FirstError(const std::string& printed, const std::string& name) {
  static const std::regex kError(R"(:(\d+):(\d+): error: ([^\n]*))");
  std::smatch m;
  if (std::regex_search(printed, m, kError)) {
    return name + ":" + m[1].str() + ":" + m[2].str() + ": " + m[3].str();
  }
  return name + ": not valid YAML";
}

constexpr size_t kMaxBytes = 1 << 20;  // a configuration is a few kilobytes
constexpr size_t kMaxNodes = 200000;   // after aliases are expanded
constexpr int kMaxDepth = 128;

// The node count of `node` with every alias expanded, memoized per node, stopping once past
// the limit; `problem` says why when it is too large, too deep or cyclic.
struct ExpansionCounter {
  std::unordered_map<fy_node*, size_t> done;
  std::unordered_set<fy_node*> active;
  std::string problem;
  fy_node* at = nullptr;

  size_t Count(fy_node* node, int depth) {
    if (!node || !problem.empty()) return 0;
    if (depth > kMaxDepth) return Fail(node, "nested deeper than " + std::to_string(kMaxDepth));
    if (auto it = done.find(node); it != done.end()) return it->second;
    if (!active.insert(node).second) return Fail(node, "an alias refers to itself");
    size_t n = 1;
    if (fy_node_is_alias(node)) {
      fy_node* target = fy_node_resolve_alias(node);
      if (!target) return Fail(node, "an alias names no anchor");
      n = Count(target, depth + 1);
    } else if (fy_node_is_sequence(node)) {
      void* iter = nullptr;
      while (fy_node* item = fy_node_sequence_iterate(node, &iter)) n += Count(item, depth + 1);
    } else if (fy_node_is_mapping(node)) {
      void* iter = nullptr;
      while (fy_node_pair* pair = fy_node_mapping_iterate(node, &iter)) {
        n += Count(fy_node_pair_key(pair), depth + 1) + Count(fy_node_pair_value(pair), depth + 1);
      }
    }
    active.erase(node);
    if (n > kMaxNodes)
      return Fail(node, "aliases expand it to more than " + std::to_string(kMaxNodes) + " nodes");
    done[node] = n;
    return n;
  }
  size_t Fail(fy_node* node, std::string why) {
    if (problem.empty()) {
      problem = std::move(why);
      at = node;
    }
    return kMaxNodes + 1;
  }
};

}  // namespace

Status CheckYamlInput(const std::string& text, const std::string& name) {
  if (auto bad = FirstBadByte(text)) {
    return UsageError(name + ":" + std::to_string(bad->first) + ":" + std::to_string(bad->second) +
                      ": not UTF-8 text (or a NUL byte); YAML files must be UTF-8");
  }
  size_t line = 1;
  for (size_t start = 0; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    std::string_view l(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    if (!l.empty() && l.front() == '%' && l.rfind("%YAML ", 0) != 0 && l.rfind("%TAG ", 0) != 0) {
      return UsageError(name + ":" + std::to_string(line) +
                        ":1: unsupported directive (only %YAML and %TAG)");
    }
    // libfyaml 0.8 crashes cleaning up after some explicit-key lines ("? key :<TAB>:").
    size_t k = l.find_first_not_of(" ");
    while (k != std::string_view::npos && l.compare(k, 2, "- ") == 0)
      k = l.find_first_not_of(" ", k + 2);
    if (k != std::string_view::npos && l[k] == '?' &&
        (k + 1 == l.size() || l[k + 1] == ' ' || l[k + 1] == '\t') &&
        l.find('\t') != std::string_view::npos) {
      return UsageError(name + ":" + std::to_string(line) + ":" + std::to_string(k + 1) +
                        ": a tab on an explicit key ('? ') line is not supported");
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

void YamlDoc::Free::operator()(fy_document* d) const { fy_document_destroy(d); }

YamlDoc::YamlDoc(std::unique_ptr<fy_document, Free> doc, std::string name, std::string text)
    : doc_(std::move(doc)), name_(std::move(name)), text_(std::move(text)) {}

Result<YamlDoc> YamlDoc::LoadFile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return UsageError(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buf[65536];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0 && text.size() <= kMaxBytes) {
    text.append(buf, got);
  }
  std::fclose(f);
  return Build(&text, path, path);
}

Result<YamlDoc> YamlDoc::LoadString(const std::string& text, const std::string& name) {
  return Build(&text, "", name);
}

Result<YamlDoc> YamlDoc::Build(const std::string* text, const std::string& /*path*/,
                               const std::string& name) {
  if (text->size() > kMaxBytes) {
    return UsageError(name + ": larger than " + std::to_string(kMaxBytes >> 10) +
                      " KiB; not a captain configuration");
  }
  if (Status st = CheckYamlInput(*text, name); !st) return st.error();
  fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = nullptr;
  std::string printed;
  dcfg.output_fn = Capture;
  dcfg.user = &printed;
  dcfg.show_position = true;
  dcfg.colorize = false;
  std::unique_ptr<fy_diag, DiagFree> diag(fy_diag_create(&dcfg));
  if (!diag) return OtherError("cannot create the YAML diagnostics");
  fy_parse_cfg cfg{};
  // Aliases are expanded only after their cost is known (a few hundred bytes of nested
  // aliases can stand for billions of nodes).
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2);
  cfg.diag = diag.get();
  // libfyaml keeps pointing into its input: hand it a copy it owns and frees.
  char* owned = static_cast<char*>(std::malloc(text->size() + 1));
  if (!owned) return OtherError(name + ": out of memory");
  std::memcpy(owned, text->data(), text->size());
  owned[text->size()] = '\0';
  std::unique_ptr<fy_document, Free> doc(
      fy_document_build_from_malloc_string(&cfg, owned, text->size()));
  if (!doc) return UsageError(FirstError(printed, name));
  YamlDoc out(std::move(doc), name, *text);
  ExpansionCounter counter;
  counter.Count(fy_document_root(out.doc_.get()), 0);
  if (!counter.problem.empty()) {
    Mark m = out.MarkOf(counter.at, {1, 1});
    return UsageError(name + ":" + std::to_string(m.line) + ":" + std::to_string(m.column) + ": " +
                      counter.problem);
  }
  if (fy_document_resolve(out.doc_.get()) != 0) return UsageError(FirstError(printed, name));
  return out;
}

fy_node* YamlDoc::root() const { return fy_document_root(doc_.get()); }

Mark YamlDoc::MarkOf(fy_node* node, Mark fallback) const {
  for (int depth = 0; node && depth < 64; ++depth) {
    switch (fy_node_get_type(node)) {
      case FYNT_SCALAR: {
        fy_token* tok = fy_node_get_scalar_token(node);
        if (!tok) return fallback;
        const fy_mark* m = fy_token_start_mark(tok);
        if (!m) return fallback;
        return {m->line + 1, m->column + 1};
      }
      case FYNT_MAPPING: {
        void* it = nullptr;
        fy_node_pair* pair = fy_node_mapping_iterate(node, &it);
        node = pair ? fy_node_pair_key(pair) : nullptr;
        break;
      }
      case FYNT_SEQUENCE: {
        void* it = nullptr;
        node = fy_node_sequence_iterate(node, &it);
        break;
      }
    }
  }
  return fallback;
}

std::string YamlDoc::ScalarText(fy_node* node) const {
  if (fy_node_get_style(node) == FYNS_SINGLE_QUOTED) {
    fy_token* tok = fy_node_get_scalar_token(node);
    const fy_mark* start = tok ? fy_token_start_mark(tok) : nullptr;
    const fy_mark* end = tok ? fy_token_end_mark(tok) : nullptr;
    if (start && end && start->input_pos <= end->input_pos && end->input_pos <= text_.size()) {
      return UnquoteSingle(
          std::string_view(text_).substr(start->input_pos, end->input_pos - start->input_pos));
    }
  }
  size_t len = 0;
  const char* text = fy_node_get_scalar(node, &len);
  return std::string(text ? text : "", len);
}

std::string YamlDoc::Where(fy_node* node, Mark fallback) const {
  Mark m = MarkOf(node, fallback);
  return name_ + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

}  // namespace captain
