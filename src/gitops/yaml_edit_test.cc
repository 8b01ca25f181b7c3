#include "gitops/yaml_edit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "util/file.h"

namespace captain {
namespace {

const std::string kCorpus = std::string(CAPTAIN_SOURCE_DIR) + "/src/gitops/testdata/yaml/";

std::string Corpus(const std::string& name) {
  auto text = ReadFile(kCorpus + name);
  if (!text) ADD_FAILURE() << text.error().message;
  return text ? *text : std::string();
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(' ');
  size_t e = s.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// One line of cases.txt: input | key path | new value | expected output.
struct GoldenCase {
  std::string input, key, value, expected;
};

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  std::istringstream in(Corpus("cases.txt"));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (size_t pos = 0;;) {
      size_t bar = line.find(" | ", pos);
      f.push_back(Trim(line.substr(pos, bar == std::string::npos ? bar : bar - pos)));
      if (bar == std::string::npos) break;
      pos = bar + 3;
    }
    if (f.size() != 4) {
      ADD_FAILURE() << "cases.txt: malformed line: " << line;
      continue;
    }
    cases.push_back({f[0], f[1], f[2], f[3]});
  }
  return cases;
}

class YamlEditGolden : public testing::TestWithParam<GoldenCase> {};

TEST_P(YamlEditGolden, OnlyTheScalarChanges) {
  const GoldenCase& c = GetParam();
  std::string input = Corpus(c.input);
  auto out = SetScalar(input, c.input, c.key, c.value);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, Corpus(c.expected));
  auto back = GetScalar(*out, c.expected, c.key);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, c.value);
}

std::string CaseName(const testing::TestParamInfo<GoldenCase>& info) {
  std::string name = info.param.expected.substr(0, info.param.expected.find('.'));
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, YamlEditGolden, testing::ValuesIn(LoadCases()), CaseName);

TEST(YamlEditCorpus, EveryInputHasACaseAndLineEndingsSurvivedGit) {
  std::set<std::string> used;
  for (const GoldenCase& c : LoadCases()) used.insert(c.input);
  EXPECT_GE(used.size(), 25u);
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".yaml") {
      EXPECT_TRUE(used.count(name)) << name;
    }
  }
  for (const char* crlf : {"crlf.yaml", "crlf_plain.yaml", "bom_crlf.yaml"}) {
    std::string text = Corpus(crlf);
    EXPECT_NE(text.find("\r\n"), std::string::npos) << crlf;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        EXPECT_EQ(text[i - 1], '\r') << crlf << " byte " << i;
      }
    }
  }
  EXPECT_EQ(Corpus("bom.yaml").substr(0, 3), "\xEF\xBB\xBF");
}

// What libfyaml reports as a scalar's span: byte offsets into the whole input, quotes excluded,
// a BOM and multi-byte characters before it counted in bytes.
TEST(YamlEditSpan, LibfyamlSpansAreBytesWithoutQuotes) {
  struct Case {
    std::string text, key, span;
    ScalarStyle style;
  };
  const Case cases[] = {
      {"tag: abc # c\n", "tag", "abc", ScalarStyle::kPlain},
      {"tag: abc   \n", "tag", "abc", ScalarStyle::kPlain},
      {"tag: 'a''b'\n", "tag", "a''b", ScalarStyle::kSingleQuoted},
      {"tag: \"a\\\"b\"\n", "tag", "a\\\"b", ScalarStyle::kDoubleQuoted},
      {"tag: \"\"\n", "tag", "", ScalarStyle::kDoubleQuoted},
      {"\xEF\xBB\xBFtag: v1\n", "tag", "v1", ScalarStyle::kPlain},
      {"# é✓日本\nx: \"ü\"\ntag: v1\r\n", "tag", "v1", ScalarStyle::kPlain},
      {"i: {r: x, tag: abc}\n", "i.tag", "abc", ScalarStyle::kPlain},
      {"tag: &t abc\n", "tag", "abc", ScalarStyle::kPlain},
      {"tag: !!str abc\n", "tag", "abc", ScalarStyle::kPlain},
      {"tag: abc\n  def\nx: 1\n", "tag", "abc\n  def", ScalarStyle::kPlain},
      {"tag: v1", "tag", "v1", ScalarStyle::kPlain},
  };
  for (const Case& c : cases) {
    auto span = LocateScalar(c.text, "f.yaml", c.key);
    ASSERT_TRUE(span.ok()) << span.error().message;
    EXPECT_EQ(c.text.substr(span->begin, span->end - span->begin), c.span) << c.text;
    EXPECT_EQ(span->style, c.style) << c.text;
    if (c.style != ScalarStyle::kPlain) {
      char quote = c.style == ScalarStyle::kSingleQuoted ? '\'' : '"';
      EXPECT_EQ(c.text[span->begin - 1], quote) << c.text;
      EXPECT_EQ(c.text[span->end], quote) << c.text;
    }
  }
  auto bom = LocateScalar("\xEF\xBB\xBFtag: v1\n", "f", "tag");
  EXPECT_EQ(bom->begin, 8u);
  EXPECT_EQ(bom->line, 1);
  EXPECT_EQ(bom->column, 6);  // the BOM takes no column
  auto utf8 = LocateScalar("k: é✓ x\ntag: v1\n", "f", "tag");
  EXPECT_EQ(utf8->begin, 16u);
  EXPECT_EQ(utf8->line, 2);
  EXPECT_FALSE(LocateScalar("i: {tag: abc}\n", "f", "i.tag")->in_flow == false);
  EXPECT_FALSE(LocateScalar("i:\n  tag: abc\n", "f", "i.tag")->in_flow);
}

