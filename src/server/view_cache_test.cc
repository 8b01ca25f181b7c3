#include "server/view_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace captain {
namespace {

ViewCache::Body Text(const std::string& s) { return std::make_shared<const std::string>(s); }

TEST(ViewCache, KeptPerKeyAndSecond) {
  ViewCache cache;
  int computed = 0;
  auto make = [&](const std::string& s) {
    return [&, s] {
      ++computed;
      return Text(s);
    };
  };
  EXPECT_EQ(*cache.GetOrCompute("v|1", 100, make("a")), "a");
  EXPECT_EQ(*cache.GetOrCompute("v|1", 100, make("b")), "a");  // same key, same second
  EXPECT_EQ(*cache.GetOrCompute("v|2", 100, make("c")), "c");  // a change: another key
  EXPECT_EQ(*cache.GetOrCompute("v|1", 101, make("d")), "d");  // the next second, nobody busy
  EXPECT_EQ(computed, 3);
  // An answer that is not kept (an error) is computed again.
  EXPECT_EQ(cache.GetOrCompute("v|3", 100, [] { return ViewCache::Body(); }), nullptr);
  EXPECT_EQ(*cache.GetOrCompute("v|3", 100, make("e")), "e");
}

TEST(ViewCache, WhileTheNextSecondIsComputedTheLastOneServes) {
  ViewCache cache;
  cache.GetOrCompute("k", 10, [] { return Text("second 10"); });
  std::atomic<bool> started{false}, release{false};
  std::thread slow([&] {
    cache.GetOrCompute("k", 11, [&] {
      started = true;
      while (!release) std::this_thread::yield();
      return Text("second 11");
    });
  });
  while (!started) std::this_thread::yield();
  EXPECT_EQ(*cache.GetOrCompute("k", 11, [] { return Text("again"); }), "second 10");
  release = true;
  slow.join();
  EXPECT_EQ(*cache.GetOrCompute("k", 11, [] { return Text("again"); }), "second 11");
  // Two seconds behind is too old: the caller waits for (or makes) a fresh one.
  EXPECT_EQ(*cache.GetOrCompute("k", 13, [] { return Text("second 13"); }), "second 13");
}

}  // namespace
}  // namespace captain
