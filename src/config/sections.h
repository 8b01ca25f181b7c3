// The readers of captain.yaml's sections; each reports into Fields and fills Config.
#pragma once

#include "config/config.h"
#include "config/fields.h"

namespace captain {

// A date field (YYYY-MM-DD), reported when malformed.
std::optional<Date> DateField(Fields& f, fy_node* map, std::string_view key,
                              const std::string& path, bool required);

void ReadCalendarSections(Fields& f, fy_node* root, Config& c);
void ReadCatalogSections(Fields& f, fy_node* root, Config& c);
// `server:` (read after the teams, which token roles name).
void ReadServerSection(Fields& f, fy_node* root, Config& c);
// `slack:`: the Web API's base URL and where the bot token is.
void ReadSlackSection(Fields& f, fy_node* root, Config& c);
// argocd: app_pattern, webhook_secret_env, verify_timeout_minutes.
void ReadArgocdSection(Fields& f, fy_node* root, Config& c);
// registry: url, platform, credentials, TLS, limits.
void ReadRegistrySection(Fields& f, fy_node* root, Config& c);
// `oncall:`, the release captains' rotation.
void ReadOncallSection(Fields& f, fy_node* root, Config& c);

}  // namespace captain
