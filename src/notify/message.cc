#include "notify/message.h"

namespace captain {
namespace blocks {

using json = nlohmann::json;

json Header(const std::string& text) {
  return {{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", text.substr(0, 150)}}}};
}

json Section(const std::string& mrkdwn) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", mrkdwn.substr(0, 3000)}}}};
}

json Fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  json list = json::array();
  for (const auto& [label, value] : fields) {
    if (list.size() == 10) break;  // Slack's limit per section
    list.push_back({{"type", "mrkdwn"}, {"text", "*" + label + "*\n" + value}});
  }
  return {{"type", "section"}, {"fields", list}};
}

json Context(const std::string& mrkdwn) {
  return {{"type", "context"}, {"elements", json::array({{{"type", "mrkdwn"}, {"text", mrkdwn}}})}};
}

json Divider() { return {{"type", "divider"}}; }

json Button(const std::string& text, const std::string& action_id, const json& value,
            const std::string& style) {
  json b = {{"type", "button"},
            {"text", {{"type", "plain_text"}, {"text", text}}},
            {"action_id", action_id},
            {"value", value.dump()}};
  if (!style.empty()) b["style"] = style;
  return b;
}

json Actions(const std::string& block_id, const std::vector<json>& buttons) {
  return {{"type", "actions"}, {"block_id", block_id}, {"elements", buttons}};
}

}  // namespace blocks

std::string BlocksAsText(const nlohmann::json& list) {
  std::string out;
  auto line = [&](const std::string& s) {
    if (!s.empty()) out += s + "\n";
  };
  for (const auto& b : list) {
    std::string type = b.value("type", "");
    if (type == "header" || (type == "section" && b.contains("text"))) {
      line(b["text"].value("text", ""));
    }
    if (type == "section" && b.contains("fields")) {
      for (const auto& f : b["fields"]) {
        std::string t = f.value("text", "");
        auto nl = t.find('\n');
        if (nl != std::string::npos) t = t.substr(0, nl) + " " + t.substr(nl + 1);
        line(t);
      }
    }
    if (type == "context") {
      for (const auto& e : b["elements"]) line(e.value("text", ""));
    }
    if (type == "divider") line("---");
    if (type == "actions") {
      std::string row;
      for (const auto& e : b["elements"]) {
        row += (row.empty() ? "" : " ") + std::string("[") + e["text"].value("text", "") + "]";
      }
      line(row);
    }
  }
  return out;
}

std::string SlackEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

}  // namespace captain
