#include <curl/curl.h>
#include <openssl/evp.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "registry/registry_client.h"

namespace captain {
namespace {

constexpr const char* kManifestAccept =
    "Accept: application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

struct Answer {
  bool reached = false;
  long status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::string network_error;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t Header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  } else if (line.rfind("HTTP/", 0) == 0) {
    static_cast<std::map<std::string, std::string>*>(out)->clear();  // a redirect's next answer
  }
  return size * n;
}

// key="value" pairs of a WWW-Authenticate challenge after its scheme.
std::map<std::string, std::string> ChallengeParams(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
    size_t eq = text.find('=', pos);
    if (eq == std::string::npos) break;
    std::string key = text.substr(pos, eq - pos);
    std::string value;
    pos = eq + 1;
    if (pos < text.size() && text[pos] == '"') {
      size_t end = text.find('"', pos + 1);
      value = text.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
      pos = end == std::string::npos ? text.size() : end + 1;
    } else {
      size_t end = text.find(',', pos);
      value = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? text.size() : end;
    }
    out[key] = value;
  }
  return out;
}

std::string Escape(CURL* curl, const std::string& s) {
  char* e = curl_easy_escape(curl, s.c_str(), static_cast<int>(s.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]" || host == "::1";
}

class CurlRegistry : public RegistryClient {
 public:
  explicit CurlRegistry(RegistryOptions o) : o_(std::move(o)) {
    while (!o_.url.empty() && o_.url.back() == '/') o_.url.pop_back();
  }
  ~CurlRegistry() override {
    for (CURL* curl : idle_) curl_easy_cleanup(curl);
  }
  CurlRegistry(const CurlRegistry&) = delete;
  CurlRegistry& operator=(const CurlRegistry&) = delete;

  RegistryResult<Manifest> GetManifest(const std::string& repository,
                                       const std::string& reference) override {
    RegistryResult<Manifest> out;
    Answer a = Fetch(repository, "/v2/" + repository + "/manifests/" + reference, true);
    if (auto e = Failure(a, repository + ":" + reference)) {
      out.error = e;
      return out;
    }
    Manifest m;
    m.body = a.body;
    m.digest = Sha256Digest(a.body);
    bool by_digest = reference.rfind("sha256:", 0) == 0;
    auto header = a.headers.find("docker-content-digest");
    if ((by_digest && reference != m.digest) ||
        (header != a.headers.end() && header->second.rfind("sha256:", 0) == 0 &&
         header->second != m.digest)) {
      out.error = RegistryError{RegistryFailure::kInvalid,
                                repository + ":" + reference + ": the manifest served is not " +
                                    (by_digest ? reference : header->second)};
      return out;
    }
    m.json = nlohmann::json::parse(a.body, nullptr, false);
    if (!m.json.is_object()) {
      out.error = RegistryError{RegistryFailure::kInvalid,
                                repository + ":" + reference + ": the manifest is not JSON"};
      return out;
    }
    m.media_type = m.json.value("mediaType", "");
    if (m.media_type.empty() && a.headers.count("content-type")) {
      m.media_type = a.headers["content-type"];
    }
    out.value = std::move(m);
    return out;
  }

  RegistryResult<std::string> GetBlob(const std::string& repository,
                                      const std::string& digest) override {
    RegistryResult<std::string> out;
    Answer a = Fetch(repository, "/v2/" + repository + "/blobs/" + digest, false);
    if (auto e = Failure(a, repository + "@" + digest)) {
      out.error = e;
      return out;
    }
    if (Sha256Digest(a.body) != digest) {
      out.error = RegistryError{RegistryFailure::kInvalid,
                                repository + "@" + digest + ": the blob served has another digest"};
      return out;
    }
    out.value = std::move(a.body);
    return out;
  }

 private:
  static std::optional<RegistryError> Failure(const Answer& a, const std::string& what) {
    if (!a.reached) {
      return RegistryError{RegistryFailure::kUnreachable, what + ": " + a.network_error};
    }
    if (a.status == 200) return std::nullopt;
    if (a.status == 404)
      return RegistryError{RegistryFailure::kNotFound, what + ": not found (404)"};
    if (a.status == 401 || a.status == 403) {
      return RegistryError{RegistryFailure::kDenied,
                           what + ": access denied (" + std::to_string(a.status) + ")"};
    }
    if (a.status == 429 || a.status >= 500) {
      return RegistryError{RegistryFailure::kUnreachable,
                           what + ": the registry answered " + std::to_string(a.status)};
    }
    return RegistryError{RegistryFailure::kInvalid,
                         what + ": the registry answered " + std::to_string(a.status)};
  }

  // One GET with retries (429, 5xx, network) and the auth challenge answered.
  Answer Fetch(const std::string& repository, const std::string& path, bool manifest) {
    Slot slot(*this);
    Answer a;
    for (int attempt = 1; attempt <= o_.max_attempts; ++attempt) {
      a = Get(o_.url + path, manifest, Authorization(repository));
      if (a.reached && a.status == 401 && Challenge(repository, a)) {
        a = Get(o_.url + path, manifest, Authorization(repository));
      }
      bool retry = !a.reached || a.status == 429 || a.status >= 500;
      if (!retry || attempt == o_.max_attempts) break;
      int wait_ms = 200 << (attempt - 1);
      if (a.status == 429) {
        auto ra = a.headers.find("retry-after");
        if (ra != a.headers.end()) {
          try {
            wait_ms = std::min(30, std::max(0, std::stoi(ra->second))) * 1000;
          } catch (const std::exception&) {
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
    return a;
  }

  std::string Authorization(const std::string& repository) {
    std::lock_guard<std::mutex> lock(mu_);
    auto t = tokens_.find(repository);
    if (t != tokens_.end()) return "Authorization: Bearer " + t->second;
    return "";  // basic auth, once asked for, is set with CURLOPT_USERPWD
  }

  // Answers a 401's challenge; true when there is something new to try.
  bool Challenge(const std::string& repository, const Answer& a) {
    auto h = a.headers.find("www-authenticate");
    if (h == a.headers.end()) return false;
    std::string scheme = h->second.substr(0, h->second.find(' '));
    for (char& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (scheme == "basic") {
      std::lock_guard<std::mutex> lock(mu_);
      if (basic_ || o_.username.empty()) return false;
      basic_ = true;
      return true;
    }
    if (scheme != "bearer") return false;
    auto params = ChallengeParams(h->second.substr(h->second.find(' ') + 1));
    std::string realm = params["realm"];
    if (realm.empty()) return false;
    CURL* curl = curl_easy_init();
    if (!curl) return false;
    std::string url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
    if (params.count("service")) url += "service=" + Escape(curl, params["service"]) + "&";
    std::string scope =
        params.count("scope") ? params["scope"] : "repository:" + repository + ":pull";
    url += "scope=" + Escape(curl, scope);
    curl_easy_cleanup(curl);
    Answer t = Get(url, false, "", /*credentials=*/true);
    if (!t.reached || t.status != 200) return false;
    auto j = nlohmann::json::parse(t.body, nullptr, false);
    if (!j.is_object()) return false;
    std::string token = j.value("token", j.value("access_token", ""));
    if (token.empty()) return false;
    std::lock_guard<std::mutex> lock(mu_);
    if (tokens_[repository] == token) return false;
    tokens_[repository] = token;
    return true;
  }

  // An easy handle, idle since its last request: its connection to the registry (and TLS
  // session) is reused, which saves a handshake per request.
  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        CURL* curl = idle_.back();
        idle_.pop_back();
        return curl;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* curl) {
    curl_easy_reset(curl);  // keeps the live connection
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(curl);
  }

  Answer Get(const std::string& url, bool manifest, const std::string& authorization,
             bool credentials = false) {
    Answer a;
    CURL* curl = Acquire();
    if (!curl) {
      a.network_error = "cannot start libcurl";
      return a;
    }
    curl_slist* headers = nullptr;
    if (manifest) headers = curl_slist_append(headers, kManifestAccept);
    if (!authorization.empty()) headers = curl_slist_append(headers, authorization.c_str());
    std::string userpwd = o_.username + ":" + o_.password;
    bool basic;
    {
      std::lock_guard<std::mutex> lock(mu_);
      basic = basic_;
    }
    if ((credentials || (basic && authorization.empty())) && !o_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);  // blobs may live elsewhere (S3, CDN)
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(o_.timeout_seconds));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o_.timeout_seconds));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, Header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &a.headers);
    if (!o_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o_.ca_file.c_str());
    CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
      a.network_error = curl_easy_strerror(rc);
    } else {
      a.reached = true;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
    }
    curl_slist_free_all(headers);
    Release(curl);
    return a;
  }

  // Holds one of the max_in_flight places while it lives.
  struct Slot {
    explicit Slot(CurlRegistry& r) : r_(r) {
      std::unique_lock<std::mutex> lock(r_.mu_);
      r_.cv_.wait(lock, [&] { return r_.in_flight_ < std::max(1, r_.o_.max_in_flight); });
      ++r_.in_flight_;
    }
    ~Slot() {
      {
        std::lock_guard<std::mutex> lock(r_.mu_);
        --r_.in_flight_;
      }
      r_.cv_.notify_one();
    }
    CurlRegistry& r_;
  };

  RegistryOptions o_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  bool basic_ = false;
  std::map<std::string, std::string> tokens_;  // by repository
  std::vector<CURL*> idle_;
};

}  // namespace

std::string Sha256Digest(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

Result<std::unique_ptr<RegistryClient>> MakeCurlRegistry(RegistryOptions options) {
  const std::string& url = options.url;
  bool https = url.rfind("https://", 0) == 0;
  bool http = url.rfind("http://", 0) == 0;
  if (!https && !http) {
    return FieldError("registry.url",
                      "expected https://host or http://127.0.0.1:port, got '" + url + "'");
  }
  std::string rest = url.substr(https ? 8 : 7);
  std::string host = rest.substr(0, rest.find('/'));
  if (host.front() != '[')
    host = host.substr(0, host.find(':'));
  else
    host = host.substr(0, host.find(']') + 1);
  if (http && !IsLoopback(host)) {
    return FieldError("registry.url", "plain http is allowed only to a loopback registry (" + host +
                                          " is not); use https");
  }
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::unique_ptr<RegistryClient>(std::make_unique<CurlRegistry>(std::move(options)));
}

}  // namespace captain
