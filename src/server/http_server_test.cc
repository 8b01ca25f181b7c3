// The daemon's HTTP on a raw socket: pipelining in order across the loop and the worker pool,
// connections that hold no worker while they idle or dawdle, the timeout that closes a stalled
// request, Expect: 100-continue, chunked bodies, HEAD, a client that half-closes, and refusals
// in the API's JSON form.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testing/daemon.h"

namespace captain::testing {
namespace {

const char* kSecret = "hook-secret";
const std::string kBearer = "Authorization: Bearer token-alice\r\n";
const std::string kHookBody =
    R"({"app":"vro-cc-app-qa","event":"sync-succeeded","sync_status":"Synced",)"
    R"("health":"Healthy","revision":"55379fe0","message":"ok"})";

// A blocking loopback connection whose reads give up after `seconds`.
class Conn {
 public:
  Conn(int port, int seconds = 10) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Conn() { close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  void ShutWrite() { shutdown(fd_, SHUT_WR); }

  // The next answer: status, head and body ("" and 0 if none came).
  struct Answer {
    int status = 0;
    std::string head, body;
  };
  Answer Next(bool head_only = false) {
    Answer a;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return a;
    }
    a.head = buf_.substr(0, end + 4);
    buf_.erase(0, end + 4);
    a.status = std::stoi(a.head.substr(9, 3));
    size_t length = 0;
    auto cl = a.head.find("Content-Length: ");
    if (cl != std::string::npos && !head_only) length = std::stoul(a.head.substr(cl + 16));
    while (buf_.size() < length) {
      if (!Fill()) return a;
    }
    a.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return a;
  }
  // Whether the server closed the connection (EOF) before the read timeout.
  bool Closed() {
    while (Fill()) {
    }
    return eof_;
  }

