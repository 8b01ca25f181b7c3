#include "notify/delivery.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

SlackAnswer Http(int status, nlohmann::json body, int retry_after = 0) {
  return {true, status, retry_after, std::move(body), ""};
}

TEST(Delivery, EachAnswerItsVerdict) {
  struct Case {
    const char* name;
    SlackAnswer answer;
    int attempt;
    Verdict verdict;
    int retry_in;
    std::string error;
  } cases[] = {
      {"sent", Http(200, {{"ok", true}, {"ts", "1.2"}, {"channel", "C1"}}), 1, Verdict::kSent, 0,
       ""},
      {"network", {false, 0, 0, nullptr, "timeout"}, 3, Verdict::kRetry, 4, "network: timeout"},
      {"5xx", Http(503, nullptr), 1, Verdict::kRetry, 1, "Slack answered 503"},
      {"429 Retry-After", Http(429, nullptr, 7), 2, Verdict::kRetry, 7, "rate limited (429)"},
      {"permanent", Http(200, {{"ok", false}, {"error", "channel_not_found"}}), 1, Verdict::kFailed,
       0, "channel_not_found"},
      {"invalid_auth", Http(200, {{"ok", false}, {"error", "invalid_auth"}}), 1, Verdict::kFailed,
       0, "invalid_auth"},
      {"transient Slack error", Http(200, {{"ok", false}, {"error", "internal_error"}}), 2,
       Verdict::kRetry, 2, "internal_error"},
      {"gives up in the end", Http(500, nullptr), 20, Verdict::kFailed, 300,
       "Slack answered 500 (gave up after 20 tries)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Delivery d = Judge(c.answer, c.attempt);
    EXPECT_EQ(d.verdict, c.verdict);
    if (c.verdict != Verdict::kSent) {
      EXPECT_EQ(d.retry_in_seconds, c.retry_in);
      EXPECT_EQ(d.error, c.error);
    }
  }
  EXPECT_EQ(Judge(cases[0].answer, 1).ts, "1.2");
  EXPECT_EQ(BackoffSeconds(1), 1);
  EXPECT_EQ(BackoffSeconds(9), 256);
  EXPECT_EQ(BackoffSeconds(50), 300);
}

}  // namespace
}  // namespace captain
