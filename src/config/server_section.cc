// server: listen, tick_seconds, max_body_bytes, public_reads, threads, timeout_seconds,
// failover_seconds, tokens;
// slack: the Web API, users, groups and webhooks; argocd: the notifications hook.
#include <libfyaml.h>

#include <algorithm>
#include <set>

#include "config/sections.h"

namespace captain {
namespace {

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

// Why `role` is not a role, or "".
std::string RoleProblem(const Config& c, const std::string& role) {
  if (role == "captain" || role == "viewer" || role == "ci") return "";
  if (role.rfind("team:", 0) == 0) {
    if (c.FindTeam(role.substr(5))) return "";
    return "names no team in `teams` ('" + role.substr(5) + "')";
  }
  return "'" + role + "' is not a role (captain, viewer, ci or team:<id>)";
}

void ReadToken(Fields& f, fy_node* item, const std::string& path, Config& c,
               std::set<std::string>& names, std::set<std::string>& hashes) {
  if (!f.ExpectMap(item, path)) return;
  f.CheckKeys(item, path, {"name", "sha256", "roles"});
  auto name = f.String(item, "name", path, true);
  auto hash = f.String(item, "sha256", path, true);
  fy_node* roles = f.Get(item, "roles", path, true);
  if (!name || !hash || !roles) return;
  if (name->empty() || !names.insert(*name).second) {
    f.Error(f.Get(item, "name", path, false), Fields::Join(path, "name"),
            name->empty() ? "must not be empty" : "duplicate token name '" + *name + "'");
    return;
  }
  if (!IsSha256Hex(*hash)) {
    f.Error(
        f.Get(item, "sha256", path, false), Fields::Join(path, "sha256"),
        "expected the token's SHA-256 as 64 lowercase hex digits (captain token new prints it)");
    return;
  }
  if (!hashes.insert(*hash).second) {
    f.Error(f.Get(item, "sha256", path, false), Fields::Join(path, "sha256"),
            "the same token is listed twice");
    return;
  }
  std::string roles_path = Fields::Join(path, "roles");
  if (!f.ExpectSeq(roles, roles_path)) return;
  ApiToken t{*name, *hash, {}};
  auto items = f.Items(roles);
  for (size_t i = 0; i < items.size(); ++i) {
    auto role = f.Scalar(items[i], Fields::Index(roles_path, i));
    if (!role) return;
    if (auto problem = RoleProblem(c, *role); !problem.empty()) {
      f.Error(items[i], Fields::Index(roles_path, i), problem);
      return;
    }
    t.roles.push_back(*role);
  }
  if (t.roles.empty()) {
    f.Error(roles, roles_path, "give at least one role");
    return;
  }
  c.server.tokens.push_back(std::move(t));
}

// slack.users / slack.groups: {ID: {name, roles}}, ids starting with one of `prefixes`.
void ReadPrincipals(Fields& f, fy_node* slack, const char* key, const std::string& prefixes,
                    const Config& c, std::vector<SlackPrincipal>& out) {
  std::string base = std::string("slack.") + key;
  fy_node* n = f.Get(slack, key, "slack", false);
  if (!n || !f.ExpectMap(n, base)) return;
  std::set<std::string> seen;
  for (const auto& p : f.Pairs(n)) {
    std::string path = Fields::Join(base, p.key);
    bool id_ok = p.key.size() >= 2 && prefixes.find(p.key[0]) != std::string::npos;
    for (char ch : p.key) id_ok = id_ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
    if (!id_ok) {
      f.Error(p.key_node, path,
              std::string("expected a Slack ") +
                  (prefixes == "S" ? "user-group id (S…)" : "user id (U… or W…)") + ", got '" +
                  p.key + "'");
      continue;
    }
    if (!seen.insert(p.key).second) {
      f.Error(p.key_node, path, "listed twice");
      continue;
    }
    if (!f.ExpectMap(p.value, path)) continue;
    f.CheckKeys(p.value, path, {"name", "roles"});
    SlackPrincipal who{p.key, p.key, {}};
    if (auto v = f.String(p.value, "name", path, false)) who.name = *v;
    fy_node* roles = f.Get(p.value, "roles", path, false);
    std::string roles_path = Fields::Join(path, "roles");
    if (roles && f.ExpectSeq(roles, roles_path)) {
      auto items = f.Items(roles);
      for (size_t i = 0; i < items.size(); ++i) {
        auto role = f.Scalar(items[i], Fields::Index(roles_path, i));
        if (!role) continue;
        if (auto problem = RoleProblem(c, *role); !problem.empty()) {
          f.Error(items[i], Fields::Index(roles_path, i), problem);
          continue;
        }
        who.roles.push_back(*role);
      }
    }
    out.push_back(std::move(who));
  }
}

}  // namespace

void ReadServerSection(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "server", "", false);
  if (!n || !f.ExpectMap(n, "server")) return;
  f.CheckKeys(n, "server",
              {"listen", "tick_seconds", "max_body_bytes", "public_reads", "threads",
               "timeout_seconds", "failover_seconds", "tokens"});
  ServerConfig& s = c.server;
  if (auto v = f.String(n, "listen", "server", false)) {
    auto colon = v->rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == v->size()) {
      f.Error(f.Get(n, "listen", "server", false), "server.listen",
              "expected HOST:PORT such as 127.0.0.1:8080, got '" + *v + "'");
    } else {
      s.listen = *v;
    }
  }
  if (auto v = f.Int(n, "tick_seconds", "server", false, 1, 3600)) s.tick_seconds = int(*v);
  if (auto v = f.Int(n, "max_body_bytes", "server", false, 1024, 64l << 20)) {
    s.max_body_bytes = size_t(*v);
  }
  if (auto v = f.Bool(n, "public_reads", "server", false)) s.public_reads = *v;
  if (auto v = f.Int(n, "threads", "server", false, 2, 256)) s.threads = int(*v);
  if (auto v = f.Int(n, "timeout_seconds", "server", false, 1, 3600)) s.timeout_seconds = int(*v);
  if (auto v = f.Int(n, "failover_seconds", "server", false, 3, 3600)) {
    s.failover_seconds = int(*v);
  }
  fy_node* tokens = f.Get(n, "tokens", "server", false);
  if (!tokens || !f.ExpectSeq(tokens, "server.tokens")) return;
  std::set<std::string> names, hashes;
  auto items = f.Items(tokens);
  for (size_t i = 0; i < items.size(); ++i) {
    ReadToken(f, items[i], Fields::Index("server.tokens", i), c, names, hashes);
  }
}