void ExpectRefused(const std::string& text, const std::string& key, const std::string& message,
                   const std::string& value = "v9") {
  auto get = GetScalar(text, "values.yaml", key);
  auto set = SetScalar(text, "values.yaml", key, value);
  ASSERT_FALSE(set.ok()) << text;
  EXPECT_EQ(set.error().code, ExitCode::kUsage);
  EXPECT_EQ(set.error().message, message);
  if (message.find("new value") == std::string::npos) {
    ASSERT_FALSE(get.ok()) << text;
    EXPECT_EQ(get.error().message, message);
  }
}

TEST(YamlEditRefusal, MissingKeyPointsAtTheDeepestParent) {
  ExpectRefused("image:\n  repository: x\n", "image.tag",
                "values.yaml:1:1: image.tag: key 'tag' not found in 'image'");
  ExpectRefused("# values\n\nname: api\n", "image.tag",
                "values.yaml:3:1: image.tag: key 'image' not found in the document");
  ExpectRefused("a:\n  b:\n    c: 1\n", "a.b.d.e",
                "values.yaml:2:3: a.b.d.e: key 'd' not found in 'a.b'");
  ExpectRefused("containers:\n  - name: api\n", "containers.1.image",
                "values.yaml:1:1: containers.1.image: index 1 is out of range ('containers' has 1 "
                "item)");
  ExpectRefused("containers:\n  - name: api\n", "containers.0.image",
                "values.yaml:2:5: containers.0.image: key 'image' not found in 'containers.0'");
  ExpectRefused(
      "containers:\n  - name: api\n", "containers.api",
      "values.yaml:1:1: containers.api: 'containers' is a sequence; 'api' is not an index");
  ExpectRefused("image: v1\n", "image.tag",
                "values.yaml:1:1: image.tag: 'image' is a scalar, not a mapping");
  ExpectRefused("image:\n", "image.tag", "values.yaml:1:1: image.tag: 'image' is empty");
  ExpectRefused("", "image.tag", "values.yaml:1:1: image.tag: the file has no YAML document");
  ExpectRefused("---\n...\n", "image.tag", "values.yaml:1:1: image.tag: the document is empty");
}

TEST(YamlEditRefusal, Alias) {
  ExpectRefused("base: &b v1\nimage:\n  tag: *b\n", "image.tag",
                "values.yaml:3:8: image.tag: the value is an alias (*b); refusing to edit through "
                "it, edit the anchored value instead");
  ExpectRefused("img: &i {tag: v1}\nimage: *i\n", "image.tag",
                "values.yaml:2:8: image.tag: 'image' is an alias (*i); refusing to edit through "
                "it, edit the anchored value instead");
  ExpectRefused("tags: [&a v1, *a]\n", "tags.1",
                "values.yaml:1:15: tags.1: the value is an alias (*a); refusing to edit through "
                "it, edit the anchored value instead");
}

TEST(YamlEditRefusal, KeyOnlyFromAMergeKey) {
  ExpectRefused("base: &b {tag: v1}\nimage:\n  <<: *b\n  repo: x\n", "image.tag",
                "values.yaml:3:3: image.tag: key 'tag' is not set in 'image', which has a merge "
                "key (<<); refusing to edit a merged value, edit the anchored mapping instead");
}

TEST(YamlEditRefusal, BlockScalar) {
  ExpectRefused("image:\n  tag: |\n    v1\n", "image.tag",
                "values.yaml:2:8: image.tag: the value is a block scalar (| or >); refusing to "
                "edit it");
  ExpectRefused("image:\n  tag: &t >- # folded\n    v1\n", "image.tag",
                "values.yaml:2:11: image.tag: the value is a block scalar (| or >); refusing to "
                "edit it");
}

TEST(YamlEditRefusal, NotAScalar) {
  ExpectRefused("image:\n  tag:\n    a: 1\n", "image.tag",
                "values.yaml:3:5: image.tag: the value is a mapping, not a scalar");
  ExpectRefused("image:\n  tag: [a, b]\n", "image.tag",
                "values.yaml:2:8: image.tag: the value is a sequence, not a scalar");
  ExpectRefused("image: {repo: x}\n", "image",
                "values.yaml:1:8: image: the value is a mapping, not a scalar");
}

