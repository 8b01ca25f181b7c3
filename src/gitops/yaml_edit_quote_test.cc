// Runs of escaped quotes in a single-quoted value: read as written (libfyaml 0.8 alone reads
// 'v1''''x' as v1''' and leaks on longer runs).
#include <gtest/gtest.h>

#include "gitops/yaml_edit.h"

namespace captain {
namespace {

TEST(YamlEditQuotes, RunsOfEscapedQuotesReadAsWritten) {
  const std::string text = "image:\n  tag: 'v1''''x'  # pinned\n  'odd''''key': 1\n";
  auto tag = GetScalar(text, "values.yaml", "image.tag", std::nullopt);
  ASSERT_TRUE(tag.ok()) << tag.error().message;
  EXPECT_EQ(*tag, "v1''x");
  auto key = GetScalar(text, "values.yaml", "image.\"odd''key\"", std::nullopt);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(*key, "1");
  auto edited = EditScalar(text, "values.yaml", "image.tag", "v2", std::nullopt);
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(edited->old_value, "v1''x");
  EXPECT_EQ(edited->text, "image:\n  tag: 'v2'  # pinned\n  'odd''''key': 1\n");
}

}  // namespace
}  // namespace captain