void ReadSlackSection(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "slack", "", false);
  if (!n || !f.ExpectMap(n, "slack")) return;
  f.CheckKeys(n, "slack",
              {"api_base", "bot_token_env", "bot_token_file", "timeout_seconds",
               "signing_secret_env", "users", "groups", "webhooks"});
  if (auto v = f.String(n, "signing_secret_env", "slack", false)) c.slack.signing_secret_env = *v;
  if (auto v = f.String(n, "api_base", "slack", false)) {
    if (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0) {
      f.Error(f.Get(n, "api_base", "slack", false), "slack.api_base",
              "expected a URL such as https://slack.com/api, got '" + *v + "'");
    } else {
      c.slack.api_base = v->back() == '/' ? v->substr(0, v->size() - 1) : *v;
    }
  }
  if (auto v = f.String(n, "bot_token_env", "slack", false)) c.slack.bot_token_env = *v;
  if (auto v = f.String(n, "bot_token_file", "slack", false)) c.slack.bot_token_file = *v;
  if (auto v = f.Int(n, "timeout_seconds", "slack", false, 1, 300)) {
    c.slack.timeout_seconds = static_cast<int>(*v);
  }
  ReadPrincipals(f, n, "users", "UW", c, c.slack.users);
  ReadPrincipals(f, n, "groups", "S", c, c.slack.groups);
  fy_node* hooks = f.Get(n, "webhooks", "slack", false);
  if (!hooks || !f.ExpectMap(hooks, "slack.webhooks")) return;
  for (const auto& p : f.Pairs(hooks)) {
    std::string path = Fields::Join("slack.webhooks", p.key);
    if (p.key.empty() || p.key[0] != '#') {
      f.Error(p.key_node, path, "expected a channel name such as '#team-alerts'");
      continue;
    }
    if (!f.ExpectMap(p.value, path)) continue;
    f.CheckKeys(p.value, path, {"url_env"});
    if (auto v = f.String(p.value, "url_env", path, true)) {
      c.slack.webhooks.emplace_back(p.key, *v);
    }
  }
}

}  // namespace captain

