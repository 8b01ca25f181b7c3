#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/sandbox.h"

namespace captain {
namespace {

using nlohmann::json;

TEST(DraftNotesCliTest, DraftsFromTheSourceHistoryBetweenDeployedAndCandidate) {
  testing::Sandbox box;
  std::string git = "git -c user.name=dev -c user.email=dev@example.com";
  box.Shell("mkdir src && cd src && git init -q --template= -b develop && " + git +
            " commit -q --allow-empty -m 'feat: first' && " + git +
            " commit -q --allow-empty -m 'fix(bgs): retry timeouts' && " + git +
            " commit -q --allow-empty -m 'docs: readme' && " + git +
            " commit -q --allow-empty -m 'perf: cache claims' && " + git +
            " commit -q --allow-empty -m 'security: bump netty'");
  auto rev = [&](const std::string& r) {
    std::string out = box.Shell("cd src && git rev-parse " + r);
    return out.substr(0, 40);
  };
  std::string base = rev("HEAD~3"), head = rev("HEAD");
  std::ofstream(box.Path("captain.yaml"), std::ios::app)
      << "source: {repo: " << box.Path("src") << ", branch: develop}\n";
  json images = json::array();
  images.push_back({{"service", "vro-cc-app"},
                    {"ref", testing::VroImage("vro-cc-app") + ":" + head.substr(0, 7)},
                    {"digest", "sha256:" + std::string(64, 'b')},
                    {"scan", "passed"},
                    {"signed", true},
                    {"signed_at", "2026-12-01T11:42:00Z"}});
  std::ofstream(box.Path("run.json")) << json({{"run_id", "r1"},
                                               {"commit", head},
                                               {"branch", "develop"},
                                               {"finished_at", "2026-12-01T11:45:00Z"},
                                               {"images", images}})
                                             .dump();
  const std::string now = "2026-12-01T13:00:00Z";
  ASSERT_EQ(box.Captain(now, {"release", "open", "--release-day", "2026-12-01", "--by", "a"}).code,
            0);
  ASSERT_EQ(box.Captain(now, {"evidence", "import", box.Path("run.json"), "--by", "ci"}).code, 0);
  ASSERT_EQ(box.Captain(now, {"evidence", "develop", "--commit", head, "--by", "ci"}).code, 0);

  auto r = box.Captain(now, {"--json", "release", "draft-notes", "2026-12-01", "--from", base});
  ASSERT_EQ(r.code, 0) << r.err;
  json d = json::parse(r.out);
  EXPECT_EQ(d["commits"], 3);
  EXPECT_EQ(d["to"], head);
  EXPECT_FALSE(d["notes"].contains("bug-fixes"));
  EXPECT_EQ(d["notes"]["performance"], json({"cache claims"}));
  EXPECT_EQ(d["notes"]["security"], json({"bump netty"}));
  EXPECT_FALSE(d["notes"].contains("new-features"));

  r = box.Captain(now,
                  {"--json", "release", "draft-notes", "2026-12-01", "--save", "--by", "alice"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["commits"], 5);  // nothing deployed to prod yet: all of it
  json show = json::parse(box.Captain(now, {"--json", "release", "show", "2026-12-01"}).out);
  ASSERT_EQ(show["notes"].size(), 4u);
  EXPECT_EQ(show["notes"][0]["category"], "bug-fixes");
  EXPECT_EQ(show["notes"][0]["text"], "retry timeouts");

  EXPECT_EQ(box.Captain(now, {"release", "draft-notes", "2026-12-01", "--from", "zzz"}).code, 2);
}

}  // namespace
}  // namespace captain
