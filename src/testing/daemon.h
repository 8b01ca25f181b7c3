// Test helper: `captain serve` started on a free loopback port of a Sandbox, with one token
// per role, and an HTTP client for it. Stopped with SIGTERM (its exit code checked) at the end.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server/auth.h"
#include "testing/sandbox.h"

namespace captain::testing {

struct Reply {
  int status = 0;
  nlohmann::json json;
  std::string body;
};

// Tokens are "token-<name>"; the names are the audit actors.
struct TestToken {
  std::string name;
  std::string role;
};
inline const std::vector<TestToken>& TestTokens() {
  static const std::vector<TestToken> kTokens = {
      {"alice", "captain"},   {"carol", "captain"},  {"root-admin", "captain"},
      {"ci-bot", "ci"},       {"watcher", "viewer"}, {"vro-lead", "team:vro"},
      {"cc-lead", "team:cc"}, {"ee-lead", "team:ee"}};
  return kTokens;
}

// Adds the server section (tokens, a one-second tick) to the sandbox's configuration.
inline void ConfigureServer(const Sandbox& box, const std::string& extra = "") {
  std::ofstream cfg(box.Path("captain.yaml"), std::ios::app);
  cfg << "\nserver:\n  tick_seconds: 1\n" << extra << "  tokens:\n";
  for (const auto& t : TestTokens()) {
    cfg << "    - {name: " << t.name << ", sha256: " << Sha256Hex("token-" + t.name)
        << ", roles: [\"" << t.role << "\"]}\n";
  }
}

// Polls `done` every 50 ms for up to `seconds`; whether it came true.
template <typename F>
bool Eventually(F done, int seconds = 30) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

class Daemon {
 public:
  // Starts `captain serve --now now` (empty: the real clock) and waits until it listens.
  // `env`: extra environment variables ("CAPTAIN_CRASH_AT=deploy-after-push").
  Daemon(const Sandbox& box, const std::string& now, const std::string& log_name = "serve.log",
         const std::vector<std::string>& env = {}, const std::vector<std::string>& extra = {})
      : log_(box.Path(log_name)) {
    std::vector<std::string> args = {CAPTAIN_BIN, "--config", box.Path("captain.yaml")};
    if (!now.empty()) args.insert(args.end(), {"--now", now});
    args.insert(args.end(), {"serve", "--listen", "127.0.0.1:0"});
    args.insert(args.end(), extra.begin(), extra.end());
    offset_ = Slurp(log_).size();
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = std::fopen(log_.c_str(), "a");
      dup2(fileno(f), 2);
      for (const auto& e : env) putenv(strdup(e.c_str()));
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(CAPTAIN_BIN, argv.data());
      _exit(127);
    }
    for (int i = 0; i < 300 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::string text = Slurp(log_);
      // Text logs say url=http://…, JSON logs "url":"http://…".
      auto at = text.find("http://127.0.0.1:", offset_);
      if (at != std::string::npos) {
        port_ = std::stoi(text.substr(at + 17));
        offset_ = text.size();
      }
    }
  }
  ~Daemon() {
    if (pid_ > 0) Stop();
  }
  // Waits for the process to end by itself (a crash point); returns whether it did.
  bool WaitExit(int seconds) {
    for (int i = 0; i < seconds * 50; ++i) {
      if (Exited()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // Whether the process has ended (without waiting).
  bool Exited() {
    if (pid_ > 0 && waitpid(pid_, &status_, WNOHANG) == pid_) pid_ = -1;
    return pid_ <= 0;
  }
  // After Exited(): whether SIGKILL ended it.
  bool Killed() const { return WIFSIGNALED(status_) && WTERMSIG(status_) == SIGKILL; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& log() const { return log_; }

  // SIGTERM; returns the exit code (-1 if it did not exit by itself).
  int Stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void Kill() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  Reply Send(const std::string& method, const std::string& path, const std::string& who,
             const std::string& body = "") const {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(60, 0);
    httplib::Headers headers;
    if (!who.empty()) headers.emplace("Authorization", "Bearer token-" + who);
    httplib::Result res = method == "GET"
                              ? cli.Get(path.c_str(), headers)
                              : cli.Post(path.c_str(), headers, body, "application/json");
    Reply r;
    if (!res) {
      r.body = "no answer: " + httplib::to_string(res.error());
      return r;
    }
    r.status = res->status;
    r.body = res->body;
    r.json = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
    return r;
  }
  Reply Get(const std::string& path, const std::string& who = "alice") const {
    return Send("GET", path, who);
  }
  Reply Post(const std::string& path, const std::string& who, const nlohmann::json& body) const {
    return Send("POST", path, who, body.dump());
  }

  // Polls GET `path` until `done(reply)` or `seconds` pass; returns the last reply.
  template <typename F>
  Reply WaitFor(const std::string& path, F done, int seconds = 20) const {
    Reply r;
    for (int i = 0; i < seconds * 10; ++i) {
      r = Get(path);
      if (done(r)) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
  }
  // Waits for a job to finish; returns its last state.
  Reply WaitJob(const std::string& job) const {
    return WaitFor(
        "/api/v1/jobs/" + job,
        [](const Reply& r) { return r.status == 200 && r.json.value("state", "") != "running"; },
        120);
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int status_ = 0;
  int port_ = 0;
  size_t offset_ = 0;
};

}  // namespace captain::testing