namespace captain {

void ReadRegistrySection(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "registry", "", false);
  if (!n || !f.ExpectMap(n, "registry")) return;
  f.CheckKeys(n, "registry",
              {"url", "hosts", "platform", "username", "password_env", "docker_config", "ca_file",
               "timeout_seconds", "max_in_flight"});
  RegistryConfig& r = c.registry;
  if (auto v = f.String(n, "url", "registry", true)) {
    if (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0) {
      f.Error(f.Get(n, "url", "registry", false), "registry.url",
              "expected https://host (or http://127.0.0.1:port for a loopback registry), got '" +
                  *v + "'");
    } else {
      r.url = *v;
    }
  }
  if (fy_node* hosts = f.Get(n, "hosts", "registry", false);
      hosts && f.ExpectSeq(hosts, "registry.hosts")) {
    auto items = f.Items(hosts);
    for (size_t i = 0; i < items.size(); ++i) {
      std::string field = Fields::Index("registry.hosts", i);
      auto v = f.Scalar(items[i], field);
      if (!v) continue;
      if (v->empty() || v->find_first_of("/ \t") != std::string::npos) {
        f.Error(items[i], field, "expected a registry host such as ghcr.io, got '" + *v + "'");
      } else {
        r.hosts.push_back(*v);
      }
    }
  }
  if (auto v = f.String(n, "platform", "registry", false)) {
    if (std::count(v->begin(), v->end(), '/') < 1) {
      f.Error(f.Get(n, "platform", "registry", false), "registry.platform",
              "expected os/architecture[/variant] such as linux/amd64, got '" + *v + "'");
    } else {
      r.platform = *v;
    }
  }
  if (auto v = f.String(n, "username", "registry", false)) r.username = *v;
  if (auto v = f.String(n, "password_env", "registry", false)) r.password_env = *v;
  if (auto v = f.String(n, "docker_config", "registry", false)) r.docker_config = *v;
  if (auto v = f.String(n, "ca_file", "registry", false)) r.ca_file = *v;
  if (auto v = f.Int(n, "timeout_seconds", "registry", false, 1, 600)) {
    r.timeout_seconds = static_cast<int>(*v);
  }
  if (auto v = f.Int(n, "max_in_flight", "registry", false, 1, 64)) {
    r.max_in_flight = static_cast<int>(*v);
  }
}

void ReadArgocdSection(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "argocd", "", false);
  if (!n || !f.ExpectMap(n, "argocd")) return;
  c.argocd.enabled = true;
  f.CheckKeys(n, "argocd", {"app_pattern", "webhook_secret_env", "verify_timeout_minutes"});
  if (auto v = f.String(n, "app_pattern", "argocd", false)) {
    if (v->find("{service}") == std::string::npos) {
      f.Error(f.Get(n, "app_pattern", "argocd", false), "argocd.app_pattern",
              "must contain {service} (and {env} unless one application serves every "
              "environment), got '" +
                  *v + "'");
    } else {
      c.argocd.app_pattern = *v;
    }
  }
  if (auto v = f.String(n, "webhook_secret_env", "argocd", false)) {
    c.argocd.webhook_secret_env = *v;
  }
  if (auto v = f.Int(n, "verify_timeout_minutes", "argocd", false, 1, 24 * 60)) {
    c.argocd.verify_timeout_minutes = static_cast<int>(*v);
  }
}

}  // namespace captain
