// A Slack message as captain posts it: Block Kit blocks with a plain-text fallback (what
// notifications, webhooks without blocks and `notify preview` show), and the names that tie
// it to other messages: its own key, the thread it belongs in, the message it updates.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace captain {

struct Message {
  std::string text;
  nlohmann::json blocks = nlohmann::json::array();
  std::string key;         // this message's name ("announce:R1", "step:R1:dev:1a2b3c4")
  std::string thread_key;  // reply in the thread of the message with this key
  std::string update_key;  // replace the message with this key (chat.update)
  std::string user;        // ephemeral: only this Slack user sees it
};

namespace blocks {

nlohmann::json Header(const std::string& text);
nlohmann::json Section(const std::string& mrkdwn);
// A section of two-column fields ("*Label*\nvalue").
nlohmann::json Fields(const std::vector<std::pair<std::string, std::string>>& fields);
nlohmann::json Context(const std::string& mrkdwn);
nlohmann::json Divider();
nlohmann::json Button(const std::string& text, const std::string& action_id,
                      const nlohmann::json& value, const std::string& style = "");
nlohmann::json Actions(const std::string& block_id, const std::vector<nlohmann::json>& buttons);

}  // namespace blocks

// Blocks as plain text, one line per block: what `notify preview` shows and what a channel
// without Block Kit would read. Buttons read "[Opt in]".
std::string BlocksAsText(const nlohmann::json& blocks);

// Escapes &, < and > as Slack's mrkdwn requires (mentions are added after escaping).
std::string SlackEscape(const std::string& s);

}  // namespace captain
