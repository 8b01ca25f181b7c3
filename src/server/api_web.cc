// The dashboard's routes: its static files (public: the page asks for a token itself) and
// GET /api/v1/me, which tells the page who it is acting as.
#include "core/timefmt.h"
#include "server/api.h"
#include "server/web_assets.h"

namespace captain {

std::string_view ContentTypeOf(std::string_view name) {
  auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

HttpAnswer Api::StaticAsset(const RouteMatch& m) {
  auto file = m.params.find("file");
  std::string_view name = file == m.params.end() ? "index.html" : std::string_view(file->second);
  for (const auto& a : WebAssets()) {
    if (a.name != name) continue;
    HttpAnswer out{200, std::string(a.body), std::string(ContentTypeOf(name)), nullptr, {}};
    // The page's scripts come from captain alone; no frame may embed it.
    out.headers = {{"Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
                    "base-uri 'none'; form-action 'none'"},
                   {"X-Content-Type-Options", "nosniff"},
                   {"Referrer-Policy", "no-referrer"},
                   {"Cache-Control", "no-cache"}};
    return out;
  }
  return ErrorAnswer(404, NotFoundError("no file " + std::string(name) + " in the dashboard"));
}

HttpAnswer Api::Me(const std::optional<Caller>& caller, const Config& config) {
  nlohmann::json roles = nlohmann::json::array();
  nlohmann::json teams = nlohmann::json::array();
  nlohmann::json envs = nlohmann::json::array(), all_teams = nlohmann::json::array();
  for (const auto& e : config.environments) {
    envs.push_back({{"name", e.name}, {"lower", config.IsLower(e.name)}});
  }
  for (const auto& t : config.teams) {
    all_teams.push_back({{"name", t.name}, {"platform", t.platform}});
  }
  if (caller) {
    for (const auto& r : caller->roles) roles.push_back(r);
    for (const auto& t : caller->Teams()) teams.push_back(t);
  }
  return JsonAnswer(200, {{"name", caller ? nlohmann::json(caller->name) : nullptr},
                          {"roles", roles},
                          {"teams", teams},
                          {"captain", caller && caller->IsCaptain()},
                          {"public_reads", config.server.public_reads},
                          {"timezone", config.timezone},
                          {"environments", envs},
                          {"teams_configured", all_teams},
                          {"signature_max_age_days", config.signature.max_age_days},
                          {"commit_url", config.gitops.commit_url},
                          {"now", FormatUtc(pool_.clock().Now())}});
}

}  // namespace captain