TEST(YamlEditRefusal, NonStringTag) {
  ExpectRefused("image:\n  tag: !!int 5\n", "image.tag",
                "values.yaml:2:14: image.tag: the value is tagged tag:yaml.org,2002:int, not as a "
                "string; refusing to edit it");
  EXPECT_EQ(*SetScalar("a: !!str 5\nb: ! 6\n", "f", "b", "7"), "a: !!str 5\nb: ! \"7\"\n");
}

TEST(YamlEditRefusal, EmptyValue) {
  ExpectRefused("image:\n  tag:\n  repo: x\n", "image.tag",
                "values.yaml:2:3: image.tag: the value is empty (null); there is no scalar to "
                "replace");
}

TEST(YamlEditRefusal, ParseErrorUsesLibfyamlDiagnostics) {
  ExpectRefused("image:\n  tag: v1\n  repo: [x\n", "image.tag",
                "values.yaml:4:1: image.tag: not valid YAML: flow sequence without a closing "
                "bracket");
  ExpectRefused("image:\n  tag: v1\n  tag: v2\n", "image.tag",
                "values.yaml:3:3: image.tag: not valid YAML: duplicate key");
  ExpectRefused("a: 1\nb: \"x\n", "a",
                "values.yaml:2:5: a: not valid YAML: double-quoted scalar without closing quote");
  // A broken later document refuses the file even though the first one has the key.
  ExpectRefused("image:\n  tag: v1\n---\na: b: c\n", "image.tag",
                "values.yaml:4:5: image.tag: not valid YAML: invalid nested block mapping on the "
                "same line");
}

TEST(YamlEditRefusal, BadNewValueAtTheScalar) {
  ExpectRefused("image:\n  tag: v1\n", "image.tag",
                "values.yaml:2:8: image.tag: new value contains a line break (U+000A)", "v1\nv2");
  ExpectRefused("image:\n  tag: 'v1'\n", "image.tag",
                "values.yaml:2:9: image.tag: new value contains a control character (U+0009)",
                "v\t2");
}

TEST(YamlEditRefusal, BadKeyPath) {
  auto r = SetScalar("a: 1\n", "values.yaml", "a..b", "v");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "key path 'a..b': empty segment at column 3");
}

TEST(YamlEditDocuments, FirstDocumentThatHasTheKey) {
  const std::string text =
      "kind: ConfigMap\n---\nimage:\n  repo: x\n---\nimage:\n  tag: v1\n"
      "---\nimage:\n  tag: v2\n";
  EXPECT_EQ(*GetScalar(text, "f", "image.tag"), "v1");
  EXPECT_EQ(LocateScalar(text, "f", "image.tag")->document, 2u);
  EXPECT_EQ(*GetScalar(text, "f", "image.tag", 3), "v2");
  EXPECT_EQ(
      *SetScalar(text, "f", "image.tag", "v9", 3),
      "kind: ConfigMap\n---\nimage:\n  repo: x\n---\nimage:\n  tag: v1\n---\nimage:\n  tag: v9\n");
  auto missing = GetScalar(text, "f", "image.tag", 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "f:3:1: image.tag: key 'tag' not found in 'image'");
  auto none = GetScalar(text, "f", "image.tag", 4);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "f:1:1: image.tag: document 4 does not exist (the file has 4, counted from 0)");
  // Nowhere: the report names the document that got furthest.
  auto nowhere = GetScalar(text, "f", "image.digest");
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().message, "f:3:1: image.digest: key 'digest' not found in 'image'");
}

TEST(YamlEditDocuments, RefusalInTheFirstMatchStopsTheSearch) {
  auto r = GetScalar("image:\n  tag: |\n    v1\n---\nimage:\n  tag: v2\n", "f", "image.tag");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.substr(0, 6), "f:2:8:");
}

TEST(YamlEdit, SameValueLeavesTheTextAlone) {
  const std::string text = "a: \"\\x76\\x31\"\nb: v1\nc: '1.0'\nd: 1.0\n";
  EXPECT_EQ(*SetScalar(text, "f", "a", "v1"), text);
  EXPECT_EQ(*SetScalar(text, "f", "b", "v1"), text);
  EXPECT_EQ(*SetScalar(text, "f", "c", "1.0"), text);
  // A plain 1.0 is a float: setting the string "1.0" quotes it.
  EXPECT_EQ(*SetScalar(text, "f", "d", "1.0"), "a: \"\\x76\\x31\"\nb: v1\nc: '1.0'\nd: \"1.0\"\n");
}

TEST(YamlEdit, GetReturnsUnescapedContent) {
  const std::string text = "a: 'it''s'\nb: \"x\\\"y\\u00e9\"\nc: plain text # c\nd: ~\n";
  EXPECT_EQ(*GetScalar(text, "f", "a"), "it's");
  EXPECT_EQ(*GetScalar(text, "f", "b"), "x\"yé");
  EXPECT_EQ(*GetScalar(text, "f", "c"), "plain text");
  EXPECT_EQ(*GetScalar(text, "f", "d"), "~");
}

}  // namespace
}  // namespace captain
