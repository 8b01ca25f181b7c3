// images, channels, environments, teams, services, gitops.
#include <libfyaml.h>

#include <set>

#include "config/sections.h"

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

void ReadLocation(Fields& f, fy_node* n, const std::string& path, GitopsLocation& loc) {
  if (!f.ExpectMap(n, path)) return;
  f.CheckKeys(n, path, {"file", "key"});
  if (auto file = f.String(n, "file", path, false)) {
    if (!file->empty() && (file->front() == '/' || file->find("..") != std::string::npos)) {
      f.Error(f.Get(n, "file", path, false), Fields::Join(path, "file"),
              "must be a path inside the repository, got '" + *file + "'");
    } else {
      loc.file = *file;
    }
  }
  if (auto key = f.String(n, "key", path, false)) loc.key = *key;
}

struct ImageDefaults {
  std::string prefix;
};

ImageDefaults ReadImages(Fields& f, fy_node* root, Config& c) {
  ImageDefaults d;
  fy_node* n = f.Get(root, "images", "", false);
  if (!n || !f.ExpectMap(n, "images")) return d;
  f.CheckKeys(n, "images", {"prefix", "tag_length"});
  if (auto p = f.String(n, "prefix", "images", false)) d.prefix = *p;
  if (auto len = f.Int(n, "tag_length", "images", false, 7, 40))
    c.tag_length = static_cast<int>(*len);
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
    c.services.push_back(std::move(s));
  }
}

void ReadGitops(Fields& f, fy_node* root, Config& c) {
  fy_node* n = f.Get(root, "gitops", "", false);
  if (!n || !f.ExpectMap(n, "gitops")) return;
  f.CheckKeys(n, "gitops",
              {"repo", "branch", "file", "key", "app_config", "author_name", "author_email",
               "token_env", "credentials_file"});
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
}

}  // namespace

void ReadCatalogSections(Fields& f, fy_node* root, Config& c) {
  auto images = ReadImages(f, root, c);
  ReadChannels(f, root, c);
  ReadEnvironments(f, root, c);
  ReadTeams(f, root, c);
  ReadServices(f, root, c, images);
  ReadGitops(f, root, c);
}

}  // namespace captain
