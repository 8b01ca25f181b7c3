// Membership of the Slack user groups captain.yaml names (slack.groups), read with
// usergroups.users.list and kept for five minutes: a user acts with the roles of the groups
// it belongs to.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"

namespace captain {

class SlackGroups {
 public:
  // The group ids of slack.groups that `user` belongs to. Without a bot token, or when Slack
  // cannot be asked, the last known membership (none at first).
  std::vector<std::string> GroupsOf(const Config& c, const std::string& user);

 private:
  std::mutex mu_;
  std::map<std::string, std::set<std::string>> members_;  // group: users
  std::chrono::steady_clock::time_point fetched_{};
  bool fetched_once_ = false;
};

}  // namespace captain
