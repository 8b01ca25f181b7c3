// Test helper: the bodies the shipped argocd-notifications templates
// (deploy/argocd/argocd-notifications-cm.yaml) produce for an Application, rendered the way
// argocd-notifications does for the constructs they use: {{.path.to.field}} (a missing field
// renders as "<no value>", as Go templates do) and {{.path | toJson}} (null when missing). Any
// other construct fails the test, so the templates cannot grow one the tests do not render.
#pragma once

#include <gtest/gtest.h>
#include <libfyaml.h>

#include <nlohmann/json.hpp>
#include <string>

#include "config/yaml_doc.h"

namespace captain::testing {

// The Application as ArgoCD's API shows it, with what the templates read.
inline nlohmann::json ArgoApp(const std::string& name, const std::string& sync,
                              const std::string& health, const std::string& revision,
                              const std::string& phase, const std::string& message) {
  nlohmann::json app = {
      {"metadata", {{"name", name}, {"namespace", "argocd"}}},
      {"spec", {{"source", {{"repoURL", "https://git.example/vro-gitops.git"}}}}},
      {"status",
       {{"sync", {{"status", sync}, {"revision", revision}}}, {"health", {{"status", health}}}}}};
  if (!phase.empty()) {
    app["status"]["operationState"] = {
        {"phase", phase}, {"message", message}, {"syncResult", {{"revision", revision}}}};
  }
  if (health == "Degraded") app["status"]["health"]["message"] = message;
  return app;
}

inline const nlohmann::json* Lookup(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* at = &root;
  size_t pos = 1;  // after the leading '.'
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return at;
}

// The body template `template_name` (e.g. "captain-sync-failed") sends for `app`.
inline std::string RenderArgoTemplate(const std::string& template_name, const nlohmann::json& app) {
  auto cm = YamlDoc::LoadFile(std::string(CAPTAIN_SOURCE_DIR) +
                              "/deploy/argocd/argocd-notifications-cm.yaml");
  EXPECT_TRUE(cm.ok());
  if (!cm.ok()) return "";
  fy_node* data = fy_node_by_path(cm->root(), "/data", FY_NT, FYNWF_DONT_FOLLOW);
  fy_node* tmpl =
      data ? fy_node_mapping_lookup_by_string(data, ("template." + template_name).c_str(), FY_NT)
           : nullptr;
  EXPECT_NE(tmpl, nullptr) << template_name;
  if (!tmpl) return "";
  auto inner = YamlDoc::LoadString(cm->ScalarText(tmpl), template_name);
  EXPECT_TRUE(inner.ok());
  if (!inner.ok()) return "";
  fy_node* body = fy_node_by_path(inner->root(), "/webhook/captain/body", FY_NT, FYNWF_DONT_FOLLOW);
  EXPECT_NE(body, nullptr);
  if (!body) return "";
  std::string text = inner->ScalarText(body), out;
  nlohmann::json context = {{"app", app}};
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    out += text.substr(pos, open == std::string::npos ? std::string::npos : open - pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open);
    std::string expr = text.substr(open + 2, close - open - 2);
    while (!expr.empty() && expr.front() == ' ') expr.erase(0, 1);
    while (!expr.empty() && expr.back() == ' ') expr.pop_back();
    bool to_json = false;
    if (auto bar = expr.find('|'); bar != std::string::npos) {
      std::string fn = expr.substr(bar + 1);
      fn.erase(0, fn.find_first_not_of(' '));
      EXPECT_EQ(fn, "toJson") << "a construct the test does not render: " << expr;
      to_json = true;
      expr = expr.substr(0, bar);
      while (!expr.empty() && expr.back() == ' ') expr.pop_back();
    }
    EXPECT_EQ(expr.rfind(".", 0), 0u) << "a construct the test does not render: " << expr;
    const nlohmann::json* v = Lookup(context, expr);
    if (to_json) {
      out += v ? v->dump() : "null";
    } else {
      out += !v ? "<no value>" : v->is_string() ? v->get<std::string>() : v->dump();
    }
    pos = close + 2;
  }
  return out;
}

}  // namespace captain::testing
