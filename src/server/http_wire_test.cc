// HTTP/1.1 request parsing and answer heads, byte for byte.
#include "server/http_wire.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

ParseOutcome Parse(std::string_view bytes, WireRequest& out, WireLimits limits = {}) {
  return ParseRequest(bytes, limits, out);
}

TEST(HttpWire, GetWithQueryAndTheHeadersTheApiReads) {
  std::string bytes =
      "GET /api/v1/audit%2Fx?release=2026-12-01&action=tick.announce&q=a+b%26c&flag HTTP/1.1\r\n"
      "Host: x\r\nauthorization:  Bearer t-1 \r\nX-SLACK-SIGNATURE: v0=ab\r\n"
      "x-slack-request-timestamp: 17\r\nIf-None-Match: \"a\"\r\nIf-None-Match: W/\"b\"\r\n\r\n";
  WireRequest w;
  auto o = Parse(bytes, w);
  ASSERT_EQ(o.kind, ParseOutcome::kRequest) << o.message;
  EXPECT_EQ(o.consumed, bytes.size());
  EXPECT_EQ(w.req.method, "GET");
  EXPECT_EQ(w.req.path, "/api/v1/audit/x");
  std::multimap<std::string, std::string> want = {
      {"release", "2026-12-01"}, {"action", "tick.announce"}, {"q", "a b&c"}, {"flag", ""}};
  EXPECT_EQ(w.req.query, want);
  EXPECT_EQ(w.req.authorization, "Bearer t-1");
  EXPECT_EQ(w.req.slack_signature, "v0=ab");
  EXPECT_EQ(w.req.slack_timestamp, "17");
  EXPECT_EQ(w.req.if_none_match, "\"a\", W/\"b\"");
  EXPECT_TRUE(w.keep_alive);
  EXPECT_TRUE(w.req.body.empty());
}

TEST(HttpWire, ByteByByteIsIncompleteUntilTheLastByte) {
  std::string bytes =
      "POST /hooks/argocd HTTP/1.1\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n"
      "{\"app\":\"x\"}";
  for (size_t n = 0; n < bytes.size(); ++n) {
    WireRequest w;
    auto o = Parse(std::string_view(bytes).substr(0, n), w);
    ASSERT_EQ(o.kind, ParseOutcome::kNeedMore) << "after " << n << " bytes: " << o.message;
  }
  WireRequest w;
  auto o = Parse(bytes, w);
  ASSERT_EQ(o.kind, ParseOutcome::kRequest);
  EXPECT_EQ(w.req.body, "{\"app\":\"x\"}");
}

TEST(HttpWire, TheHeadInTellsHowManyBytesTheRequestTakes) {
  std::string head = "POST /x HTTP/1.1\r\nContent-Length: 100\r\nExpect: 100-Continue\r\n\r\n";
  WireRequest w;
  auto o = Parse(head + "abc", w);
  ASSERT_EQ(o.kind, ParseOutcome::kNeedMore);
  EXPECT_TRUE(o.head_done);
  EXPECT_TRUE(o.expect_continue);
  EXPECT_EQ(o.need, head.size() + 100);
}

TEST(HttpWire, PipelinedRequestsAreTakenOneAtATime) {
  std::string first = "GET /healthz HTTP/1.1\r\n\r\n";
  std::string second = "POST /a HTTP/1.1\r\ncontent-length: 2\r\n\r\nhi";
  std::string bytes = first + second;
  WireRequest w;
  auto o = Parse(bytes, w);
  ASSERT_EQ(o.kind, ParseOutcome::kRequest);
  EXPECT_EQ(o.consumed, first.size());
  EXPECT_EQ(w.req.path, "/healthz");
  o = Parse(std::string_view(bytes).substr(o.consumed), w);
  ASSERT_EQ(o.kind, ParseOutcome::kRequest);
  EXPECT_EQ(o.consumed, second.size());
  EXPECT_EQ(w.req.body, "hi");
}

TEST(HttpWire, ChunkedBodiesAreDecodedWithExtensionsAndTrailers) {
  std::string bytes =
      "POST /hooks/argocd HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=x\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\nGET";
  WireRequest w;
  auto o = Parse(bytes, w);
  ASSERT_EQ(o.kind, ParseOutcome::kRequest) << o.message;
  EXPECT_EQ(w.req.body, "hello, world");
  EXPECT_EQ(o.consumed, bytes.size() - 3);
  for (size_t n = 0; n + 3 < bytes.size(); ++n) {
    auto part = Parse(std::string_view(bytes).substr(0, n), w);
    ASSERT_EQ(part.kind, ParseOutcome::kNeedMore) << "after " << n << " bytes";
  }
}

