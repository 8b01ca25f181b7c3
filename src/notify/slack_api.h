// The Slack Web API as captain uses it: one call, one answer. The real one speaks HTTPS with
// libcurl (slack_curl.cc); tests point `api_base` at a fake Slack on 127.0.0.1.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "util/result.h"

namespace captain {

struct SlackAnswer {
  bool reached = false;  // false: no HTTP answer (connection refused, timeout)
  int http_status = 0;
  int retry_after_seconds = 0;  // from a 429's Retry-After
  nlohmann::json body;          // Slack's JSON answer ({"ok": …, "error": …})
  std::string network_error;    // when !reached
  std::string raw;              // the start of the answer as sent
};

class SlackApi {
 public:
  virtual ~SlackApi() = default;
  // POSTs `args` as JSON to {api_base}/{method} with the bot token.
  virtual SlackAnswer Call(const std::string& method, const nlohmann::json& args) = 0;
  // POSTs `body` to an incoming webhook (no token: the URL is the secret). Slack answers
  // plain text ("ok", or the error); the answer's body reads {"ok", "error"} either way.
  virtual SlackAnswer PostWebhook(const std::string& url, const nlohmann::json& body) = 0;
};

// `timeout_seconds` bounds each call.
std::unique_ptr<SlackApi> MakeCurlSlackApi(std::string api_base, std::string bot_token,
                                           int timeout_seconds);

}  // namespace captain
