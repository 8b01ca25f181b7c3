#include "server/http_loop.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace captain {
namespace {

constexpr uint64_t kWakeId = 0;
constexpr uint64_t kListenId = 1;
constexpr size_t kReadChunk = 64 * 1024;

}  // namespace

// ---- the worker pool ----

HttpServer::Workers::Workers(int n) {
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Run(); });
}

HttpServer::Workers::~Workers() { Stop(); }

void HttpServer::Workers::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void HttpServer::Workers::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    tasks_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void HttpServer::Workers::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !tasks_.empty(); });
      if (stop_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

// ---- a connection ----

struct HttpServer::Loop::Conn {
  uint64_t id = 0;
  int fd = -1;
  std::string in;              // read, not parsed yet
  size_t need = 0;             // parse again once `in` has this many bytes
  WireProgress progress;       // of the request being read
  bool draining = false;       // an error was answered: what comes is read and dropped
  bool continued = false;      // "100 Continue" sent for the request being read
  std::deque<Outgoing> out;    // to write, in order
  size_t sent = 0;             // bytes of out.front() written
  bool busy = false;           // a worker has its request
  bool eof = false;            // the client sends no more
  uint32_t events = 0;         // what epoll watches
  Clock::time_point deadline;  // closed then unless busy
};

HttpServer::Loop::Loop(Api& api, Workers& workers, const LoopSettings& settings,
                       std::atomic<int>& open)
    : api_(api), workers_(workers), settings_(settings), open_(open) {}

HttpServer::Loop::~Loop() {
  for (auto& [id, c] : conns_) ::close(c->fd);
  open_ -= static_cast<int>(conns_.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : adopted_) ::close(fd);
    open_ -= static_cast<int>(adopted_.size());
  }
  if (listen_ >= 0) ::close(listen_);
  if (wake_ >= 0) ::close(wake_);
  if (epoll_ >= 0) ::close(epoll_);
}

Status HttpServer::Loop::Init() {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0) {
    return OtherError(std::string("cannot start the HTTP loop: ") + std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  return {};
}

void HttpServer::Loop::Accept(int fd, std::vector<Loop*> all) {
  listen_ = fd;
  peers_ = std::move(all);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenId;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, listen_, &ev);
}

void HttpServer::Loop::Wake() {
  uint64_t one = 1;
  (void)::write(wake_, &one, sizeof one);
}

void HttpServer::Loop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_asked_ = true;
  }
  Wake();
}

void HttpServer::Loop::Adopt(int fd) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    adopted_.push_back(fd);
  }
  Wake();
}

void HttpServer::Loop::Complete(uint64_t id, Outgoing out) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_.emplace_back(id, std::move(out));
  }
  Wake();
}

void HttpServer::Loop::Run() {
  epoll_event events[128];
  auto last_sweep = Clock::now();
  for (;;) {
    int n = epoll_wait(epoll_, events, 128, 250);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      uint64_t id = events[i].data.u64;
      if (id == kWakeId) {
        OnWake();
        continue;
      }
      if (id == kListenId) {
        OnListen();
        continue;
      }
      auto it = conns_.find(id);
      if (it == conns_.end()) continue;
      Conn& c = *it->second;
      uint32_t e = events[i].events;
      if ((e & (EPOLLERR | EPOLLHUP)) && !(e & EPOLLIN)) {
        Close(id);
        continue;
      }
      if ((e & EPOLLIN) && !Read(c)) continue;
      Advance(c);  // writes what is pending, then answers what is read
    }
    auto now = Clock::now();
    if (now - last_sweep >= std::chrono::milliseconds(250)) {
      Sweep(now);
      last_sweep = now;
    }
    if (stopping_ && (conns_.empty() || now >= stop_by_)) break;
  }
}

