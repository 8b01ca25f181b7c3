#include "config/config.h"

namespace captain {
namespace {

std::string Expand(std::string text, const std::string& service, const std::string& env) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) {
      text.replace(pos, from.size(), to);
    }
  };
  replace("{service}", service);
  replace("{env}", env);
  return text;
}

template <typename T>
const T* FindByName(const std::vector<T>& items, const std::string& name) {
  for (const auto& i : items) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

}  // namespace

std::string_view TierName(Tier t) { return t == Tier::kLower ? "lower" : "higher"; }

const SlackPrincipal* SlackConfig::FindUser(const std::string& id) const {
  for (const auto& u : users) {
    if (u.id == id) return &u;
  }
  return nullptr;
}

std::string SlackConfig::WebhookEnv(const std::string& channel) const {
  for (const auto& [name, env] : webhooks) {
    if (name == channel) return env;
  }
  return "";
}

const Team* Config::FindTeam(const std::string& name) const { return FindByName(teams, name); }
const Service* Config::FindService(const std::string& name) const {
  if (service_index.size() != services.size()) return FindByName(services, name);
  auto it = service_index.find(name);
  return it == service_index.end() ? nullptr : &services[it->second];
}

void Config::IndexServices() {
  service_index.clear();
  for (size_t i = 0; i < services.size(); ++i) service_index.emplace(services[i].name, i);
  argocd_apps.clear();
  for (const auto& s : services) {
    for (const auto& e : environments) {
      std::string name = argocd.app_pattern;
      for (const auto& [key, value] :
           {std::pair<std::string, std::string>{"{service}", s.name}, {"{env}", e.name}}) {
        for (size_t at = name.find(key); at != std::string::npos; at = name.find(key, at)) {
          name.replace(at, key.size(), value);
          at += value.size();
        }
      }
      argocd_apps.emplace(name, std::pair{s.name, e.name});
    }
  }
}
const Environment* Config::FindEnvironment(const std::string& name) const {
  return FindByName(environments, name);
}

const Team* Config::PlatformTeam() const {
  for (const auto& t : teams) {
    if (t.platform) return &t;
  }
  return nullptr;
}

GitopsLocation Config::LocationOf(const Service& s, const std::string& env) const {
  GitopsLocation loc = s.gitops.value_or(gitops.location);
  if (loc.file.empty()) loc.file = gitops.location.file;
  if (loc.key.empty()) loc.key = gitops.location.key;
  return {Expand(loc.file, s.name, env), Expand(loc.key, s.name, env)};
}

std::string Config::ResolvePath(const std::string& p) const {
  if (p.empty() || p[0] == '/' || p.find("://") != std::string::npos || base_dir.empty()) return p;
  // scp-style git remotes (user@host:path) are not paths either.
  auto at = p.find('@'), colon = p.find(':'), slash = p.find('/');
  if (at != std::string::npos && colon != std::string::npos && at < colon && colon < slash)
    return p;
  return base_dir + "/" + p;
}

std::vector<std::string> Config::LowerEnvironments() const {
  std::vector<std::string> out;
  for (const auto& e : environments) {
    if (e.tier == Tier::kLower) out.push_back(e.name);
  }
  return out;
}

bool Config::IsLower(const std::string& env) const {
  const Environment* e = FindEnvironment(env);
  return e && e->tier == Tier::kLower;
}

std::string Config::TeamOf(const std::string& service) const {
  const Service* s = FindService(service);
  return s ? s->team : "";
}

std::string Config::ChannelOf(const std::string& team) const {
  const Team* t = FindTeam(team);
  return t ? t->channel : "";
}

}  // namespace captain
