#include "server/http_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>

#include "server/http_loop.h"

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

Outgoing Render(const HttpRequest& r, HttpAnswer a, bool keep_alive) {
  Outgoing o;
  o.close = !keep_alive;
  if ((r.method == "GET" || r.method == "HEAD") && a.status == 200) {
    // A poll that finds nothing new costs one line: the ETag is the body's hash.
    std::string tag = ETagOf(a);
    bool unchanged = !r.if_none_match.empty() && NoneMatch(r.if_none_match, tag);
    a.headers.emplace_back("ETag", std::move(tag));
    if (unchanged) {
      o.head = AnswerHead(304, "", 0, a.headers, keep_alive);
      return o;
    }
  }
  size_t length = a.shared ? a.shared->size() : a.body.size();
  o.head = AnswerHead(a.status, a.content_type, length, a.headers, keep_alive);
  if (r.method == "HEAD") return o;
  if (a.shared) {
    o.shared = std::move(a.shared);  // streamed from the shared view: no copy per request
  } else {
    o.body = std::move(a.body);
  }
  return o;
}

HttpServer::HttpServer(Api& api, const ServerConfig& s)
    : api_(api),
      threads_(s.threads),
      timeout_seconds_(s.timeout_seconds),
      max_body_bytes_(s.max_body_bytes) {}

HttpServer::~HttpServer() { Stop(); }

namespace {

// A listening socket on HOST:PORT, or an error saying why not.
Result<int> ListenOn(const std::string& host, int port, const std::string& listen) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 ||
      !found) {
    return OtherError("cannot listen on " + listen + ": " + host + " is not an address");
  }
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    if (port == 0) return OtherError("cannot listen on " + host + ": no free port");
    return OtherError("cannot listen on " + listen + " (in use, or not an address of this host)");
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

}  // namespace

Status HttpServer::Start(const std::string& listen) {
  auto where = ParseListen(listen, "listen");
  if (!where) return where.error();
  auto [host, port] = *where;
  auto fd = ListenOn(host, port, listen);
  if (!fd) return fd.error();
  port_ = BoundPort(*fd);
  LoopSettings settings;
  settings.limits.max_body_bytes = max_body_bytes_;
  settings.timeout = std::chrono::seconds(timeout_seconds_);
  workers_ = std::make_unique<Workers>(threads_);
  // One loop per core (two at least, four at most): a loop never blocks, so more would only
  // take turns.
  unsigned cores = std::thread::hardware_concurrency();
  size_t count = std::clamp<size_t>(cores, 2, 4);
  std::vector<Loop*> all;
  for (size_t i = 0; i < count; ++i) {
    loops_.push_back(std::make_unique<Loop>(api_, *workers_, settings, open_connections_));
    if (auto st = loops_.back()->Init(); !st) {
      ::close(*fd);
      return st;
    }
    all.push_back(loops_.back().get());
  }
  loops_.front()->Accept(*fd, all);  // the loop's now: it closes it when it stops
  for (auto& loop : loops_) loop_threads_.emplace_back([l = loop.get()] { l->Run(); });
  return {};
}

void HttpServer::Stop() {
  for (auto& loop : loops_) loop->Stop();
  for (auto& t : loop_threads_) {
    if (t.joinable()) t.join();
  }
  loop_threads_.clear();
  if (workers_) workers_->Stop();
  loops_.clear();
  workers_.reset();
}

}  // namespace captain
