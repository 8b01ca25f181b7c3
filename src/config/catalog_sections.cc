// images, channels, environments, teams, services, gitops.
#include <libfyaml.h>

#include <map>
#include <set>
#include <unordered_map>

#include "config/sections.h"
#include "core/image_ref.h"

namespace captain {
namespace {

bool IsName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char ch : s) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) {
      return false;
    }
  }
  return s.front() != '-';
}

// A required name field that must be unique within its list.
std::optional<std::string> NameField(Fields& f, fy_node* item, const std::string& path,
                                     std::set<std::string>& seen, const char* what) {
  auto name = f.String(item, "name", path, true);
  if (!name) return std::nullopt;
  fy_node* at = f.Get(item, "name", path, false);
  if (!IsName(*name)) {
    f.Error(at, Fields::Join(path, "name"),
            "'" + *name + "' is not a valid " + what + " name (lower-case letters, digits, '-')");
    return std::nullopt;
  }
  if (!seen.insert(*name).second) {
    f.Error(at, Fields::Join(path, "name"), "duplicate " + std::string(what) + " '" + *name + "'");
    return std::nullopt;
  }
  return name;
}

std::optional<std::string> ChannelField(Fields& f, fy_node* map, std::string_view key,
                                        const std::string& path, bool required) {
  auto ch = f.String(map, key, path, required);
  if (ch && (ch->size() < 2 || (*ch)[0] != '#')) {
    f.Error(f.Get(map, key, path, false), Fields::Join(path, key),
            "expected a Slack channel like '#name', got '" + *ch + "'");
    return std::nullopt;
  }
  return ch;
}

// Why `file` (templates expanded) is not a file path inside the repository, or "".
std::string PathProblem(const std::string& file) {
  if (file.empty()) return "is empty";
  if (file.front() == '/') return "is absolute; it must be a path inside the repository";
  size_t start = 0;
  while (true) {
    size_t slash = file.find('/', start);
    std::string part = file.substr(start, slash == std::string::npos ? slash : slash - start);
    if (part.empty() || part == "." || part == "..") {
      return "must be a plain path inside the repository (no empty, '.' or '..' parts)";
    }
    if (start == 0 && part == ".git") return "points into .git";
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (unsigned char ch : file) {
    if (ch < 0x20 || ch == 0x7f || ch == '\\') return "contains a control character or backslash";
  }
  return "";
}

// Why `key` is not a dotted key path, or "".
std::string KeyProblem(const std::string& key) {
  if (key.empty()) return "is empty";
  if (key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos) {
    return "has an empty part; expected a dotted path like image.tag";
  }
  return "";
}

void ReadLocation(Fields& f, fy_node* n, const std::string& path, GitopsLocation& loc) {
  if (!f.ExpectMap(n, path)) return;
  f.CheckKeys(n, path, {"file", "key"});
  if (auto file = f.String(n, "file", path, false)) loc.file = *file;
  if (auto key = f.String(n, "key", path, false)) loc.key = *key;
}

// Every (service, environment) must name its own file and key inside the repository: two
// deployments sharing one would let a lower deploy rewrite prod's tag.
void CheckLocations(Fields& f, fy_node* root, const Config& c) {
  fy_node* gitops = f.Get(root, "gitops", "", false);
  std::map<std::string, fy_node*> override_node;  // service -> its gitops: node
  if (fy_node* list = f.Get(root, "services", "", false); list && f.IsSeq(list)) {
    for (fy_node* item : f.Items(list)) {
      if (!f.IsMap(item)) continue;
      fy_node* name = f.Get(item, "name", "", false);
      fy_node* g = f.Get(item, "gitops", "", false);
      if (name && g && f.IsScalar(name)) override_node[*f.Scalar(name, "")] = g;
    }
  }
  fy_node* gitops_file = gitops && f.IsMap(gitops) ? f.Get(gitops, "file", "", false) : nullptr;
  // file '\n' key -> (service, environment) indexes of the first to claim it
  std::unordered_map<std::string, std::pair<size_t, size_t>> owner;
  owner.reserve(c.services.size() * c.environments.size());
  std::set<std::string> reported;
  for (size_t i = 0; i < c.services.size(); ++i) {
    const Service& s = c.services[i];
    for (size_t j = 0; j < c.environments.size(); ++j) {
      const std::string& env = c.environments[j].name;
      GitopsLocation loc = c.LocationOf(s, env);
      std::string problem;
      if (auto p = PathProblem(loc.file); !p.empty()) {
        problem = "file '" + loc.file + "' (for " + s.name + " in " + env + ") " + p;
      } else if (auto k = KeyProblem(loc.key); !k.empty()) {
        problem = "key '" + loc.key + "' (for " + s.name + " in " + env + ") " + k;
      } else {
        auto [it, fresh] = owner.emplace(loc.file + '\n' + loc.key, std::make_pair(i, j));
        if (!fresh) {
          const auto& [si, ej] = it->second;
          problem = s.name + " in " + env + " and " + c.services[si].name + " in " +
                    c.environments[ej].name + " share " + loc.file + " " + loc.key +
                    "; each service and environment needs its own file or key (use " +
                    "{service} and {env} in the template)";
        }
      }
      if (problem.empty()) continue;
      auto ov = override_node.find(s.name);
      std::string where = ov != override_node.end() ? "services." + s.name + ".gitops" : "gitops";
      fy_node* at = ov != override_node.end() ? ov->second : (gitops_file ? gitops_file : gitops);
      if (reported.insert(where).second) f.Error(at, where, problem);
    }
  }
}

struct ImageDefaults {
  std::string prefix;
};

ImageDefaults ReadImages(Fields& f, fy_node* root, Config& c) {
  ImageDefaults d;
  fy_node* n = f.Get(root, "images", "", false);
  if (!n || !f.ExpectMap(n, "images")) return d;
  f.CheckKeys(n, "images", {"prefix", "tag_length", "tag_format", "deploy"});
  if (auto p = f.String(n, "prefix", "images", false)) d.prefix = *p;
  if (auto len = f.Int(n, "tag_length", "images", false, 7, 40))
    c.tag_length = static_cast<int>(*len);
  if (auto t = f.String(n, "tag_format", "images", false)) {
    std::string sample = *t;
    for (const char* ph : {"{commit}", "{short}"}) {
      for (auto pos = sample.find(ph); pos != std::string::npos; pos = sample.find(ph))
        sample.replace(pos, std::string_view(ph).size(), "0");
    }
    if (t->find('{') == std::string::npos || !IsImageTag(sample)) {
      f.Error(f.Get(n, "tag_format", "images", false), "images.tag_format",
              "expected an image tag naming {commit} or {short}, got '" + *t + "'");
    } else {
      c.tag_format = *t;
    }
  }
  if (auto v = f.String(n, "deploy", "images", false)) {
    if (*v != "tag" && *v != "digest") {
      f.Error(f.Get(n, "deploy", "images", false), "images.deploy",
              "expected tag or digest, got '" + *v + "'");
    }
    c.deploy_digest = *v == "digest";
  }
  return d;
}

void ReadChannels(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "channels", "", true);
  if (!n || !f.ExpectMap(n, "channels")) return;
  f.CheckKeys(n, "channels", {"announce", "on_call", "support"});
  if (auto v = ChannelField(f, n, "announce", "channels", true)) c.channels.announce = *v;
  if (auto v = ChannelField(f, n, "on_call", "channels", true)) c.channels.on_call = *v;
  if (auto v = ChannelField(f, n, "support", "channels", false)) c.channels.support = *v;
}

