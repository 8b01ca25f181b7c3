// Test helper: the VRO example release driven with the command line, step by step.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "testing/sandbox.h"

namespace captain::testing {

inline constexpr const char* kFlowHead = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
inline constexpr const char* kFlowRelease = "2026-12-01";

inline void ExpectOk(const Run& r) { ASSERT_EQ(r.code, 0) << r.err << r.out; }

// Tuesday: evidence, the announcement, cc opts in, the window closes, the lower deploy.
inline void TuesdayWithCli(const Sandbox& box) {
  std::string report =
      std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/evidence/secrel-run-2026-12-01.json";
  const std::string id = kFlowRelease;
  ExpectOk(box.Captain("2026-12-01T12:00:00Z", {"evidence", "import", report, "--by", "secrel"}));
  ExpectOk(box.Captain("2026-12-01T12:00:00Z",
                       {"evidence", "develop", "--commit", kFlowHead, "--by", "ci"}));
  ExpectOk(box.Captain("2026-12-01T14:00:00Z", {"tick"}));
  ExpectOk(box.Captain("2026-12-01T16:00:00Z",
                       {"opt", "in", "--release", id, "--team", "cc", "--by", "cc-lead"}));
  ExpectOk(box.Captain("2026-12-01T20:00:00Z", {"tick"}));
  ExpectOk(box.Captain("2026-12-01T20:05:00Z", {"deploy", id, "--tier", "lower", "--by", "alice"}));
}

}  // namespace captain::testing
