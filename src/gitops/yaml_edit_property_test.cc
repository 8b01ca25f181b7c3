// Random YAML files, random edits: the new value reads back and no byte outside the scalar moves.
#include <gtest/gtest.h>
#include <libfyaml.h>

#include <algorithm>
#include <optional>
#include <random>

#include "gitops/yaml_edit.h"

namespace captain {
namespace {

// A value and whether a plain scalar with this text would not read back as that string.
struct Value {
  std::string text;
  bool needs_quotes;
};

const std::vector<Value>& PlainSafeValues() {
  static const std::vector<Value> v = {
      {"v1.2.3", false},
      {"abc", false},
      {"3f1c2ab", false},
      {"a b", false},
      {"é-ü✓", false},
      {"1.2.3-rc1", false},
      {"ghcr.io/acme/api:v1", false},
      {"it's", false},
      {"a#b", false},
      {"2024.05.01", false},
      {"1.0", true},
      {"42", true},
      {"true", true},
      {"yes", true},
      {"no", true},
      {"null", true},
      {"~", true},
      {"0x1F", true},
      {"1e3", true},
      {".inf", true},
      {"2024-01-15", true},
      {"on", true},
      {"Off", true},
      {"1_000", true},
      {"0o17", true},
      {"1:30", true},
  };
  return v;
}

const std::vector<Value>& OtherValues() {
  static const std::vector<Value> v = {
      {"", true},
      {" lead", true},
      {"trail ", true},
      {"a: b", true},
      {"x #y", true},
      {"say \"hi\"", false},
      {"back\\slash", false},
      {"-dash", true},
      {"[x]", true},
      {"{y}", true},
      {"#hash", true},
      {"&amp", true},
      {"*star", true},
      {"!bang", true},
      {"|pipe", true},
      {">gt", true},
      {"%pct", true},
      {"@at", true},
      {"`tick", true},
      {"'q'", true},
      {"\"dq\"", true},
      {"<<", true},
      {"=", true},
      {"a,b", false},
      {"a:", true},
      {"?q", true},
      {":c", true},
  };
  return v;
}

struct Leaf {
  std::vector<std::string> path;
  size_t begin = 0, end = 0;  // the scalar's bytes, quotes excluded
  std::string value;
  bool plain = false;
  bool in_flow = false;
};

class YamlGen {
 public:
  explicit YamlGen(std::mt19937& rng) : rng_(rng) {}

  std::string Generate() {
    nl_ = Chance(0.3) ? "\r\n" : "\n";
    if (Chance(0.1)) out_ += "\xEF\xBB\xBF";
    if (Chance(0.2)) out_ += "# generated values" + nl_;
    if (Chance(0.2)) out_ += "---" + nl_;
    std::vector<std::string> path;
    BlockMap(0, 0, path);
    if (Chance(0.2)) out_ += "# trailing comment" + nl_;
    return out_;
  }
  const std::vector<Leaf>& leaves() const { return leaves_; }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::vector<std::string> Keys(size_t n) {
    std::vector<std::string> pool = {"image", "tag",    "repository", "global",     "a",
                                     "b-c",   "my_key", "x1",         "pullPolicy", "my.key",
                                     "a/b",   "0",      "1",          "é"};
    std::shuffle(pool.begin(), pool.end(), rng_);
    pool.resize(n);
    return pool;
  }

  void Key(const std::string& key) {
    bool quote = key.find_first_of("./") != std::string::npos || Chance(0.1);
    out_ += quote ? "\"" + key + "\"" : key;
    out_ += ":";
  }

  void Comment() {
    static const char* kComments[] = {"# note: keep", "# ☕ café", "#tag: 1.0 # x", "#"};
    out_ += kComments[Pick(4)];
  }

  void BlockMap(int indent, int depth, std::vector<std::string>& path) {
    std::string pad(indent, ' ');
    for (const std::string& key : Keys(1 + Pick(4))) {
      if (Chance(0.15)) out_ += nl_;
      if (Chance(0.15)) {
        out_ += pad;
        Comment();
        out_ += nl_;
      }
      path.push_back(key);
      out_ += pad;
      Key(key);
      if (depth < 3 && Chance(0.35)) {
        if (Chance(0.3)) out_ += " &anc" + std::to_string(leaves_.size());
        if (Chance(0.3)) {
          out_ += "  ";
          Comment();
        }
        out_ += nl_;
        BlockMap(indent + 2, depth + 1, path);
      } else if (Chance(0.15)) {
        out_ += " ";
        FlowMap(path);
        out_ += nl_;
      } else {
        out_ += " ";
        if (Chance(0.1)) out_ += "&s" + std::to_string(leaves_.size()) + " ";
        Scalar(path, /*in_flow=*/false);
        if (Chance(0.3)) {
          out_ += std::string(1 + Pick(3), ' ');
          Comment();
        }
        out_ += nl_;
      }
      path.pop_back();
    }
  }

  void FlowMap(std::vector<std::string>& path) {
    out_ += "{";
    std::vector<std::string> keys = Keys(1 + Pick(3));
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out_ += ", ";
      path.push_back(keys[i]);
      Key(keys[i]);
      out_ += " ";
      Scalar(path, /*in_flow=*/true);
      path.pop_back();
    }
    out_ += "}";
  }