void ReadEnvironments(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "environments", "", true);
  if (!n || !f.ExpectSeq(n, "environments")) return;
  std::set<std::string> seen;
  auto items = f.Items(n);
  if (items.empty()) f.Error(n, "environments", "at least one environment is needed");
  for (size_t i = 0; i < items.size(); ++i) {
    auto path = Fields::Index("environments", i);
    if (!f.ExpectMap(items[i], path)) continue;
    f.CheckKeys(items[i], path, {"name", "tier", "cluster"});
    Environment env;
    auto name = NameField(f, items[i], path, seen, "environment");
    auto tier = f.String(items[i], "tier", path, true);
    auto cluster = f.String(items[i], "cluster", path, false);
    if (tier) {
      if (*tier == "lower") {
        env.tier = Tier::kLower;
      } else if (*tier == "higher") {
        env.tier = Tier::kHigher;
      } else {
        f.Error(f.Get(items[i], "tier", path, false), Fields::Join(path, "tier"),
                "expected lower or higher, got '" + *tier + "'");
        continue;
      }
    }
    if (!name || !tier) continue;
    if (env.tier == Tier::kLower && !c.environments.empty() &&
        c.environments.back().tier == Tier::kHigher) {
      f.Error(f.Get(items[i], "tier", path, false), Fields::Join(path, "tier"),
              "lower environments must be listed before higher ones");
    }
    env.name = *name;
    env.cluster = cluster.value_or("");
    c.environments.push_back(env);
  }
}