TEST(HttpWire, BodiesOverTheCapAreRefusedBeforeTheyArrive) {
  WireLimits limits;
  limits.max_body_bytes = 10;
  WireRequest w;
  auto o = Parse("POST /x HTTP/1.1\r\nContent-Length: 11\r\n\r\n", w, limits);
  EXPECT_EQ(o.kind, ParseOutcome::kError);
  EXPECT_EQ(o.status, 413);
  o = Parse("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n", w,
            limits);
  EXPECT_EQ(o.kind, ParseOutcome::kError);
  EXPECT_EQ(o.status, 413);
  o = Parse("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", w, limits);
  EXPECT_EQ(o.kind, ParseOutcome::kRequest);
}

TEST(HttpWire, KeepAliveFollowsTheVersionAndConnectionHeader) {
  WireRequest w;
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\n\r\n", w).kind, ParseOutcome::kRequest);
  EXPECT_FALSE(w.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", w).kind,
            ParseOutcome::kRequest);
  EXPECT_TRUE(w.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n", w).kind,
            ParseOutcome::kRequest);
  EXPECT_FALSE(w.keep_alive);
  ASSERT_EQ(Parse("GET http://example.org:80/healthz?x=1 HTTP/1.1\r\n\r\n", w).kind,
            ParseOutcome::kRequest);
  EXPECT_EQ(w.req.path, "/healthz");
  ASSERT_EQ(Parse("\r\nGET /after-blank HTTP/1.1\r\n\r\n", w).kind, ParseOutcome::kRequest);
  EXPECT_EQ(w.req.path, "/after-blank");
}

