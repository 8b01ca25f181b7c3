#include "config/loader.h"

#include <libfyaml.h>

#include "config/sections.h"

namespace captain {
namespace {

Result<Config> FromDoc(const YamlDoc& doc) {
  Fields f(doc);
  fy_node* root = doc.root();
  if (!f.IsMap(root)) {
    return UsageError(doc.Where(root) + ": the configuration must be a mapping of sections");
  }
  f.CheckKeys(
      root, "",
      {"timezone", "sprint",       "milestones", "holidays", "freezes", "signature", "images",
       "channels", "environments", "teams",      "services", "gitops",  "source",    "database",
       "store",    "state_dir",    "server",     "oncall",   "slack",   "argocd",    "registry"});
  Config c;
  c.source = doc.name();
  auto slash = c.source.rfind('/');
  c.base_dir = slash == std::string::npos ? "." : c.source.substr(0, slash);
  if (c.base_dir.empty()) c.base_dir = "/";
  ReadCalendarSections(f, root, c);
  ReadCatalogSections(f, root, c);
  ReadServerSection(f, root, c);
  ReadOncallSection(f, root, c);
  ReadSlackSection(f, root, c);
  ReadArgocdSection(f, root, c);
  ReadRegistrySection(f, root, c);
  if (fy_node* src = f.Get(root, "source", "", false); src && f.ExpectMap(src, "source")) {
    f.CheckKeys(src, "source", {"repo", "branch"});
    if (auto v = f.String(src, "repo", "source", true)) c.source_repo.repo = *v;
    if (auto v = f.String(src, "branch", "source", false)) c.source_repo.branch = *v;
  }
  if (auto db = f.String(root, "database", "", false)) c.database = *db;
  // `store: postgresql://…` names the same thing; given both, they must agree.
  if (auto db = f.String(root, "store", "", false)) {
    if (f.Get(root, "database", "", false) && *db != c.database) {
      f.Error(f.Get(root, "store", "", false), "store",
              "store: and database: name different databases; keep one");
    }
    c.database = *db;
  }
  if (auto sd = f.String(root, "state_dir", "", false)) c.state_dir = *sd;
  if (!f.errors().empty()) {
    std::string all;
    for (const auto& e : f.errors()) all += (all.empty() ? "" : "\n") + e;
    return UsageError(all);
  }
  c.IndexServices();
  return c;
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  auto doc = YamlDoc::LoadFile(path);
  if (!doc) return doc.error();
  return FromDoc(*doc);
}

Result<Config> LoadConfigString(const std::string& text, const std::string& name) {
  auto doc = YamlDoc::LoadString(text, name);
  if (!doc) return doc.error();
  return FromDoc(*doc);
}

}  // namespace captain
