// captain drift against a real GitOps repository: tags in higher environments are checked
// against what lower environments ran, including before captain kept records (git history).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/sandbox.h"

namespace captain {
namespace {

using testing::Sandbox;

constexpr char kNow[] = "2026-12-02T15:00:00Z";

// Commits, in a clone of the sandbox's remote, `tag` into each listed overlay of vro-cc-app.
void PushTags(const Sandbox& box, const std::string& tag, const std::vector<std::string>& envs) {
  std::string cmd = "(test -d other || git clone -q remote.git other) && cd other && git pull -q";
  for (const auto& e : envs) {
    cmd += " && sed -i 's/tag: \"[0-9a-f]*\"/tag: \"" + tag + "\"/' deploy/vro-cc-app/values-" + e +
           ".yaml";
  }
  cmd += " && git -c user.name=o -c user.email=o@x commit -qam 'cc " + tag +
         "' && git push -q origin main";
  box.Shell(cmd);
}

// The drift rows of vro-cc-app in `env`.
nlohmann::json Row(const Sandbox& box, const std::string& env) {
  auto run = box.Captain(kNow, {"drift", "--json"});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  auto doc = nlohmann::json::parse(run.out, nullptr, false);
  for (const auto& r : doc["tags"]) {
    if (r["service"] == "vro-cc-app" && r["env"] == env) return r;
  }
  ADD_FAILURE() << "no vro-cc-app " << env << " row in " << run.out;
  return {};
}

TEST(DriftGitTest, HigherTagsAreCheckedAgainstWhatLowerEnvironmentsRanInHistory) {
  Sandbox box;
  // The seed: every environment at 0000000, so prod's tag has run in the lower ones.
  EXPECT_FALSE(Row(box, "prod")["never_in_lower"].get<bool>());

  // prod edited by hand to an image no lower environment ever ran.
  PushTags(box, "1111111", {"prod"});
  nlohmann::json prod = Row(box, "prod");
  EXPECT_EQ(prod["repo_tag"], "1111111");
  EXPECT_TRUE(prod["never_in_lower"].get<bool>()) << prod.dump();

  // 2222222 ran in dev and qa two commits ago, then they moved on; prod now runs it: it passed
  // the lower environments, which only the history shows.
  PushTags(box, "2222222", {"dev", "qa"});
  PushTags(box, "3333333", {"dev", "qa", "sandbox"});
  PushTags(box, "2222222", {"prod-test", "prod"});
  prod = Row(box, "prod");
  EXPECT_EQ(prod["repo_tag"], "2222222");
  EXPECT_FALSE(prod["never_in_lower"].get<bool>()) << prod.dump();
  EXPECT_FALSE(Row(box, "prod-test")["never_in_lower"].get<bool>());
}

}  // namespace
}  // namespace captain
