// The socket side of the daemon: HTTP/1.1 on an epoll event loop per core, every request handed
// to Api. Routes that never wait (AnswersAtOnce: health, the dashboard's files, ArgoCD's
// notifications) are answered on the loop's thread; the others run on a pool of
// `server.threads` workers, so a slow request never holds up the connections beside it. A
// kept-alive connection holds no thread. Limits: the request head (64 KiB), the body
// (`server.max_body_bytes`), `server.timeout_seconds` to send a request or take an answer,
// 5 s idle between requests, 1,024 connections at once.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/api.h"

namespace captain {

class HttpServer {
 public:
  HttpServer(Api& api, const ServerConfig& settings);
  ~HttpServer();
  // Binds HOST:PORT (port 0: any free port) and serves on threads of its own.
  Status Start(const std::string& listen);
  int port() const { return port_; }
  // Stops accepting; requests in flight are answered first (for up to timeout_seconds).
  void Stop();

  class Loop;
  class Workers;

 private:
  Api& api_;
  int threads_;
  int timeout_seconds_;
  size_t max_body_bytes_;
  std::atomic<int> open_connections_{0};
  int port_ = 0;
  std::unique_ptr<Workers> workers_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<std::thread> loop_threads_;
};

// HOST:PORT split; a usage error naming `field` otherwise.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen,
                                                const std::string& field);

}  // namespace captain
