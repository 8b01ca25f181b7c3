// The dashboard's routes on a real captain serve: its files (public, with a content security
// policy), GET /api/v1/me for each kind of caller, and the ETag a poll sends back.
#include <gtest/gtest.h>
#include <httplib.h>

#include "testing/daemon.h"

namespace captain {
namespace {

using testing::ConfigureServer;
using testing::Daemon;
using testing::Sandbox;

TEST(Dashboard, FilesMeAndETags) {
  Sandbox box;
  ConfigureServer(box);
  Daemon d(box, "2026-12-01T16:00:00Z");
  ASSERT_GT(d.port(), 0);
  httplib::Client cli("127.0.0.1", d.port());
  // The page and its files need no token; each comes with the page's policy.
  auto page = cli.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("/static/app.js"), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  auto script = cli.Get("/static/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(script->body.find("sessionStorage"), std::string::npos);
  auto missing = cli.Get("/static/nothing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  // /api/v1/me: nobody without a token, 401 for a wrong one, the roles of a right one.
  auto nobody = d.Send("GET", "/api/v1/me", "");
  EXPECT_EQ(nobody.status, 200);
  EXPECT_TRUE(nobody.json["name"].is_null());
  EXPECT_EQ(nobody.json["public_reads"], false);
  auto wrong = cli.Get("/api/v1/me", {{"Authorization", "Bearer not-a-token"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto lead = d.Get("/api/v1/me", "cc-lead");
  EXPECT_EQ(lead.json["name"], "cc-lead");
  EXPECT_EQ(lead.json["teams"], nlohmann::json::array({"cc"}));
  EXPECT_EQ(lead.json["captain"], false);
  EXPECT_EQ(lead.json["timezone"], "America/New_York");
  EXPECT_EQ(lead.json["environments"].size(), 5u);
  EXPECT_EQ(d.Get("/api/v1/me", "alice").json["captain"], true);
  // A poll with the ETag it was given costs a 304 until the release changes.
  d.WaitFor("/api/v1/releases",
            [](const testing::Reply& r) { return r.json["releases"].size() == 1; });
  httplib::Headers auth = {{"Authorization", "Bearer token-alice"}};
  auto first = cli.Get("/api/v1/releases/2026-12-01", auth);
  ASSERT_TRUE(first);
  std::string etag = first->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto with_tag = auth;
  with_tag.emplace("If-None-Match", etag);
  auto same = cli.Get("/api/v1/releases/2026-12-01", with_tag);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 304);
  EXPECT_TRUE(same->body.empty());
  // A list of tags, one of them weak (a compressing proxy adds W/), matches too.
  auto listed_tags = auth;
  listed_tags.emplace("If-None-Match", "\"0000\", W/" + etag);
  auto listed = cli.Get("/api/v1/releases/2026-12-01", listed_tags);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 304);
  auto opted =
      d.Post("/api/v1/releases/2026-12-01/opt", "cc-lead", {{"team", "cc"}, {"answer", "in"}});
  ASSERT_EQ(opted.status, 200) << opted.body;
  auto changed = cli.Get("/api/v1/releases/2026-12-01", with_tag);
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->get_header_value("ETag"), etag);
  auto view = nlohmann::json::parse(changed->body);
  ASSERT_EQ(view["opts"].size(), 1u);
  EXPECT_EQ(view["opts"][0]["by"], "cc-lead");
}

}  // namespace
}  // namespace captain
