#include "core/scheduled_check.h"

#include <gtest/gtest.h>

namespace captain {
namespace {

Plan PlanOf(std::vector<std::pair<std::string, std::string>> rows) {
  Plan p;
  for (auto& [service, reason] : rows) {
    Decision d;
    d.service = service;
    d.deploy = reason.empty();
    d.reason = reason;
    if (reason == kOpenDefect) d.detail = "defect #1 open";
    p.decisions.push_back(d);
  }
  return p;
}

TEST(ScheduledCheck, OnlyNewDefectsAndHealthProblemsStopAStep) {
  struct Case {
    const char* name;
    std::vector<std::string> scheduled;
    Plan now;
    std::vector<std::string> want;
  } cases[] = {
      {"nothing new", {"b:scan-failed"}, PlanOf({{"a", ""}, {"b", kScanFailed}}), {}},
      {"ordinary skips do not stop it",
       {"a:not-validated", "b:not-validated"},
       PlanOf({{"a", ""}, {"b", kNoResponse}}),
       {}},
      {"a defect opened since",
       {"a:not-validated"},
       PlanOf({{"a", kOpenDefect}, {"b", ""}}),
       {"a: open-defect (defect #1 open)"}},
      {"a health problem since", {}, PlanOf({{"a", ""}, {"b", kUnhealthy}}), {"b: unhealthy"}},
      {"held for that reason already", {"a:open-defect"}, PlanOf({{"a", kOpenDefect}}), {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(NewBlockingHolds(c.scheduled, c.now), c.want);
  }
  EXPECT_EQ(HoldsOf(PlanOf({{"a", ""}, {"b", kScanFailed}})),
            (std::vector<std::string>{"b:scan-failed"}));
}

}  // namespace
}  // namespace captain
