// The event loop of HttpServer (one per thread): its connections read, parsed, answered and
// written without blocking; requests that may wait handed to the worker pool and their answers
// taken back through an eventfd.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/api.h"
#include "server/http_server.h"
#include "server/http_wire.h"

namespace captain {

// An answer on the wire: its head, then its body (its own or the view cache's, not copied).
struct Outgoing {
  std::string head;
  std::string body;
  std::shared_ptr<const std::string> shared;
  bool close = false;   // the connection is closed once this is written
  bool linger = false;  // and the client's unread bytes drained first (an error answer)
  std::string_view Body() const {
    return shared ? std::string_view(*shared) : std::string_view(body);
  }
};

// The answer to `r` as it goes out: an ETag (the body's hash) on a GET's 200 and 304 when the
// client has it already, no body for HEAD.
Outgoing Render(const HttpRequest& r, HttpAnswer a, bool keep_alive);

class HttpServer::Workers {
 public:
  explicit Workers(int n);
  ~Workers();
  void Post(std::function<void()> task);
  // Waits for the tasks running; the ones not started are dropped.
  void Stop();

 private:
  void Run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

struct LoopSettings {
  WireLimits limits;
  std::chrono::seconds timeout{30};  // to send a whole request, or take an answer's bytes
  std::chrono::seconds idle{5};      // between requests on a kept-alive connection
  int max_connections = 1024;        // open at once, all loops together; more are closed
};

class HttpServer::Loop {
 public:
  // `open` counts the connections of every loop of the server.
  Loop(Api& api, Workers& workers, const LoopSettings& settings, std::atomic<int>& open);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  Status Init();
  // This loop accepts on `fd` (and closes it when it stops) and hands the connections to `all`
  // in turn.
  void Accept(int fd, std::vector<Loop*> all);
  // Serves until Stop and its connections are answered (or `timeout` passed).
  void Run();
  // From any thread.
  void Stop();
  void Adopt(int fd);
  void Complete(uint64_t id, Outgoing out);

 private:
  struct Conn;
  using Clock = std::chrono::steady_clock;

  void Wake();
  void OnWake();
  void OnListen();
  void Open(int fd);
  void Close(uint64_t id);
  // Reads what the socket has; false if the connection was closed.
  bool Read(Conn& c);
  // Parses and answers what is read while nothing is pending; false if closed.
  bool Advance(Conn& c);
  void Dispatch(Conn& c, HttpRequest req, bool keep_alive);
  // Writes what is pending; false if the connection was closed (or now only drains).
  bool Flush(Conn& c);
  void Watch(Conn& c);
  void Sweep(Clock::time_point now);
  void BeginStop();

  Api& api_;
  Workers& workers_;
  LoopSettings settings_;
  std::atomic<int>& open_;
  int epoll_ = -1;
  int wake_ = -1;
  int listen_ = -1;
  bool listen_paused_ = false;  // out of descriptors: accepting again at the next sweep
  std::vector<Loop*> peers_;
  size_t next_peer_ = 0;
  uint64_t next_id_ = 2;  // 0: the eventfd, 1: the listening socket
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;
  bool stopping_ = false;
  Clock::time_point stop_by_;

  std::mutex mu_;  // guards what other threads hand over
  bool stop_asked_ = false;
  std::vector<int> adopted_;
  std::vector<std::pair<uint64_t, Outgoing>> done_;
};

}  // namespace captain
