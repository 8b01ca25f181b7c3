#include "gitops/key_path.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

using Segments = std::vector<std::string>;

TEST(KeyPath, SplitsOnDots) {
  EXPECT_EQ(*ParseKeyPath("image.tag"), (Segments{"image", "tag"}));
  EXPECT_EQ(*ParseKeyPath("global.imageTag"), (Segments{"global", "imageTag"}));
  EXPECT_EQ(*ParseKeyPath("tag"), (Segments{"tag"}));
  EXPECT_EQ(*ParseKeyPath("containers.0.image.tag"), (Segments{"containers", "0", "image", "tag"}));
  EXPECT_EQ(*ParseKeyPath("svc-bip_api.x"), (Segments{"svc-bip_api", "x"}));
}

TEST(KeyPath, QuotedSegmentsHoldDotsSlashesAndQuotes) {
  EXPECT_EQ(*ParseKeyPath("\"my.key\".tag"), (Segments{"my.key", "tag"}));
  EXPECT_EQ(*ParseKeyPath("'a/b'.tag"), (Segments{"a/b", "tag"}));
  EXPECT_EQ(*ParseKeyPath("'it''s'.\"say \\\"hi\\\" \\\\\""), (Segments{"it's", "say \"hi\" \\"}));
  EXPECT_EQ(*ParseKeyPath("a.'app.kubernetes.io/name'"), (Segments{"a", "app.kubernetes.io/name"}));
  EXPECT_EQ(*ParseKeyPath("\"\""), (Segments{""}));
}

TEST(KeyPath, BadPathsAreUsageErrors) {
  struct Case {
    const char* path;
    const char* message;
  };
  const Case cases[] = {
      {"", "key path is empty"},
      {".tag", "key path '.tag': empty segment at column 1"},
      {"image.", "key path 'image.': empty segment at column 7"},
      {"image..tag", "key path 'image..tag': empty segment at column 7"},
      {"a/b.tag", "key path 'a/b.tag': '/' must be inside a quoted segment at column 2"},
      {"my key.tag", "key path 'my key.tag': ' ' must be inside a quoted segment at column 3"},
      {"\"my.key.tag", "key path '\"my.key.tag': unterminated quote at column 1"},
      {"'a.b", "key path ''a.b': unterminated quote at column 1"},
      {"\"a\"b", "key path '\"a\"b': expected '.' after a quoted segment at column 4"},
      {"\"a\\nb\"", "key path '\"a\\nb\"': unknown escape at column 3"},
      {"ab'c'", "key path 'ab'c'': ''' must be inside a quoted segment at column 3"},
  };
  for (const Case& c : cases) {
    auto r = ParseKeyPath(c.path);
    ASSERT_FALSE(r.ok()) << c.path;
    EXPECT_EQ(r.error().code, ExitCode::kUsage);
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(KeyPath, FormatQuotesWhatNeedsIt) {
  Segments s{"a", "my.key", "a/b", "say \"hi\"", "0"};
  EXPECT_EQ(FormatKeyPath(s, 5), "a.\"my.key\".\"a/b\".\"say \\\"hi\\\"\".0");
  EXPECT_EQ(FormatKeyPath(s, 1), "a");
  EXPECT_EQ(FormatKeyPath(s, 0), "");
  EXPECT_EQ(*ParseKeyPath(FormatKeyPath(s, 5)), s);
}

TEST(KeyPath, IndexSegments) {
  EXPECT_TRUE(IsIndexSegment("0"));
  EXPECT_TRUE(IsIndexSegment("12"));
  EXPECT_FALSE(IsIndexSegment(""));
  EXPECT_FALSE(IsIndexSegment("-1"));
  EXPECT_FALSE(IsIndexSegment("1a"));
}

}  // namespace
}  // namespace captain
