// Test helper: what the fake Slack received, checked against captain's outbox.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "testing/fake_slack.h"

namespace captain::testing {

// The messages of `outbox` (as `notify list --json` shows them) of these kinds (post, reply,
// update, ephemeral).
inline nlohmann::json OfKind(const nlohmann::json& outbox, std::set<std::string> kinds) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : outbox) {
    if (kinds.count(m["kind"].get<std::string>())) out.push_back(m);
  }
  return out;
}

// Every outbox message posted exactly once, and in outbox order within each channel.
inline void ExpectEachOnceInOrder(const nlohmann::json& all, const FakeSlack& slack) {
  nlohmann::json outbox = OfKind(all, {"post", "reply"});
  auto posted = slack.posted();
  std::map<int64_t, int> times;
  std::map<std::string, int64_t> last;
  for (const auto& p : posted) {
    int64_t id = p["outbox_id"].get<int64_t>();
    ++times[id];
    std::string ch = p["channel"].get<std::string>();
    EXPECT_GT(id, last[ch]) << "out of order in " << ch;
    last[ch] = id;
  }
  EXPECT_EQ(posted.size(), outbox.size());
  for (const auto& m : outbox) {
    EXPECT_EQ(times[m["id"].get<int64_t>()], 1) << m.dump();
  }
}

}  // namespace captain::testing