 private:
  bool Fill() {
    char tmp[4096];
    ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
    if (n == 0) eof_ = true;
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buf_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(const std::string& server_extra = "") {
    ConfigureServer(box_, server_extra);
    daemon_ = std::make_unique<Daemon>(
        box_, "2026-12-01T16:00:00Z", "serve.log",
        std::vector<std::string>{std::string("CAPTAIN_ARGOCD_WEBHOOK_SECRET=") + kSecret});
    ASSERT_GT(daemon_->port(), 0) << Slurp(daemon_->log());
  }
  void TearDown() override {
    if (daemon_) {
      EXPECT_EQ(daemon_->Stop(), 0);
    }
  }
  int port() const { return daemon_->port(); }
  Sandbox box_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrderAcrossLoopAndWorkers) {
  Start();
  Conn c(port());
  ASSERT_TRUE(c.connected());
  // A store read (worker pool), health (the loop), a second store read, HEAD of health.
  c.Send("GET /api/v1/releases HTTP/1.1\r\n" + kBearer + "\r\nGET /healthz HTTP/1.1\r\n\r\n" +
         "GET /api/v1/releases?limit=1 HTTP/1.1\r\n" + kBearer + "\r\n" +
         "HEAD /healthz HTTP/1.1\r\n\r\nGET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  auto first = c.Next();
  EXPECT_EQ(first.status, 200) << first.head << first.body;
  EXPECT_NE(first.body.find("\"releases\""), std::string::npos) << first.body;
  auto second = c.Next();
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "{\"status\":\"ok\"}\n");
  auto third = c.Next();
  EXPECT_EQ(third.status, 200);
  EXPECT_NE(third.body.find("\"releases\""), std::string::npos) << third.body;
  auto head = c.Next(/*head_only=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_NE(head.head.find("Content-Length: 16\r\n"), std::string::npos) << head.head;
  auto last = c.Next();
  EXPECT_EQ(last.body, "{\"status\":\"ok\"}\n") << "HEAD sent a body";
  EXPECT_NE(last.head.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(c.Closed());
}

TEST_F(HttpServerTest, IdleAndHalfSentConnectionsHoldNoWorker) {
  // Two workers, thirty seconds to send a request: eight clients that send half a request
  // and stop would, with a thread per connection, hold every worker for thirty seconds.
  Start("  threads: 2\n");
  std::vector<std::unique_ptr<Conn>> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(std::make_unique<Conn>(port()));
    ASSERT_TRUE(stalled.back()->connected());
    stalled.back()->Send("POST /api/v1/releases/2026-12-01/health HTTP/1.1\r\n" + kBearer +
                         "Content-Length: 100\r\n\r\n{\"env\":");
  }
  std::vector<std::unique_ptr<Conn>> idle;
  for (int i = 0; i < 8; ++i) idle.push_back(std::make_unique<Conn>(port()));
  Conn c(port(), /*seconds=*/10);
  c.Send("GET /api/v1/releases HTTP/1.1\r\n" + kBearer + "\r\n");
  auto a = c.Next();
  EXPECT_EQ(a.status, 200) << "no answer within 10 s while 16 connections idle or dawdle";
  // The stalled ones are still served once they finish.
  stalled[0]->Send(std::string(93, ' '));
  auto late = stalled[0]->Next();
  EXPECT_EQ(late.status, 400) << late.body;  // `{"env":` and spaces are not JSON
  EXPECT_NE(late.body.find("\"error\""), std::string::npos);
}

TEST_F(HttpServerTest, AStalledRequestIsClosedAfterTheTimeout) {
  Start("  timeout_seconds: 1\n");
  Conn stalled(port(), /*seconds=*/15);
  stalled.Send("GET /api/v1/releases HTTP/1.1\r\nHost: x\r\n");
  auto begun = std::chrono::steady_clock::now();
  EXPECT_TRUE(stalled.Closed()) << "a request that never ends keeps its connection";
  EXPECT_LT(std::chrono::steady_clock::now() - begun, std::chrono::seconds(10));
  Conn fresh(port());
  fresh.Send("GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(fresh.Next().status, 200);
}

TEST_F(HttpServerTest, ExpectContinueAndChunkedBodiesReachTheHook) {
  Start();
  Conn c(port());
  std::string auth = std::string("Authorization: Bearer ") + kSecret + "\r\n";
  c.Send("POST /hooks/argocd HTTP/1.1\r\n" + auth + "Expect: 100-continue\r\nContent-Length: " +
         std::to_string(kHookBody.size()) + "\r\n\r\n");
  auto go = c.Next();
  EXPECT_EQ(go.status, 100) << go.head;
  c.Send(kHookBody);
  auto first = c.Next();
  EXPECT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(nlohmann::json::parse(first.body, nullptr, false).value("accepted", 0), 1);
  std::string chunked =
      "POST /hooks/argocd HTTP/1.1\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n";
  for (size_t at = 0; at < kHookBody.size(); at += 40) {
    std::string part = kHookBody.substr(at, 40);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    chunked += size + part + "\r\n";
  }
  c.Send(chunked + "0\r\n\r\n");
  auto second = c.Next();
  EXPECT_EQ(second.status, 202) << second.body;
  auto j = nlohmann::json::parse(second.body, nullptr, false);
  EXPECT_EQ(j.value("accepted", 0), 2);
  EXPECT_EQ(j.value("service", ""), "vro-cc-app");
}

TEST_F(HttpServerTest, MalformedAndOversizedRequestsGetJsonErrorsThenAClose) {
  Start("  max_body_bytes: 1024\n");
  {
    Conn c(port());
    c.Send("NOT HTTP AT ALL\r\n\r\n");
    auto a = c.Next();
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(nlohmann::json::parse(a.body, nullptr, false)["error"]["code"], "bad-input")
        << a.body;
    EXPECT_TRUE(c.Closed());
  }
  {
    Conn c(port());
    c.Send("POST /api/v1/releases HTTP/1.1\r\n" + kBearer + "Content-Length: 5000\r\n\r\n");
    auto a = c.Next();
    EXPECT_EQ(a.status, 413);
    EXPECT_EQ(nlohmann::json::parse(a.body, nullptr, false)["error"]["code"], "too-large");
    EXPECT_TRUE(c.Closed());
  }
  {
    Conn c(port());
    c.Send("GET / HTTP/1.1\r\n" + std::string(70 * 1024, 'x'));
    EXPECT_EQ(c.Next().status, 431);
  }
  {
    // The whole oversized body sent without waiting (as most clients do): the 413 still
    // arrives, not a reset from a close with the body unread.
    Conn c(port());
    c.Send("POST /api/v1/releases HTTP/1.1\r\n" + kBearer + "Content-Length: 200000\r\n\r\n" +
           std::string(200000, 'b'));
    auto a = c.Next();
    EXPECT_EQ(a.status, 413) << "no answer: the connection was reset";
    EXPECT_TRUE(c.Closed());
  }
}

TEST_F(HttpServerTest, AClientThatStopsSendingStillGetsItsAnswer) {
  Start();
  Conn c(port());
  c.Send("GET /api/v1/releases HTTP/1.1\r\n" + kBearer + "\r\n");
  c.ShutWrite();
  auto a = c.Next();
  EXPECT_EQ(a.status, 200) << a.body;
  EXPECT_TRUE(c.Closed());
}

}  // namespace
}  // namespace captain::testing
