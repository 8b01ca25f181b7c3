#include "notify/slack_signature.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

// Slack's own example ("Verifying requests from Slack"): its signing secret, timestamp, slash
// command body and the signature it documents.
const std::string kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const std::string kTimestamp = "1531420618";
const std::string kBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
const std::string kSignature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

Instant At(long long unix_seconds) { return Instant(std::chrono::seconds(unix_seconds)); }

TEST(SlackSignature, SlacksPublishedExampleVerifiesByteForByte) {
  EXPECT_EQ(SlackSignature(kSecret, kTimestamp, kBody), kSignature);
  EXPECT_TRUE(VerifySlackRequest(kSecret, kTimestamp, kSignature, kBody, At(1531420618 + 30)).ok());
}

TEST(SlackSignature, AnythingElseIsRefused) {
  Instant now = At(1531420618 + 30);
  std::string changed = kBody;
  changed[changed.find("roadrunner")] = 'R';
  struct Case {
    const char* name;
    std::string secret, timestamp, signature, body;
    Instant now;
  } cases[] = {
      {"a changed byte", kSecret, kTimestamp, kSignature, changed, now},
      {"another secret", "x" + kSecret.substr(1), kTimestamp, kSignature, kBody, now},
      {"an old timestamp (replayed after 5 minutes)", kSecret, kTimestamp, kSignature, kBody,
       At(1531420618 + 301)},
      {"a timestamp from the future", kSecret, kTimestamp, kSignature, kBody, At(1531420618 - 301)},
      {"no timestamp header", kSecret, "", kSignature, kBody, now},
      {"no signature header", kSecret, kTimestamp, "", kBody, now},
      {"a signature of another version", kSecret, kTimestamp, "v1=" + kSignature.substr(3), kBody,
       now},
      {"a truncated signature", kSecret, kTimestamp, kSignature.substr(0, 20), kBody, now},
      {"no secret configured", "", kTimestamp, kSignature, kBody, now},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(VerifySlackRequest(c.secret, c.timestamp, c.signature, c.body, c.now).ok());
  }
}

}  // namespace
}  // namespace captain
