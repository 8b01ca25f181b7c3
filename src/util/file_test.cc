#include "util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace captain {
namespace {

class FileTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = testing::TempDir() + "captain-file-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  size_t Entries() const {
    return std::distance(std::filesystem::directory_iterator(dir_),
                         std::filesystem::directory_iterator());
  }
  static mode_t Mode(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
  }

  std::string dir_;
};

TEST_F(FileTest, WriteThenReadBinary) {
  std::string data("a\r\nb\0c\xEF\xBB\xBF", 8);
  ASSERT_TRUE(WriteFileAtomic(Path("f.yaml"), data).ok());
  auto back = ReadFile(Path("f.yaml"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, data);
  EXPECT_EQ(Mode(Path("f.yaml")), 0644u);
  EXPECT_EQ(Entries(), 1u);  // no temporary file left behind
}

TEST_F(FileTest, KeepsTheModeOfAnExistingFile) {
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "old").ok());
  ASSERT_EQ(::chmod(Path("f").c_str(), 0750), 0);
  ASSERT_TRUE(WriteFileAtomic(Path("f"), "new").ok());
  EXPECT_EQ(Mode(Path("f")), 0750u);
  EXPECT_EQ(*ReadFile(Path("f")), "new");
}

TEST_F(FileTest, WritesThroughASymlink) {
  ASSERT_TRUE(WriteFileAtomic(Path("target"), "old").ok());
  ASSERT_EQ(::symlink("target", Path("link").c_str()), 0);
  ASSERT_TRUE(WriteFileAtomic(Path("link"), "new").ok());
  EXPECT_TRUE(std::filesystem::is_symlink(Path("link")));
  EXPECT_EQ(*ReadFile(Path("target")), "new");
}

TEST_F(FileTest, ErrorsNameThePath) {
  auto missing = ReadFile(Path("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ExitCode::kOther);
  EXPECT_EQ(missing.error().message, Path("nope") + ": cannot open: No such file or directory");
  auto dir = ReadFile(dir_);
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("cannot read"), std::string::npos);
  Status st = WriteFileAtomic(Path("no/such/dir/f"), "x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ExitCode::kOther);
}

}  // namespace
}  // namespace captain
