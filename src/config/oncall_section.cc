// oncall: engineers, first_sprint, assignments, admins, captains_only.
#include <libfyaml.h>

#include "config/sections.h"

namespace captain {
namespace {

std::vector<std::string> Names(Fields& f, fy_node* map, std::string_view key,
                               const std::string& path) {
  std::vector<std::string> out;
  fy_node* n = f.Get(map, key, path, false);
  std::string here = Fields::Join(path, key);
  if (!n || !f.ExpectSeq(n, here)) return out;
  auto items = f.Items(n);
  for (size_t i = 0; i < items.size(); ++i) {
    auto name = f.Scalar(items[i], Fields::Index(here, i));
    if (!name) continue;
    if (name->empty()) {
      f.Error(items[i], Fields::Index(here, i), "must not be empty");
      continue;
    }
    out.push_back(*name);
  }
  return out;
}

}  // namespace

void ReadOncallSection(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "oncall", "", false);
  if (!n || !f.ExpectMap(n, "oncall")) return;
  f.CheckKeys(n, "oncall", {"engineers", "first_sprint", "assignments", "admins", "captains_only"});
  OncallRules& o = c.oncall;
  o.engineers = Names(f, n, "engineers", "oncall");
  o.admins = Names(f, n, "admins", "oncall");
  o.first_sprint = DateField(f, n, "first_sprint", "oncall", false);
  if (auto v = f.Bool(n, "captains_only", "oncall", false)) o.captains_only = *v;
  fy_node* list = f.Get(n, "assignments", "oncall", false);
  if (!list || !f.ExpectSeq(list, "oncall.assignments")) return;
  auto items = f.Items(list);
  for (size_t i = 0; i < items.size(); ++i) {
    std::string path = Fields::Index("oncall.assignments", i);
    if (!f.ExpectMap(items[i], path)) continue;
    f.CheckKeys(items[i], path, {"release_day", "primary", "secondary"});
    auto day = DateField(f, items[i], "release_day", path, true);
    auto primary = f.String(items[i], "primary", path, true);
    auto secondary = f.String(items[i], "secondary", path, false);
    if (!day || !primary) continue;
    o.assignments.push_back({*day, *primary, secondary.value_or("")});
  }
}

}  // namespace captain