TEST(HttpWire, MalformedRequestsAreRefusedWithTheRightStatus) {
  struct Case {
    std::string bytes;
    int status;
  };
  std::string many;
  for (int i = 0; i < 101; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  std::vector<Case> cases = {
      {"GET /\r\n\r\n", 400},
      {"GET  / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"GET / FTP/1.1\r\n\r\n", 400},
      {"G(T / HTTP/1.1\r\n\r\n", 400},
      {"GET relative HTTP/1.1\r\n\r\n", 400},
      {std::string("GET /a\x01 HTTP/1.1\r\n\r\n"), 400},
      {"GET /a%00b HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nX: 1\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nBad Name: 1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nExpect: something\r\n\r\n", 417},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", 400},
      {"GET / HTTP/1.1\r\n" + many + "\r\n", 431},
      {"GET / HTTP/1.1\r\nX: " + std::string(70000, 'a'), 431},
  };
  for (const auto& c : cases) {
    WireRequest w;
    auto o = Parse(c.bytes, w);
    EXPECT_EQ(o.kind, ParseOutcome::kError) << c.bytes.substr(0, 60);
    EXPECT_EQ(o.status, c.status) << c.bytes.substr(0, 60) << ": " << o.message;
    EXPECT_FALSE(o.message.empty());
  }
}

// Feeds `bytes` one at a time to one WireProgress, parsing only when the outcome's `need` is
// reached, as the daemon's loop does; returns the final outcome and the number of parses.
std::pair<ParseOutcome, int> Trickle(const std::string& bytes, WireRequest& out,
                                     WireLimits limits = {}) {
  WireProgress progress;
  ParseOutcome o;
  int parses = 0;
  size_t need = 0;
  for (size_t n = 1; n <= bytes.size(); ++n) {
    if (n < need) continue;
    o = ParseRequest(std::string_view(bytes).substr(0, n), limits, out, progress);
    ++parses;
    if (o.kind != ParseOutcome::kNeedMore) return {o, parses};
    EXPECT_GT(o.need, n) << "a need that is already met would parse the same bytes again";
    need = o.need;
  }
  return {o, parses};
}

TEST(HttpWire, ResumedParsesAgreeWithParsesFromScratch) {
  std::vector<std::string> requests = {
      "GET /a?b=c HTTP/1.1\r\nAuthorization: Bearer x\r\n\r\n",
      "POST /hooks/argocd HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n2\r\nde\r\n0\r\nT: "
      "1\r\n\r\n",
      "\r\n\r\nGET /late HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
  };
  for (const auto& bytes : requests) {
    WireRequest whole, trickled;
    auto a = Parse(bytes, whole);
    auto [b, parses] = Trickle(bytes, trickled);
    ASSERT_EQ(a.kind, ParseOutcome::kRequest) << bytes;
    ASSERT_EQ(b.kind, ParseOutcome::kRequest) << bytes;
    EXPECT_EQ(a.consumed, bytes.size());
    EXPECT_EQ(b.consumed, bytes.size());
    EXPECT_EQ(trickled.req.method, whole.req.method);
    EXPECT_EQ(trickled.req.path, whole.req.path);
    EXPECT_EQ(trickled.req.query, whole.req.query);
    EXPECT_EQ(trickled.req.authorization, whole.req.authorization);
    EXPECT_EQ(trickled.req.body, whole.req.body);
    EXPECT_EQ(trickled.keep_alive, whole.keep_alive);
  }
}

TEST(HttpWire, ABodyArrivingSlowlyIsNotParsedAgainForEveryByte) {
  std::string body(50000, 'x');
  std::string plain = "POST /x HTTP/1.1\r\nContent-Length: 50000\r\n\r\n" + body;
  WireRequest w;
  auto [o, parses] = Trickle(plain, w);
  ASSERT_EQ(o.kind, ParseOutcome::kRequest);
  EXPECT_LE(parses, 60) << "each byte of the head parsed once, the body once it is all here";
  std::string chunked = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 50; ++i) chunked += "3e8\r\n" + std::string(1000, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  auto [c, chunk_parses] = Trickle(chunked, w);
  ASSERT_EQ(c.kind, ParseOutcome::kRequest) << c.message;
  EXPECT_EQ(w.req.body, std::string(50000, 'y'));
  EXPECT_LE(chunk_parses, 60 + 50 * 8) << "a chunk's data is waited for, not parsed byte by byte";
}

TEST(HttpWire, FloodsOfBlankLinesOrChunkFramingAreRefused) {
  WireRequest w;
  auto blank = Parse(std::string(70000, '\n') + std::string(70000, '\r'), w);
  std::string crlf;
  for (int i = 0; i < 40000; ++i) crlf += "\r\n";
  auto o = Parse(crlf, w);
  EXPECT_EQ(o.kind, ParseOutcome::kError);
  EXPECT_EQ(o.status, 431) << "blank lines count toward the head's limit";
  EXPECT_EQ(blank.kind, ParseOutcome::kError);

  WireLimits limits;
  limits.max_body_bytes = 1024;
  std::string framing = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  while (framing.size() < 200000) framing += "1;" + std::string(1000, 'e') + "\r\nz\r\n";
  o = Parse(framing, w, limits);
  EXPECT_EQ(o.kind, ParseOutcome::kError);
  EXPECT_EQ(o.status, 413) << o.message;

  o = Parse("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + std::string(1100, 'e') +
                "\r\nz\r\n0\r\n\r\n",
            w);
  EXPECT_EQ(o.kind, ParseOutcome::kError);
  EXPECT_EQ(o.status, 400) << "a chunk line over 1 KiB";
}

TEST(HttpWire, HttpOneZeroClientsAreNeverAskedToWaitForContinue) {
  WireRequest w;
  auto o = Parse("POST /x HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n", w);
  ASSERT_EQ(o.kind, ParseOutcome::kNeedMore);
  EXPECT_FALSE(o.expect_continue);
}

TEST(HttpWire, DecodePercentLeavesMalformedEscapes) {
  EXPECT_EQ(DecodePercent("a%20b+c", false), "a b+c");
  EXPECT_EQ(DecodePercent("a%20b+c", true), "a b c");
  EXPECT_EQ(DecodePercent("100%", false), "100%");
  EXPECT_EQ(DecodePercent("%zz%4", false), "%zz%4");
  EXPECT_EQ(DecodePercent("%e2%9C%93", false), "\xe2\x9c\x93");
}

TEST(HttpWire, AnswerHeads) {
  EXPECT_EQ(AnswerHead(202, "application/json", 14, {}, true),
            "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 14\r\n"
            "Connection: keep-alive\r\n\r\n");
  EXPECT_EQ(AnswerHead(304, "application/json", 0, {{"ETag", "\"x\""}}, false),
            "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(AnswerHead(503, "", 0, {{"Retry-After", "1\r\nX-Evil: 1"}}, true),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1  X-Evil: 1"
            "\r\nConnection: keep-alive\r\n\r\n");
}

}  // namespace
}  // namespace captain