void HttpServer::Loop::OnWake() {
  uint64_t count;
  (void)::read(wake_, &count, sizeof count);
  std::vector<int> adopted;
  std::vector<std::pair<uint64_t, Outgoing>> done;
  bool stop;
  {
    std::lock_guard<std::mutex> lock(mu_);
    adopted.swap(adopted_);
    done.swap(done_);
    stop = stop_asked_;
  }
  for (int fd : adopted) Open(fd);
  for (auto& [id, out] : done) {
    auto it = conns_.find(id);
    if (it == conns_.end()) continue;  // the client went away meanwhile
    Conn& c = *it->second;
    c.busy = false;
    if (stopping_) out.close = true;
    c.out.push_back(std::move(out));
    Advance(c);
  }
  if (stop && !stopping_) BeginStop();
}

void HttpServer::Loop::OnListen() {
  for (int i = 0; i < 64; ++i) {
    int fd = accept4(listen_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: stop listening until the sweep, so the loop does not spin.
        epoll_ctl(epoll_, EPOLL_CTL_DEL, listen_, nullptr);
        listen_paused_ = true;
      }
      return;
    }
    if (open_.load() >= settings_.max_connections) {
      ::close(fd);  // full: the client may try again
      continue;
    }
    ++open_;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Loop* to = peers_[next_peer_++ % peers_.size()];
    if (to == this) {
      Open(fd);
    } else {
      to->Adopt(fd);
    }
  }
}

void HttpServer::Loop::Open(int fd) {
  if (stopping_) {
    ::close(fd);
    --open_;
    return;
  }
  auto c = std::make_unique<Conn>();
  c->id = next_id_++;
  c->fd = fd;
  c->deadline = Clock::now() + settings_.idle;  // for its first byte
  c->events = EPOLLIN;
  epoll_event ev{};
  ev.events = c->events;
  ev.data.u64 = c->id;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    ::close(fd);
    --open_;
    return;
  }
  conns_.emplace(c->id, std::move(c));
}

void HttpServer::Loop::Close(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  ::close(it->second->fd);  // leaves the epoll set with it
  conns_.erase(it);
  --open_;
}

bool HttpServer::Loop::Read(Conn& c) {
  thread_local char buf[kReadChunk];
  ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
    Close(c.id);
    return false;
  }
  if (n == 0) {
    // The client is done sending: what it sent is still answered, then the connection closed.
    c.eof = true;
    if (c.in.empty() && !c.busy && c.out.empty()) {
      Close(c.id);
      return false;
    }
    return true;
  }
  if (c.draining) return true;  // dropped until the client closes, or the deadline
  if (c.in.empty()) c.deadline = Clock::now() + settings_.timeout;  // a request begins
  c.in.append(buf, static_cast<size_t>(n));
  return true;
}

bool HttpServer::Loop::Advance(Conn& c) {
  // One request at a time: the next is parsed once the answer before it is written.
  if (c.draining) {
    if (c.eof) Close(c.id);
    return !c.eof;
  }
  for (;;) {
    if (!Flush(c)) return false;
    if (c.busy || !c.out.empty() || c.in.empty() || c.in.size() < c.need) break;
    WireRequest w;
    ParseOutcome o = ParseRequest(c.in, settings_.limits, w, c.progress);
    if (o.kind == ParseOutcome::kNeedMore) {
      c.need = o.need;
      if (o.expect_continue && !c.continued) {
        c.continued = true;
        c.out.push_back({"HTTP/1.1 100 Continue\r\n\r\n", "", nullptr, false});
        if (!Flush(c)) return false;
      }
      break;
    }
    if (o.kind == ParseOutcome::kError) {
      c.in.clear();
      c.need = 0;
      c.out.push_back(
          Render(HttpRequest{}, Api::ErrorAnswer(o.status, UsageError(o.message)), false));
      c.out.back().linger = true;
      continue;
    }
    c.in.erase(0, o.consumed);
    c.need = 0;
    c.continued = false;
    Dispatch(c, std::move(w.req), w.keep_alive && !stopping_ && !c.eof);
  }
  // A client that sends no more is closed once nothing it sent can still be answered.
  if (c.eof && !c.busy && c.out.empty()) {
    Close(c.id);
    return false;
  }
  Watch(c);
  return true;
}

