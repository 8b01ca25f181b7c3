#include "util/yaml_quoted.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace captain {
namespace {

TEST(UnquoteSingle, EscapesAndFolding) {
  struct Case {
    const char* raw;
    const char* want;
  } cases[] = {
      {"ab", "ab"},
      {"a''b", "a'b"},
      {"a''''b", "a''b"},  // libfyaml 0.8: a'''
      {"''''''''''x", "'''''x"},
      {"", ""},
      {"  spaced  ", "  spaced  "},
      {"a\n  b", "a b"},
      {"a  \n\n  b", "a\nb"},
      {"a\n\n\n  b\n  c", "a\n\nb c"},
      {"a\n", "a "},
      {"it''s\r\n  here", "it's here"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.raw);
    EXPECT_EQ(UnquoteSingle(c.raw), c.want);
  }
}

// Through the loader: the value read is the one written (and, under LeakSanitizer, nothing
// leaks: libfyaml's own decoding of this value leaked 4 KB).
TEST(UnquoteSingle, TheConfigurationReadsWhatWasWritten) {
  auto cfg = LoadConfigString("timezone: '''''''''''x'\n", "captain.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("unknown time zone ''''''x'"), std::string::npos)
      << cfg.error().message;
  auto quoted = LoadConfigString("timezone: 'America/''New_York'''\n", "captain.yaml");
  ASSERT_FALSE(quoted.ok());
  EXPECT_NE(quoted.error().message.find("unknown time zone 'America/'New_York''"),
            std::string::npos)
      << quoted.error().message;
}

}  // namespace
}  // namespace captain
