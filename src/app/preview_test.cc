// `captain notify preview`: every event of the catalogue renders, with Block Kit and a text
// fallback; a wrong event lists them all.
#include <gtest/gtest.h>

#include "notify/catalogue.h"
#include "testing/cli_fixture.h"

namespace captain {
namespace {

class PreviewTest : public testing::CliTest {};

TEST_F(PreviewTest, EveryEventRendersAndAWrongOneListsThem) {
  for (const auto& event : catalogue::EventNames()) {
    auto j = Ok("2026-12-01T12:00:00Z", {"notify", "preview", event});
    EXPECT_EQ(j["event"], event);
    EXPECT_FALSE(j["text"].get<std::string>().empty()) << event;
    ASSERT_TRUE(j["blocks"].is_array()) << event << ": " << j["blocks"].dump();
    EXPECT_FALSE(j["blocks"].empty()) << event;
    for (const auto& b : j["blocks"]) EXPECT_TRUE(b.contains("type")) << event << ": " << b.dump();
    EXPECT_FALSE(j["as_text"].get<std::string>().empty()) << event;
  }
  auto announce = Ok("2026-12-01T12:00:00Z", {"notify", "preview", "announce"});
  EXPECT_NE(announce["as_text"].get<std::string>().find("[Opt in] [Opt out]"), std::string::npos);
  auto wrong = Exits(2, "2026-12-01T12:00:00Z", {"notify", "preview", "launch"});
  EXPECT_NE(wrong.err.find("one of: announce, opt-closed"), std::string::npos) << wrong.err;
  // The positional argument is named as the usage names it.
  EXPECT_EQ(wrong.err.rfind("captain: EVENT: unknown event 'launch'", 0), 0u) << wrong.err;
}

}  // namespace
}  // namespace captain
