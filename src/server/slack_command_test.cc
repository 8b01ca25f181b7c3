#include "server/slack_command.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

TEST(SlackCommandParse, WordsBecomeRoutesAndFields) {
  auto in = ParseSlackCommand("opt in cc vro-cc-app");
  EXPECT_EQ(in.route, "opt");
  EXPECT_TRUE(in.needs_release);
  EXPECT_EQ(in.fields["services"], nlohmann::json::array({"vro-cc-app"}));
  EXPECT_EQ(ParseSlackCommand("opt out cc").fields["answer"], "out");
  EXPECT_TRUE(ParseSlackCommand("opt out cc svc").route.empty());
  EXPECT_EQ(ParseSlackCommand("signoff cc dev").fields["env"], "dev");
  auto req = ParseSlackCommand("request emergency abc123 a,b fix the thing");
  EXPECT_EQ(req.route, "requests.file");
  EXPECT_EQ(req.fields["services"], nlohmann::json::array({"a", "b"}));
  EXPECT_EQ(req.fields["changelog"], "fix the thing");
  EXPECT_TRUE(ParseSlackCommand("status").status);
  EXPECT_NE(ParseSlackCommand("").reply.find("/captain status"), std::string::npos);
  EXPECT_NE(ParseSlackCommand("launch").reply.find("Unknown command 'launch'"), std::string::npos);
}

}  // namespace
}  // namespace captain
