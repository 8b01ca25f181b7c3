// Test helper: a fake Slack Web API on 127.0.0.1 that records every call. chat.postMessage
// answers like Slack (a channel id per name, a ts per message) and keeps the message with its
// metadata; conversations.history returns them. Scripted failures come first: an HTTP status
// (500, 429 with Retry-After), a Slack error, or a stall longer than the client waits.
// chat.update, chat.postEphemeral, usergroups.users.list and incoming webhooks
// (POST /hooks/NAME) are recorded too.
#pragma once

#include <httplib.h>

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace captain::testing {

class FakeSlack {
 public:
  struct Call {
    std::string method;
    std::string authorization;
    nlohmann::json body;
  };
  struct Failure {
    int status = 500;         // 0: stall (no answer for `stall_ms`)
    int retry_after = 0;      // with 429
    std::string slack_error;  // set: HTTP 200 with {"ok": false, "error": …}
    int stall_ms = 0;
  };

  FakeSlack() {
    svr_.Post(R"(/api/([a-zA-Z.]+))", [this](const httplib::Request& req, httplib::Response& res) {
      Handle(req.matches[1], req, res);
    });
    svr_.Post(R"(/hooks/([a-z0-9-]+))",
              [this](const httplib::Request& req, httplib::Response& res) {
                std::lock_guard<std::mutex> lock(mu_);
                std::string name = req.matches[1];
                if (name == "gone") {
                  res.status = 404;
                  res.set_content("no_service", "text/plain");
                  return;
                }
                webhooks_.push_back(
                    {{"hook", name}, {"body", nlohmann::json::parse(req.body, nullptr, false)}});
                res.set_content("ok", "text/plain");
              });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
  }
  ~FakeSlack() {
    svr_.stop();
    thread_.join();
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }
  // The URL of incoming webhook NAME ("gone" answers 404 no_service).
  std::string webhook(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/" + name;
  }
  void SetGroupMembers(const std::string& group, std::vector<std::string> users) {
    std::lock_guard<std::mutex> lock(mu_);
    groups_[group] = std::move(users);
  }
  // chat.update calls accepted: {channel id, ts, text, blocks}.
  std::vector<nlohmann::json> updates() const {
    std::lock_guard<std::mutex> lock(mu_);
    return updates_;
  }
  // chat.postEphemeral calls: {channel, user, text}.
  std::vector<nlohmann::json> ephemerals() const {
    std::lock_guard<std::mutex> lock(mu_);
    return ephemerals_;
  }
  // Incoming-webhook posts: {hook, body}.
  std::vector<nlohmann::json> webhook_posts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return webhooks_;
  }
  // The next chat.postMessage calls fail this way, in order.
  void FailNext(Failure f) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_.push_back(f);
  }
  // Every post to this channel name answers this Slack error ("": accepted again).
  void RefuseChannel(const std::string& name, const std::string& error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error.empty()) {
      refused_.erase(name);
    } else {
      refused_[name] = error;
    }
  }
  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // Messages posted (accepted), in order: {channel name, text, outbox id}.
  std::vector<nlohmann::json> posted() const {
    std::lock_guard<std::mutex> lock(mu_);
    return posted_;
  }

 private:
  void Handle(const std::string& method, const httplib::Request& req, httplib::Response& res) {
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    Failure f;
    bool fail = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back({method, req.get_header_value("Authorization"), body});
      if (method == "chat.postMessage" && !failures_.empty()) {
        f = failures_.front();
        failures_.pop_front();
        fail = true;
      }
    }
    if (fail && f.status == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(f.stall_ms));
      res.status = 200;
      res.set_content(R"({"ok": true, "ts": "stalled"})", "application/json");
      return;
    }
    if (fail && f.slack_error.empty()) {
      res.status = f.status;
      if (f.retry_after) res.set_header("Retry-After", std::to_string(f.retry_after));
      res.set_content("{}", "application/json");
      return;
    }
    nlohmann::json answer;
    std::lock_guard<std::mutex> lock(mu_);
    if (method == "chat.postMessage") {
      std::string name = body.value("channel", "");
      if (fail) {
        answer = {{"ok", false}, {"error", f.slack_error}};
      } else if (refused_.count(name)) {
        answer = {{"ok", false}, {"error", refused_[name]}};
      } else {
        std::string id = "C" + std::to_string(std::hash<std::string>{}(name) % 100000);
        ids_[name] = id;
        std::string ts = std::to_string(1700000000 + ++seq_) + ".000100";
        nlohmann::json msg = {{"ts", ts}, {"text", body.value("text", "")}};
        if (body.contains("metadata")) msg["metadata"] = body["metadata"];
        history_[id].push_back(msg);
        posted_.push_back({{"channel", name},
                           {"channel_id", id},
                           {"ts", ts},
                           {"text", body.value("text", "")},
                           {"thread_ts", body.value("thread_ts", "")},
                           {"blocks", body.value("blocks", nlohmann::json::array())},
                           {"outbox_id", body["metadata"]["event_payload"]["outbox_id"]}});
        answer = {{"ok", true}, {"channel", id}, {"ts", ts}};
      }
    } else if (method == "chat.update") {
      std::string channel = body.value("channel", ""), ts = body.value("ts", "");
      bool found = false;
      for (auto& m : history_[channel]) {
        if (m["ts"] == ts) {
          m["text"] = body.value("text", "");
          found = true;
        }
      }
      if (found) {
        updates_.push_back({{"channel", channel},
                            {"ts", ts},
                            {"text", body.value("text", "")},
                            {"blocks", body.value("blocks", nlohmann::json::array())}});
        answer = {{"ok", true}, {"channel", channel}, {"ts", ts}};
      } else {
        answer = {{"ok", false}, {"error", "message_not_found"}};
      }
    } else if (method == "chat.postEphemeral") {
      ephemerals_.push_back({{"channel", body.value("channel", "")},
                             {"user", body.value("user", "")},
                             {"text", body.value("text", "")}});
      answer = {{"ok", true}, {"message_ts", std::to_string(1700000000 + ++seq_) + ".000200"}};
    } else if (method == "usergroups.users.list") {
      auto it = groups_.find(body.value("usergroup", ""));
      answer = it == groups_.end() ? nlohmann::json{{"ok", false}, {"error", "no_such_subteam"}}
                                   : nlohmann::json{{"ok", true}, {"users", it->second}};
    } else if (method == "conversations.list") {
      nlohmann::json channels = nlohmann::json::array();
      for (const auto& [name, id] : ids_) {
        channels.push_back({{"id", id}, {"name", name.substr(name[0] == '#' ? 1 : 0)}});
      }
      answer = {{"ok", true}, {"channels", channels}, {"response_metadata", {{"next_cursor", ""}}}};
    } else if (method == "conversations.history") {
      nlohmann::json messages = nlohmann::json::array();
      for (auto& m : history_[body.value("channel", "")]) {
        nlohmann::json copy = m;
        if (!body.value("include_all_metadata", false)) copy.erase("metadata");
        messages.push_back(copy);
      }
      answer = {{"ok", true}, {"messages", messages}};
    } else {
      answer = {{"ok", false}, {"error", "unknown_method"}};
    }
    res.set_content(answer.dump(), "application/json");
  }

  httplib::Server svr_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::deque<Failure> failures_;
  std::map<std::string, std::string> refused_;
  std::vector<Call> calls_;
  std::vector<nlohmann::json> posted_;
  std::vector<nlohmann::json> updates_;
  std::vector<nlohmann::json> ephemerals_;
  std::vector<nlohmann::json> webhooks_;
  std::map<std::string, std::vector<std::string>> groups_;
  std::map<std::string, std::vector<nlohmann::json>> history_;
  std::map<std::string, std::string> ids_;  // channel name: id
  int seq_ = 0;
};

}  // namespace captain::testing
