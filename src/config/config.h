// captain.yaml, validated. Everything the rules need to know about the platform.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "core/oncall.h"

namespace captain {

enum class Tier { kLower, kHigher };
std::string_view TierName(Tier t);

struct Environment {
  std::string name;
  Tier tier = Tier::kLower;
  std::string cluster;
};

struct Team {
  std::string name;
  std::string channel;  // where this team's alerts go
  bool platform = false;
};

// Where a service's image tag lives in the GitOps repository. Both are templates:
// {service} and {env} are replaced.
struct GitopsLocation {
  std::string file;
  std::string key;
};

struct Service {
  std::string name;
  std::string team;
  std::string image;                     // repository without tag, e.g. ghcr.io/org/repo/vro-cc-app
  std::optional<GitopsLocation> gitops;  // overrides gitops.location
};

struct GitopsConfig {
  std::string repo;  // URL or path of the applications repository (may be empty: not configured)
  std::string branch = "main";
  GitopsLocation location{"deploy/{service}/values-{env}.yaml", "image.tag"};
  std::string author_name = "captain";
  std::string author_email = "captain@localhost";
  // Each app's ArgoCD settings (alert channels per environment); {service} is replaced.
  std::string app_config = "apps/{service}/config.json";
  std::string token_env;         // name of an environment variable holding a token
  std::string credentials_file;  // file holding a token
  // A web page of a GitOps commit, {commit} replaced ("https://github.com/org/repo/commit/
  // {commit}"); the dashboard links each deployed cell's commit to it. Empty: no links.
  std::string commit_url;
};

// The application's source repository, for drafting release notes from its history.
struct SourceConfig {
  std::string repo;  // URL or path; empty: not configured
  std::string branch = "develop";
};

struct SignaturePolicy {
  int max_age_days = 30;
  int warn_days = 7;
  std::vector<std::string> public_keys;  // PEM files of the cosign keys (relative to the config)
};

// `registry:`, where images are checked (captain evidence verify, a deploy's re-check).
struct RegistryConfig {
  std::string url;  // "" : no registry checks
  // The registry hosts image references may name (url's host when empty): a mirror at `url`
  // serving ghcr.io's images lists ghcr.io. A reference to any other host is not checked here
  // and never eligible.
  std::vector<std::string> hosts;
  std::string platform = "linux/amd64";
  std::string username;
  std::string password_env = "CAPTAIN_REGISTRY_TOKEN";
  std::string docker_config;  // a Docker config.json whose auths name the registry
  std::string ca_file;
  int timeout_seconds = 10;
  int max_in_flight = 8;
};

struct Channels {
  std::string announce;  // release announcements and sign-off
  std::string on_call;   // opt-in prompts and on-call traffic
  std::string support;
};

// An API token: its holder's name (the audit actor), the SHA-256 of the token and its roles
// (captain, viewer, ci, team:<id>).
struct ApiToken {
  std::string name;
  std::string sha256;  // lowercase hex
  std::vector<std::string> roles;
};

// A Slack user or user group captain knows: its Slack id, a name (the user's, shown in the
// audit as `slack:<id> (<name>)`) and roles as an API token has them (captain, team:<id>…).
struct SlackPrincipal {
  std::string id;  // U… / W… for a user, S… for a user group
  std::string name;
  std::vector<std::string> roles;
};

// `slack:`, where messages go.
struct SlackConfig {
  std::string api_base = "https://slack.com/api";
  std::string bot_token_env = "CAPTAIN_SLACK_BOT_TOKEN";  // the variable holding the token
  std::string bot_token_file;                             // or a file (relative to the config)
  std::string signing_secret_env = "CAPTAIN_SLACK_SIGNING_SECRET";  // verifies Slack's calls
  int timeout_seconds = 10;
  std::vector<SlackPrincipal> users;   // slack.users: {U0123: {name, roles}}
  std::vector<SlackPrincipal> groups;  // slack.groups: {S0123: {name, roles}}
  // slack.webhooks: channel name -> the variable holding its incoming-webhook URL, for a
  // channel the bot is not in.
  std::vector<std::pair<std::string, std::string>> webhooks;
  const SlackPrincipal* FindUser(const std::string& id) const;
  std::string WebhookEnv(const std::string& channel) const;
};

// `argocd:`, how ArgoCD's notifications reach captain.
struct ArgocdConfig {
  // The section is present: deploy steps are watched until ArgoCD reports them healthy (a
  // configuration without ArgoCD is not flagged for never hearing from it).
  bool enabled = false;
  std::string app_pattern = "{service}-{env}";  // an application's name
  std::string webhook_secret_env = "CAPTAIN_ARGOCD_WEBHOOK_SECRET";
  int verify_timeout_minutes = 30;  // a step not verified by then is flagged
};

// `server:`, the daemon's settings.
struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  int tick_seconds = 60;
  size_t max_body_bytes = 1u << 20;
  bool public_reads = false;  // GET routes without a token
  int threads = 32;           // worker pool: requests handled at once
  int timeout_seconds = 30;   // read and write timeout of a connection
  // With several daemons on one database: how soon another takes over the scheduler and the
  // outbox's sender when the one running them stops.
  int failover_seconds = 15;
  std::vector<ApiToken> tokens;
};

struct Config {
  std::string source;    // the file it was read from
  std::string base_dir;  // relative paths in the file are relative to this
  std::string timezone = "America/New_York";
  CalendarRules calendar;
  std::vector<std::string> holiday_sets;
  SignaturePolicy signature;
  int tag_length = 7;
  // images.tag_format: what an evidence tag must be, with {commit} (40 hex) and {short}
  // (tag_length hex) replaced; empty: any valid tag.
  std::string tag_format;
  bool deploy_digest = false;  // images.deploy: digest writes tag@digest instead of the tag
  Channels channels;
  std::vector<Environment> environments;
  std::vector<Team> teams;
  std::vector<Service> services;
  GitopsConfig gitops;
  SourceConfig source_repo;             // `source:` in the file
  std::string database = "captain.db";  // relative to base_dir
  std::string state_dir = ".captain";   // relative to base_dir
  ServerConfig server;
  SlackConfig slack;
  ArgocdConfig argocd;
  RegistryConfig registry;
  OncallRules oncall;

  // Services by name, built once the list is final (the loader does); without it FindService
  // scans the list.
  std::unordered_map<std::string, size_t> service_index;
  // ArgoCD application name -> (service, environment), from argocd.app_pattern.
  std::unordered_map<std::string, std::pair<std::string, std::string>> argocd_apps;
  void IndexServices();

  const Team* FindTeam(const std::string& name) const;
  const Service* FindService(const std::string& name) const;
  const Environment* FindEnvironment(const std::string& name) const;
  const Team* PlatformTeam() const;
  // The team of a service, or "" for a name the configuration does not know (stored records
  // may name services that were removed since).
  std::string TeamOf(const std::string& service) const;
  // A team's alert channel, or "" for an unknown team.
  std::string ChannelOf(const std::string& team) const;
  // The one list of "the lower environments" (dev, qa, sandbox in the VRO example), in order.
  std::vector<std::string> LowerEnvironments() const;
  bool IsLower(const std::string& env) const;
  // gitops location of one service in one environment, templates expanded.
  GitopsLocation LocationOf(const Service& s, const std::string& env) const;
  // A path relative to the configuration file made usable; URLs and user@host:path pass.
  std::string ResolvePath(const std::string& p) const;
};

}  // namespace captain