  void Scalar(const std::vector<std::string>& path, bool in_flow) {
    size_t kind = Pick(3);
    const Value& safe = PlainSafeValues()[Pick(PlainSafeValues().size())];
    bool plain = kind == 0 && !(in_flow && safe.text.find_first_of(":,") != std::string::npos);
    Leaf leaf{path, 0, 0, safe.text, plain, in_flow};
    if (!plain) {
      const auto& pool = Chance(0.5) ? OtherValues() : PlainSafeValues();
      leaf.value = pool[Pick(pool.size())].text;
    }
    std::string body;
    char quote = kind == 1 ? '\'' : '"';
    for (char ch : leaf.value) {
      if (plain) {
        body += ch;
      } else if (quote == '\'') {
        body += ch == '\'' ? "''" : std::string(1, ch);
      } else {
        body += (ch == '"' || ch == '\\') ? "\\" + std::string(1, ch) : std::string(1, ch);
      }
    }
    if (!plain) out_ += quote;
    leaf.begin = out_.size();
    out_ += body;
    leaf.end = out_.size();
    if (!plain) out_ += quote;
    leaves_.push_back(std::move(leaf));
  }

  std::mt19937& rng_;
  std::string nl_;
  std::string out_;
  std::vector<Leaf> leaves_;
};

// Independent of the code under test: walks plain libfyaml mappings by key.
std::optional<std::string> LibfyamlValue(const std::string& text,
                                         const std::vector<std::string>& path) {
  fy_parse_cfg cfg{};
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET);
  fy_document* doc = fy_document_build_from_string(&cfg, text.data(), text.size());
  if (!doc) return std::nullopt;
  fy_node* node = fy_document_root(doc);
  for (const std::string& key : path) {
    fy_node* next = nullptr;
    void* it = nullptr;
    while (fy_node_pair* pair = node ? fy_node_mapping_iterate(node, &it) : nullptr) {
      size_t len = 0;
      const char* k = fy_node_get_scalar(fy_node_pair_key(pair), &len);
      if (k && std::string(k, len) == key) next = fy_node_pair_value(pair);
    }
    node = next;
  }
  std::optional<std::string> out;
  size_t len = 0;
  const char* s = node ? fy_node_get_scalar(node, &len) : nullptr;
  if (s) out = std::string(s, len);
  fy_document_destroy(doc);
  return out;
}

Value RandomNewValue(std::mt19937& rng) {
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  switch (pick(4)) {
    case 0:
      return PlainSafeValues()[pick(PlainSafeValues().size())];
    case 1:
      return OtherValues()[pick(OtherValues().size())];
    case 2:
      return {std::to_string(pick(100000)) + (pick(2) ? "." + std::to_string(pick(100)) : ""),
              true};
    default:
      return {"v" + std::to_string(pick(10)) + "." + std::to_string(pick(10)) + "-" +
                  std::string(1 + pick(6), static_cast<char>('a' + pick(26))),
              false};
  }
}

void CheckOneFile(std::mt19937& rng, int iteration) {
  YamlGen gen(rng);
  const std::string text = gen.Generate();
  const std::vector<Leaf>& leaves = gen.leaves();
  ASSERT_FALSE(leaves.empty());
  const Leaf& leaf = leaves[std::uniform_int_distribution<size_t>(0, leaves.size() - 1)(rng)];
  const std::string key = FormatKeyPath(leaf.path, leaf.path.size());
  SCOPED_TRACE("iteration " + std::to_string(iteration) + ", key " + key + ", text:\n" + text);

  auto span = LocateScalar(text, "gen.yaml", key);
  ASSERT_TRUE(span.ok()) << span.error().message;
  EXPECT_EQ(span->begin, leaf.begin);
  EXPECT_EQ(span->end, leaf.end);
  EXPECT_EQ(span->value, leaf.value);

  Value nv = RandomNewValue(rng);
  auto out = SetScalar(text, "gen.yaml", key, nv.text);
  ASSERT_TRUE(out.ok()) << out.error().message;
  const std::string& edited = *out;
  // (a) libfyaml reads the new value there, and every other scalar as before.
  EXPECT_EQ(LibfyamlValue(edited, leaf.path), nv.text) << edited;
  for (const Leaf& other : leaves) {
    if (other.path != leaf.path) {
      EXPECT_EQ(LibfyamlValue(edited, other.path), other.value);
    }
  }
  // (b) the bytes around the span are untouched.
  size_t tail = text.size() - leaf.end;
  ASSERT_GE(edited.size(), leaf.begin + tail);
  EXPECT_EQ(edited.compare(0, leaf.begin, text, 0, leaf.begin), 0);
  EXPECT_EQ(edited.compare(edited.size() - tail, tail, text, leaf.end, tail), 0);
  // A plain scalar keeps its style when that is safe, and gains quotes when it is not.
  if (leaf.plain) {
    std::string written = edited.substr(leaf.begin, edited.size() - tail - leaf.begin);
    bool flow_unsafe = leaf.in_flow && nv.text.find_first_of(",[]{}:") != std::string::npos;
    if (nv.needs_quotes || flow_unsafe) {
      EXPECT_EQ(written.substr(0, 1), "\"") << written;
    } else {
      EXPECT_EQ(written, nv.text);
    }
  }
}

TEST(YamlEditProperty, RandomFilesRandomEdits) {
  for (unsigned seed : {1u, 2u, 3u, 20240521u}) {
    std::mt19937 rng(seed);
    for (int i = 0; i < 100; ++i) {
      CheckOneFile(rng, i);
      if (testing::Test::HasFatalFailure()) {
        FAIL() << "seed " << seed;
      }
    }
  }
}

}  // namespace
}  // namespace captain