void HttpServer::Loop::Dispatch(Conn& c, HttpRequest req, bool keep_alive) {
  RouteMatch m = MatchRoute(req.method, req.path);
  if (m.route && AnswersAtOnce(*m.route)) {
    HttpAnswer a = api_.Handle(req, m);
    c.out.push_back(Render(req, std::move(a), keep_alive));
    return;
  }
  c.busy = true;
  workers_.Post([this, id = c.id, req = std::move(req), m = std::move(m), keep_alive] {
    HttpAnswer a = api_.Handle(req, m);
    Complete(id, Render(req, std::move(a), keep_alive));
  });
}

bool HttpServer::Loop::Flush(Conn& c) {
  while (!c.out.empty()) {
    const Outgoing& o = c.out.front();
    std::string_view body = o.Body();
    iovec iov[2];
    int count = 0;
    size_t sent = c.sent;
    if (sent < o.head.size()) {
      iov[count++] = {const_cast<char*>(o.head.data()) + sent, o.head.size() - sent};
      sent = 0;
    } else {
      sent -= o.head.size();
    }
    if (sent < body.size())
      iov[count++] = {const_cast<char*>(body.data()) + sent, body.size() - sent};
    if (c.sent == 0) c.deadline = Clock::now() + settings_.timeout;  // for the whole answer
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = count == 0 ? 0 : ::sendmsg(c.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
      Close(c.id);
      return false;
    }
    c.sent += static_cast<size_t>(n);
    if (c.sent < o.head.size() + body.size()) continue;
    bool close = o.close, linger = o.linger;
    c.out.pop_front();
    c.sent = 0;
    if (linger && !c.eof) {
      // Closing now, with the client's request still arriving, would reset the connection and
      // lose the answer: stop sending, then read and drop for a moment before closing.
      ::shutdown(c.fd, SHUT_WR);
      c.draining = true;
      c.out.clear();
      c.deadline = Clock::now() + std::chrono::seconds(2);
      Watch(c);
      return false;
    }
    if (close) {
      Close(c.id);
      return false;
    }
    if (c.out.empty() && c.in.empty()) c.deadline = Clock::now() + settings_.idle;
  }
  return true;
}

void HttpServer::Loop::Watch(Conn& c) {
  uint32_t want = !c.out.empty() ? EPOLLOUT : (c.busy || c.eof) ? 0u : EPOLLIN;
  if (c.draining) want = EPOLLIN;
  if (want == c.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = c.id;
  epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  c.events = want;
}

void HttpServer::Loop::Sweep(Clock::time_point now) {
  if (listen_paused_ && !stopping_) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenId;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, listen_, &ev) == 0) listen_paused_ = false;
  }
  std::vector<uint64_t> expired;
  for (const auto& [id, c] : conns_) {
    if (!c->busy && now >= c->deadline) expired.push_back(id);
  }
  for (uint64_t id : expired) Close(id);
}

void HttpServer::Loop::BeginStop() {
  stopping_ = true;
  stop_by_ = Clock::now() + settings_.timeout;
  if (listen_ >= 0) {
    // Closed now, not once the answers in flight are written: new clients are refused (and
    // try another daemon) instead of waiting in the backlog.
    ::close(listen_);
    listen_ = -1;
  }
  listen_paused_ = false;
  // Idle connections go now; the others once their answer is written.
  std::vector<uint64_t> idle;
  for (const auto& [id, c] : conns_) {
    if (!c->busy && c->out.empty()) idle.push_back(id);
    for (auto& o : c->out) o.close = true;
  }
  for (uint64_t id : idle) Close(id);
}

}  // namespace captain
