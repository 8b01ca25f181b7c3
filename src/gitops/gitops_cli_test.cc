// Runs the real captain binary: gitops get-tag / set-tag on files in a fresh directory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/file.h"

namespace captain {
namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
};

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

class GitopsCli : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "captain-gitops-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string Write(const std::string& name, const std::string& text) {
    EXPECT_TRUE(WriteFileAtomic(Path(name), text).ok());
    return Path(name);
  }

  CliRun Captain(const std::vector<std::string>& args) {
    std::string cmd = ShellQuote(CAPTAIN_BIN);
    for (const std::string& a : args) cmd += " " + ShellQuote(a);
    cmd += " >" + ShellQuote(Path(".out")) + " 2>" + ShellQuote(Path(".err"));
    int status = std::system(cmd.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(Path(".out")).value();
    r.err = ReadFile(Path(".err")).value();
    std::filesystem::remove(Path(".out"));
    std::filesystem::remove(Path(".err"));
    return r;
  }

  // Names in the directory: a stray temporary file would show up here.
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  static ino_t Inode(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
  }

  std::string dir_;
};

const char kValues[] =
    "# api values\r\nimage:\r\n  repository: ghcr.io/acme/api\r\n  tag: 'v1.0.0' # pinned\r\n"
    "base: &b v0\r\nalias:\r\n  tag: *b\r\n";

TEST_F(GitopsCli, GetTagPrintsTheValue) {
  std::string f = Write("values.yaml", kValues);
  CliRun r = Captain({"gitops", "get-tag", f, "image.tag"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "v1.0.0\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(GitopsCli, GetTagJson) {
  std::string f = Write("values.yaml", kValues);
  for (auto args : {std::vector<std::string>{"--json", "gitops", "get-tag", f, "image.tag"},
                    std::vector<std::string>{"gitops", "get-tag", f, "image.tag", "--json"}}) {
    CliRun r = Captain(args);
    ASSERT_EQ(r.code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["file"], f);
    EXPECT_EQ(j["key"], "image.tag");
    EXPECT_EQ(j["value"], "v1.0.0");
  }
}

TEST_F(GitopsCli, SetTagEditsInPlaceKeepingModeAndBytes) {
  std::string f = Write("values.yaml", kValues);
  ASSERT_EQ(::chmod(f.c_str(), 0640), 0);
  CliRun r = Captain({"gitops", "set-tag", f, "image.tag", "v1.1.0"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, f + ": image.tag: v1.0.0 -> v1.1.0\n");
  std::string expected = kValues;
  expected.replace(expected.find("v1.0.0"), 6, "v1.1.0");
  EXPECT_EQ(ReadFile(f).value(), expected);
  struct stat st;
  ASSERT_EQ(::stat(f.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(Names(), std::vector<std::string>{"values.yaml"});
}

TEST_F(GitopsCli, SetTagJsonAndQuoting) {
  std::string f = Write("values.yaml", "image:\n  tag: v1\n");
  CliRun r = Captain({"--json", "gitops", "set-tag", f, "image.tag", "1.10"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["old_value"], "v1");
  EXPECT_EQ(j["value"], "1.10");
  EXPECT_EQ(j["changed"], true);
  EXPECT_EQ(ReadFile(f).value(), "image:\n  tag: \"1.10\"\n");
}

TEST_F(GitopsCli, SameValueDoesNotRewrite) {
  std::string f = Write("values.yaml", kValues);
  ino_t before = Inode(f);
  CliRun r = Captain({"gitops", "set-tag", f, "image.tag", "v1.0.0"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, f + ": image.tag is already v1.0.0; file not rewritten\n");
  EXPECT_EQ(Inode(f), before);  // a rewrite would have renamed a new file into place
  EXPECT_EQ(ReadFile(f).value(), kValues);
}

TEST_F(GitopsCli, RefusalExitsTwoAndLeavesTheFileAlone) {
  std::string f = Write("values.yaml", kValues);
  ino_t before = Inode(f);
  struct Case {
    std::vector<std::string> args;
    std::string where;
  };
  const Case cases[] = {
      {{"gitops", "set-tag", f, "alias.tag", "v2"}, f + ":7:8: alias.tag: the value is an alias"},
      {{"gitops", "set-tag", f, "image.digest", "v2"}, f + ":2:1: image.digest: key 'digest'"},
      {{"gitops", "set-tag", f, "image", "v2"}, f + ":3:3: image: the value is a mapping"},
      {{"gitops", "set-tag", f, "image.tag", "a\nb"}, f + ":4:9: image.tag: new value contains"},
      {{"gitops", "get-tag", f, "image.digest"}, f + ":2:1: image.digest: key 'digest'"},
      {{"gitops", "set-tag", f, "image..tag", "v2"}, "key path 'image..tag': empty segment"},
  };
  for (const Case& c : cases) {
    CliRun r = Captain(c.args);
    EXPECT_EQ(r.code, 2) << c.args[3];
    EXPECT_EQ(r.err.rfind("captain: " + c.where, 0), 0u) << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(ReadFile(f).value(), kValues);
  EXPECT_EQ(Inode(f), before);
  EXPECT_EQ(Names(), std::vector<std::string>{"values.yaml"});
}

TEST_F(GitopsCli, BrokenYamlExitsTwoUntouched) {
  std::string broken = "image:\n  tag: v1\n  repo: [x\n";
  std::string f = Write("broken.yaml", broken);
  CliRun r = Captain({"gitops", "set-tag", f, "image.tag", "v2"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("captain: " + f + ":", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("image.tag: not valid YAML"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(f).value(), broken);
}

TEST_F(GitopsCli, IoErrorsExitOne) {
  CliRun r = Captain({"gitops", "get-tag", Path("missing.yaml"), "image.tag"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "captain: " + Path("missing.yaml") + ": cannot open: No such file or directory\n");
  std::string f = Write("values.yaml", "image:\n  tag: v1\n");
  if (::geteuid() != 0) {  // root may write into a read-only directory
    ASSERT_EQ(::chmod(dir_.c_str(), 0500), 0);
    CliRun w = Captain({"gitops", "set-tag", f, "image.tag", "v2"});
    ASSERT_EQ(::chmod(dir_.c_str(), 0700), 0);
    EXPECT_EQ(w.code, 1) << w.err;
    EXPECT_EQ(ReadFile(f).value(), "image:\n  tag: v1\n");
  }
}

TEST_F(GitopsCli, DocumentOption) {
  std::string f = Write("multi.yaml", "image:\n  tag: a\n---\nimage:\n  tag: b\n");
  CliRun first = Captain({"gitops", "get-tag", f, "image.tag"});
  EXPECT_EQ(first.out, "a\n");
  CliRun second = Captain({"gitops", "set-tag", "--document", "1", f, "image.tag", "c"});
  EXPECT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(ReadFile(f).value(), "image:\n  tag: a\n---\nimage:\n  tag: c\n");
  CliRun bad = Captain({"gitops", "get-tag", f, "image.tag", "--document", "-1"});
  EXPECT_EQ(bad.code, 2);
}

TEST_F(GitopsCli, UsageErrors) {
  EXPECT_EQ(Captain({"gitops"}).code, 2);
  EXPECT_EQ(Captain({"gitops", "get-tag", Path("f.yaml")}).code, 2);
  EXPECT_EQ(Captain({"gitops", "set-tag", Path("f.yaml"), "image.tag"}).code, 2);
  CliRun help = Captain({"gitops", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("set-tag"), std::string::npos);
}

}  // namespace
}  // namespace captain
