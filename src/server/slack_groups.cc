#include "server/slack_groups.h"

#include "app/notify.h"

namespace captain {

std::vector<std::string> SlackGroups::GroupsOf(const Config& c, const std::string& user) {
  if (c.slack.groups.empty()) return {};
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (!fetched_once_ || now - fetched_ > std::chrono::minutes(5)) {
    fetched_ = now;
    fetched_once_ = true;
    if (auto slack = SlackFromConfig(c)) {
      for (const auto& g : c.slack.groups) {
        SlackAnswer a = (*slack)->Call("usergroups.users.list", {{"usergroup", g.id}});
        if (!a.reached || !a.body.is_object() || !a.body.value("ok", false)) continue;
        std::set<std::string> users;
        for (const auto& u : a.body.value("users", nlohmann::json::array())) {
          if (u.is_string()) users.insert(u.get<std::string>());
        }
        members_[g.id] = std::move(users);
      }
    }
  }
  std::vector<std::string> out;
  for (const auto& [group, users] : members_) {
    if (users.count(user)) out.push_back(group);
  }
  return out;
}

}  // namespace captain
