#include <curl/curl.h>

#include <mutex>

#include "notify/slack_api.h"

namespace captain {
namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t Header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  const std::string key = "retry-after:";
  if (line.size() > key.size()) {
    std::string head = line.substr(0, key.size());
    for (char& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (head == key) {
      try {
        *static_cast<int*>(out) = std::stoi(line.substr(key.size()));
      } catch (const std::exception&) {
      }
    }
  }
  return size * n;
}

class CurlSlackApi : public SlackApi {
 public:
  CurlSlackApi(std::string base, std::string token, int timeout)
      : base_(std::move(base)), token_(std::move(token)), timeout_(timeout) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  SlackAnswer Call(const std::string& method, const nlohmann::json& args) override {
    return Post(base_ + "/" + method, args, true);
  }

  SlackAnswer PostWebhook(const std::string& url, const nlohmann::json& body) override {
    SlackAnswer a = Post(url, body, false);
    if (a.reached && !a.body.is_object()) {
      std::string text = a.raw;
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      a.body = {{"ok", a.http_status == 200}};
      if (a.http_status != 200) a.body["error"] = text.empty() ? "http_error" : text;
    }
    return a;
  }

 private:
  SlackAnswer Post(const std::string& url, const nlohmann::json& args, bool with_token) {
    SlackAnswer a;
    CURL* curl = curl_easy_init();
    if (!curl) {
      a.network_error = "cannot start libcurl";
      return a;
    }
    std::string body = args.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string response;
    int retry_after = 0;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
    std::string auth = "Authorization: Bearer " + token_;
    if (with_token) headers = curl_slist_append(headers, auth.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout_));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &retry_after);
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
      a.network_error = curl_easy_strerror(rc);
    } else {
      long status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      a.reached = true;
      a.http_status = static_cast<int>(status);
      a.retry_after_seconds = retry_after;
      a.body = nlohmann::json::parse(response, nullptr, /*allow_exceptions=*/false);
      a.raw = response.substr(0, 512);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return a;
  }

  std::string base_, token_;
  int timeout_;
};

}  // namespace

std::unique_ptr<SlackApi> MakeCurlSlackApi(std::string api_base, std::string bot_token,
                                           int timeout_seconds) {
  return std::make_unique<CurlSlackApi>(std::move(api_base), std::move(bot_token), timeout_seconds);
}

}  // namespace captain
