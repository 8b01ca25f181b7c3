#include "config/yaml_doc.h"

#include <libfyaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>

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

}  // namespace

void YamlDoc::Free::operator()(fy_document* d) const { fy_document_destroy(d); }

YamlDoc::YamlDoc(std::unique_ptr<fy_document, Free> doc, std::string name)
    : doc_(std::move(doc)), name_(std::move(name)) {}

Result<YamlDoc> YamlDoc::LoadFile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return UsageError(path + ": cannot open: " + std::strerror(errno));
  std::fclose(f);
  return Build(nullptr, path, path);
}

Result<YamlDoc> YamlDoc::LoadString(const std::string& text, const std::string& name) {
  return Build(&text, "", name);
}

Result<YamlDoc> YamlDoc::Build(const std::string* text, const std::string& path,
                               const std::string& name) {
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
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT |
                                              FYPCF_DEFAULT_VERSION_1_2);
  cfg.diag = diag.get();
  fy_document* raw = text ? fy_document_build_from_string(&cfg, text->data(), text->size())
                          : fy_document_build_from_file(&cfg, path.c_str());
  std::unique_ptr<fy_document, Free> doc(raw);
  if (!doc) return UsageError(FirstError(printed, name));
  return YamlDoc(std::move(doc), name);
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

std::string YamlDoc::Where(fy_node* node, Mark fallback) const {
  Mark m = MarkOf(node, fallback);
  return name_ + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

}  // namespace captain
