#include "app/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace captain {
namespace {

TEST(JsonWriterTest, WritesWhatAJsonParserReadsBack) {
  JsonWriter w;
  w.BeginObject().Key("a").String("q\"uote\\ \n\t\x01 caf\xc3\xa9").Key("n").Int(-42);
  w.Key("list").BeginArray().Bool(true).Null().BeginObject().EndObject().BeginArray().EndArray();
  w.EndArray().Key("none").StringOrNull("").Key("bad").String("Jos\xe9").EndObject();
  auto j = nlohmann::json::parse(w.str());
  EXPECT_EQ(j["a"], "q\"uote\\ \n\t\x01 caf\xc3\xa9");
  EXPECT_EQ(j["n"], -42);
  EXPECT_EQ(j["list"], nlohmann::json::parse(R"([true, null, {}, []])"));
  EXPECT_TRUE(j["none"].is_null());
  EXPECT_EQ(j["bad"], "Jos\xef\xbf\xbd");  // U+FFFD for the byte that is not UTF-8
}

}  // namespace
}  // namespace captain