void ReadTeams(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "teams", "", true);
  if (!n || !f.ExpectSeq(n, "teams")) return;
  std::set<std::string> seen;
  auto items = f.Items(n);
  for (size_t i = 0; i < items.size(); ++i) {
    auto path = Fields::Index("teams", i);
    if (!f.ExpectMap(items[i], path)) continue;
    f.CheckKeys(items[i], path, {"name", "channel", "platform"});
    auto name = NameField(f, items[i], path, seen, "team");
    auto channel = ChannelField(f, items[i], "channel", path, true);
    auto platform = f.Bool(items[i], "platform", path, false);
    if (!name || !channel) continue;
    if (platform.value_or(false) && c.PlatformTeam()) {
      f.Error(f.Get(items[i], "platform", path, false), Fields::Join(path, "platform"),
              "only one team can be the platform team ('" + c.PlatformTeam()->name + "' is)");
      continue;
    }
    c.teams.push_back({*name, *channel, platform.value_or(false)});
  }
}

void ReadServices(Fields& f, fy_node* root, Config& c, const ImageDefaults& images) {
  fy_node* n = f.Get(root, "services", "", true);
  if (!n || !f.ExpectSeq(n, "services")) return;
  std::set<std::string> seen;
  auto items = f.Items(n);
  for (size_t i = 0; i < items.size(); ++i) {
    auto path = Fields::Index("services", i);
    if (!f.ExpectMap(items[i], path)) continue;
    f.CheckKeys(items[i], path, {"name", "team", "image", "gitops"});
    auto name = NameField(f, items[i], path, seen, "service");
    auto team = f.String(items[i], "team", path, true);
    auto image = f.String(items[i], "image", path, images.prefix.empty());
    Service s;
    if (fy_node* g = f.Get(items[i], "gitops", path, false)) {
      GitopsLocation loc;
      ReadLocation(f, g, Fields::Join(path, "gitops"), loc);
      s.gitops = loc;
    }
    if (team && !c.FindTeam(*team)) {
      f.Error(f.Get(items[i], "team", path, false), Fields::Join(path, "team"),
              "unknown team '" + *team + "'");
      continue;
    }
    if (!name || !team) continue;
    s.name = *name;
    s.team = *team;
    s.image = image ? (image->find('/') == std::string::npos ? images.prefix + *image : *image)
                    : images.prefix + *name;
    auto ref = ParseImageRef(s.image);
    if (!ref || !ref->tag.empty() || !ref->digest.empty()) {
      f.Error(f.Get(items[i], image ? "image" : "name", path, false), Fields::Join(path, "image"),
              "'" + s.image + "' is not an image repository (registry/path, no tag or digest)" +
                  (ref ? "" : ": " + ref.error().message));
      continue;
    }
    c.services.push_back(std::move(s));
  }
}

void ReadGitops(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "gitops", "", false);
  if (!n || !f.ExpectMap(n, "gitops")) return;
  f.CheckKeys(n, "gitops",
              {"repo", "branch", "file", "key", "app_config", "author_name", "author_email",
               "token_env", "credentials_file", "commit_url"});
  auto& g = c.gitops;
  if (auto v = f.String(n, "repo", "gitops", false)) g.repo = *v;
  if (auto v = f.String(n, "branch", "gitops", false)) g.branch = *v;
  GitopsLocation loc = g.location;
  if (auto v = f.String(n, "file", "gitops", false)) loc.file = *v;
  if (auto v = f.String(n, "key", "gitops", false)) loc.key = *v;
  g.location = loc;
  if (auto v = f.String(n, "author_name", "gitops", false)) g.author_name = *v;
  if (auto v = f.String(n, "author_email", "gitops", false)) g.author_email = *v;
  if (auto v = f.String(n, "app_config", "gitops", false)) g.app_config = *v;
  if (auto v = f.String(n, "token_env", "gitops", false)) g.token_env = *v;
  if (auto v = f.String(n, "credentials_file", "gitops", false)) g.credentials_file = *v;
  if (auto v = f.String(n, "commit_url", "gitops", false)) {
    if (v->find("{commit}") == std::string::npos ||
        (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0)) {
      f.Error(f.Get(n, "commit_url", "gitops", false), "gitops.commit_url",
              "expected an http(s) URL with {commit} in it, got '" + *v + "'");
    } else {
      g.commit_url = *v;
    }
  }
}

}  // namespace

void ReadCatalogSections(Fields& f, fy_node* root, Config& c) {
  auto images = ReadImages(f, root, c);
  ReadChannels(f, root, c);
  ReadEnvironments(f, root, c);
  ReadTeams(f, root, c);
  ReadServices(f, root, c, images);
  ReadGitops(f, root, c);
  CheckLocations(f, root, c);
}

}  // namespace captain
