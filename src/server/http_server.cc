#include "server/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>

namespace captain {

Result<std::pair<std::string, int>> ParseListen(const std::string& listen,
                                                const std::string& field) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return FieldError(field, "expected HOST:PORT such as 127.0.0.1:8080, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return FieldError(field, "'" + port + "' is not a port (0 to 65535)");
  }
  return std::pair{host, std::stoi(port)};
}

namespace {

std::string HashTag(std::string_view body) {
  char tag[24];
  std::snprintf(tag, sizeof tag, "\"%016zx\"", std::hash<std::string_view>{}(body));
  return tag;
}

// A shared view body (one per second per view, up to megabytes at thousands of services) is
// hashed once per worker thread, not once per request.
std::string ETagOf(const HttpAnswer& a) {
  if (!a.shared) return HashTag(a.body);
  thread_local std::string shared_tag;
  thread_local std::weak_ptr<const std::string> last;
  if (auto seen = last.lock(); seen && seen.get() == a.shared.get()) return shared_tag;
  last = a.shared;
  return shared_tag = HashTag(*a.shared);
}

// Whether If-None-Match `header` matches `tag`: "*", or any tag of its list, compared weakly
// (a W/ prefix, which a compressing proxy may add, does not count).
bool NoneMatch(std::string_view header, std::string_view tag) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v.substr(0, 2) == "W/") v.remove_prefix(2);
    return v;
  };
  if (trim(header) == "*") return true;
  while (!header.empty()) {
    auto comma = header.find(',');
    if (trim(header.substr(0, comma)) == tag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

HttpServer::HttpServer(Api& api, const ServerConfig& s)
    : api_(api), svr_(std::make_unique<httplib::Server>()) {
  int threads = s.threads;
  svr_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr_->set_payload_max_length(s.max_body_bytes);
  svr_->set_read_timeout(s.timeout_seconds, 0);
  svr_->set_write_timeout(s.timeout_seconds, 0);
  svr_->set_keep_alive_timeout(5);
  // A connection holds a worker while it is kept alive; it is closed after this many requests
  // so that more connections than workers still take turns. 1,000 (nginx's default) rather
  // than 100: a reconnect every 100 requests cost the hook ingest benchmark about a tenth of
  // its throughput, and 1,000 requests still pass in well under a second.
  svr_->set_keep_alive_max_count(1000);
  // httplib listens with a backlog of 5: a burst of clients overflows it. Keep the socket to
  // widen the backlog once it is bound.
  svr_->set_socket_options([this](int sock) {
    httplib::default_socket_options(sock);
    // Headers and body leave in separate writes: without TCP_NODELAY (which accepted sockets
    // inherit) each answer waits on the client's delayed ACK, 40 ms.
    int one = 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    listen_socket_ = sock;
  });
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    HttpRequest r;
    r.method = req.method;
    r.path = req.path;
    for (const auto& [k, v] : req.params) r.query.emplace(k, v);
    r.authorization = req.get_header_value("Authorization");
    r.slack_timestamp = req.get_header_value("X-Slack-Request-Timestamp");
    r.slack_signature = req.get_header_value("X-Slack-Signature");
    r.if_none_match = req.get_header_value("If-None-Match");
    r.body = req.body;
    HttpAnswer a = api_.Handle(r);
    for (const auto& [k, v] : a.headers) res.set_header(k.c_str(), v);
    if (r.method == "GET" && a.status == 200) {
      // A poll that finds nothing new costs one line: the ETag is the body's hash.
      std::string tag = ETagOf(a);
      res.set_header("ETag", tag);
      if (!r.if_none_match.empty() && NoneMatch(r.if_none_match, tag)) {
        res.status = 304;
        return;
      }
    }
    res.status = a.status;
    if (a.shared) {
      // Streamed from the shared view: no copy per request.
      auto body = a.shared;
      res.set_content_provider(body->size(), a.content_type.c_str(),
                               [body](size_t offset, size_t length, httplib::DataSink& sink) {
                                 return sink.write(body->data() + offset, length);
                               });
    } else {
      res.set_content(a.body, a.content_type.c_str());
    }
  };
  for (const char* pattern : {R"(/.*)"}) {
    svr_->Get(pattern, handle);
    svr_->Post(pattern, handle);
    svr_->Put(pattern, handle);
    svr_->Delete(pattern, handle);
    svr_->Patch(pattern, handle);
  }
  // What httplib answers itself (a body over the cap, a malformed request) in the API's form.
  svr_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    Error e = res.status == 413
                  ? UsageError("the request body is larger than server.max_body_bytes")
                  : UsageError("malformed request");
    HttpAnswer a = Api::ErrorAnswer(res.status, e);
    res.set_content(a.body, a.content_type.c_str());
  });
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& listen) {
  auto where = ParseListen(listen, "listen");
  if (!where) return where.error();
  auto [host, port] = *where;
  if (port == 0) {
    port_ = svr_->bind_to_any_port(host);
    if (port_ < 0) return OtherError("cannot listen on " + host + ": no free port");
  } else {
    if (!svr_->bind_to_port(host, port)) {
      return OtherError("cannot listen on " + listen + " (in use, or not an address of this host)");
    }
    port_ = port;
  }
  if (listen_socket_ >= 0) ::listen(listen_socket_, SOMAXCONN);
  thread_ = std::thread([this] { svr_->listen_after_bind(); });
  return {};
}

void HttpServer::Stop() {
  if (svr_) svr_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace captain
