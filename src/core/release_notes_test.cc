#include "core/release_notes.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

TEST(ReleaseNotesTest, SortsConventionalCommitsIntoPolicyCategories) {
  struct Case {
    const char* subject;
    const char* category;
    const char* text;
  };
  const Case cases[] = {
      {"feat(api)!: claims by date", "new-features", "claims by date"},
      {"fix: retry BGS timeouts", "bug-fixes", "retry BGS timeouts"},
      {"perf(db): index claims", "performance", "index claims"},
      {"security: bump netty for CVE-2026-1", "security", "bump netty for CVE-2026-1"},
      {"chore: rotate config", "configuration", "rotate config"},
      {"docs: readme", "", "docs: readme"},
      {"Merge pull request #12", "", "Merge pull request #12"},
      {"feat(unclosed: x", "", "feat(unclosed: x"},
  };
  for (const auto& c : cases) {
    auto [category, text] = CategorizeCommit(c.subject);
    EXPECT_EQ(category, c.category) << c.subject;
    EXPECT_EQ(text, c.text) << c.subject;
  }
  auto notes = DraftNotes({"feat: a", "fix: b", "feat: c", "docs: d"});
  EXPECT_EQ(notes["new-features"], (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(notes["bug-fixes"], (std::vector<std::string>{"b"}));
  EXPECT_EQ(notes.size(), 2u);
  EXPECT_EQ(DraftNotes({"docs: d"}).count("signature-refresh"), 1u);
}

}  // namespace
}  // namespace captain
