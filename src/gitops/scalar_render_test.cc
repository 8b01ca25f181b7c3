#include "gitops/scalar_render.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

TEST(YamlScalarRender, NonStringPlainForms) {
  // clang-format off
  const std::string special[] = {
      // null and bool, YAML 1.1 and 1.2
      "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "NO", "true",
      "True", "TRUE", "false", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
      // ints
      "0", "42", "-7", "+7", "007", "1_000", "0o17", "0x1F", "0XdeadBEEF", "0b1010", "1:30",
      "190:20:30",
      // floats
      "1.0", "1.", ".5", "-1.5", "1e3", "1E-3", "6.8523015e+5", "1_000.5", "1234e56",
      "190:20:30.15", ".inf", "-.inf", "+.Inf", ".NaN", ".nan", "inf", "+Infinity", "nan",
      "0x1p-2",
      // timestamps, merge and value keys
      "2024-01-15", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "<<", "="};
  // clang-format on
  for (const std::string& v : special) {
    EXPECT_TRUE(ResolvesToNonString(v)) << v;
    EXPECT_TRUE(NeedsQuotes(v, /*in_flow=*/false)) << v;
  }
  const char* strings[] = {"1.2.3", "v1.2.3",    "3f1c2ab",    "abc",   "yEs",        "nULL",
                           "TRue",  "1.2.3-rc1", "2024.05.01", "0x",    "0b2",        "1e",
                           "e1",    "..",        "infinite",   "x:y",   "sha256:abc", "a#b",
                           "a-b",   "é",         "2024-01",    "1:2:3x"};
  for (const char* v : strings) EXPECT_FALSE(ResolvesToNonString(v)) << v;
}

TEST(YamlScalarRender, PlainSafety) {
  for (const char* v : {"v1.2.3", "ghcr.io/acme/api:v1", "a b", "a#b", "x:y", "it's", "say\"hi\"",
                        "back\\slash", "é✓", "a,b", "2024.05.01"}) {
    EXPECT_FALSE(NeedsQuotes(v, /*in_flow=*/false)) << v;
  }
  for (const char* v :
       {"",     " a", "a ", "a: b", "a #b", "a:", "-a", "?a", ":a", ",a",  "[a", "]a", "{a", "...",
        "...a", "}a", "#a", "&a",   "*a",   "!a", "|a", ">a", "'a", "\"a", "%a", "@a", "`a"}) {
    EXPECT_TRUE(NeedsQuotes(v, /*in_flow=*/false)) << "'" << v << "'";
  }
  for (const char* v : {"a,b", "a]", "a}", "a[b", "a{b", "x:y"}) {
    EXPECT_TRUE(NeedsQuotes(v, /*in_flow=*/true)) << v;
  }
  EXPECT_FALSE(NeedsQuotes("abc", /*in_flow=*/true));
}

TEST(YamlScalarRender, Replacement) {
  using S = ScalarStyle;
  EXPECT_EQ(RenderReplacement("v2", S::kPlain, false), "v2");
  EXPECT_EQ(RenderReplacement("1.10", S::kPlain, false), "\"1.10\"");
  EXPECT_EQ(RenderReplacement("", S::kPlain, false), "\"\"");
  EXPECT_EQ(RenderReplacement("a\"b\\c: d", S::kPlain, false), "\"a\\\"b\\\\c: d\"");
  EXPECT_EQ(RenderReplacement("a,b", S::kPlain, true), "\"a,b\"");
  EXPECT_EQ(RenderReplacement("it's", S::kSingleQuoted, false), "it''s");
  EXPECT_EQ(RenderReplacement("1.0", S::kSingleQuoted, false), "1.0");
  EXPECT_EQ(RenderReplacement("say \"hi\" \\", S::kDoubleQuoted, false), "say \\\"hi\\\" \\\\");
  EXPECT_EQ(RenderReplacement("it's", S::kDoubleQuoted, false), "it's");
  EXPECT_EQ(RenderReplacement("é✓", S::kDoubleQuoted, false), "é✓");
}

TEST(YamlScalarRender, RefusedValues) {
  struct Case {
    const char* value;
    const char* message;
  };
  const Case cases[] = {
      {"a\nb", "new value contains a line break (U+000A)"},
      {"a\r", "new value contains a line break (U+000D)"},
      {"a\xC2\x85", "new value contains a line break (U+0085)"},
      {"a\xE2\x80\xA8", "new value contains a line break (U+2028)"},
      {"a\tb", "new value contains a control character (U+0009)"},
      {"\x7f", "new value contains a control character (U+007F)"},
      {"\xEF\xBB\xBFv1", "new value contains a byte order mark (U+FEFF)"},
      {"\xC3", "new value is not valid UTF-8"},
      {"\xC0\xAF", "new value is not valid UTF-8"},
      {"\xED\xA0\x80", "new value is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    Status st = CheckScalarValue(c.value);
    ASSERT_FALSE(st.ok()) << c.value;
    EXPECT_EQ(st.error().message, c.message);
    EXPECT_EQ(st.error().code, ExitCode::kUsage);
  }
  EXPECT_TRUE(CheckScalarValue(std::string("a\0b", 3)).ok() == false);
  EXPECT_TRUE(CheckScalarValue("v1.2.3-é✓ 日本").ok());
  EXPECT_TRUE(CheckScalarValue("").ok());
}

}  // namespace
}  // namespace captain
