#include "app/drift.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "gitops/yaml_edit.h"

namespace captain {
namespace {

// How far back `drift` looks in the repository for the tags lower environments ran.
constexpr int kHistoryDepth = 200;

constexpr const char* kAlertFields[] = {"on_deployed_slack", "on_health_degraded_slack",
                                        "on_sync_failed_slack"};

std::string Expand(std::string text, const std::string& service) {
  for (size_t pos = 0; (pos = text.find("{service}", pos)) != std::string::npos;) {
    text.replace(pos, 9, service);
  }
  return text;
}

// The alert settings of one app's config.json; an app without one has none to check.
std::vector<AlertSetting> ReadAlerts(const App& app, GitopsRepo& repo, const Service& s,
                                     std::vector<RepoTag>& problems) {
  std::vector<AlertSetting> out;
  std::string path = Expand(app.config.gitops.app_config, s.name);
  auto text = repo.ReadFileAt("HEAD", path);
  if (!text || !*text) return out;
  auto doc = nlohmann::json::parse(**text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    problems.push_back({s.name, "", std::nullopt, path + ": not valid JSON"});
    return out;
  }
  auto envs = doc.find("environments");
  if (envs == doc.end() || !envs->is_object()) return out;
  for (const auto& e : app.config.environments) {
    auto env = envs->find(e.name);
    if (env == envs->end() || !env->is_object()) continue;
    for (const char* field : kAlertFields) {
      auto v = env->find(field);
      if (v == env->end()) continue;
      AlertSetting a{s.name, e.name, field, {}};
      if (v->is_string()) {
        a.channels = SplitChannels(v->get<std::string>());
      } else if (v->is_array()) {
        for (const auto& ch : *v) {
          if (ch.is_string()) a.channels.push_back(ch.get<std::string>());
        }
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

// The tags the services' lower-environment files held in the repository's recent commits.
Result<std::vector<RepoTag>> LowerTagsInHistory(const App& app, GitopsRepo& repo,
                                                const std::set<std::string>& services) {
  auto commits = repo.History(kHistoryDepth);
  if (!commits) return commits.error();
  std::vector<RepoTag> out;
  std::map<std::string, std::string> last;  // file and key -> the text last parsed
  for (const auto& commit : *commits) {
    for (const auto& name : services) {
      const Service* s = app.config.FindService(name);
      if (!s) continue;  // no longer configured: nothing to read
      for (const auto& e : app.config.environments) {
        if (e.tier != Tier::kLower) continue;
        GitopsLocation loc = app.config.LocationOf(*s, e.name);
        auto text = repo.ReadFileAt(commit, loc.file);
        if (!text) return text.error();
        std::string& seen = last[loc.file + '\n' + loc.key];
        if (!*text || seen == **text) continue;  // absent, or unchanged since
        seen = **text;
        if (auto tag = GetScalar(**text, loc.file, loc.key); tag) {
          out.push_back({name, e.name, *tag, ""});
        }
      }
    }
  }
  return out;
}

}  // namespace

Result<DriftReport> CheckDrift(const App& app, GitopsRepo& repo) {
  if (auto st = repo.Sync(); !st) return st.error();
  auto history = app.store.LoadHistory();
  if (!history) return history.error();
  std::vector<RepoTag> tags;
  std::vector<AlertSetting> alerts;
  std::vector<RepoTag> unreadable_configs;
  for (const auto& s : app.config.services) {
    for (const auto& e : app.config.environments) {
      GitopsLocation loc = app.config.LocationOf(s, e.name);
      RepoTag t{s.name, e.name, std::nullopt, ""};
      auto text = repo.ReadFile(loc.file);
      if (!text) {
        t.error = text.error().message;
      } else if (auto tag = GetScalar(*text, loc.file, loc.key); tag) {
        t.tag = *tag;
      } else {
        t.error = tag.error().message;
      }
      tags.push_back(std::move(t));
    }
    auto found = ReadAlerts(app, repo, s, unreadable_configs);
    alerts.insert(alerts.end(), found.begin(), found.end());
  }
  DriftReport report = ComputeDrift(app.config, tags, history->deployments, alerts);
  // A higher environment's tag not seen lower in captain's records or the repository now may
  // have passed a lower environment before captain kept records: look in the git history.
  std::set<std::string> suspects;
  for (const auto& r : report.rows) {
    if (r.never_in_lower) suspects.insert(r.service);
  }
  if (!suspects.empty()) {
    auto earlier = LowerTagsInHistory(app, repo, suspects);
    if (!earlier) return earlier.error();
    report = ComputeDrift(app.config, tags, history->deployments, alerts, *earlier);
  }
  for (const auto& u : unreadable_configs) {
    report.channels.push_back({u.service, "", "config.json", u.error, ""});
  }
  return report;
}

}  // namespace captain
