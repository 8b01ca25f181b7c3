// The socket side of the daemon (cpp-httplib): a bounded worker pool, timeouts, a body cap,
// every request handed to Api.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "server/api.h"

namespace httplib {
class Server;
}

namespace captain {

class HttpServer {
 public:
  HttpServer(Api& api, const ServerConfig& settings);
  ~HttpServer();
  // Binds HOST:PORT (port 0: any free port) and serves on a thread.
  Status Start(const std::string& listen);
  int port() const { return port_; }
  // Stops accepting; requests in flight are finished first.
  void Stop();

 private:
  Api& api_;
  std::unique_ptr<httplib::Server> svr_;
  std::thread thread_;
  int port_ = 0;
  int listen_socket_ = -1;
};

// HOST:PORT split; a usage error naming `field` otherwise.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen,
                                                const std::string& field);

}  // namespace captain
