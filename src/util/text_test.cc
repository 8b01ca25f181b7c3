#include "util/text.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

TEST(TextTest, Utf8IsCheckedByTheStandardsRules) {
  EXPECT_TRUE(IsUtf8("Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80"));
  EXPECT_FALSE(IsUtf8("Jos\xe9"));           // Latin-1
  EXPECT_FALSE(IsUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsUtf8("\xe2\x82"));          // cut short
}

TEST(TextTest, ControlCharactersAreEscapedForTheTerminal) {
  EXPECT_EQ(EscapeControls("a\x1b[2Jb\n"), "a\\x1B[2Jb\n");
  EXPECT_EQ(EscapeControls("a\nb", /*keep_newlines=*/false), "a\\x0Ab");
  EXPECT_EQ(EscapeControls("caf\xc3\xa9 \xc2\x9b"), "caf\xc3\xa9 \\xC2\\x9B");  // C1 CSI
  EXPECT_EQ(EscapeControls("Jos\xe9"), "Jos\\xE9");
  EXPECT_TRUE(HasControl("x\ty", /*allow_newlines=*/false));
  EXPECT_FALSE(HasControl("x\ty"));
  EXPECT_TRUE(HasControl("\x7f"));
}

}  // namespace
}  // namespace captain
