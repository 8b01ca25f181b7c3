// captain evidence verify against a real registry on 127.0.0.1: the SecRel report's claims
// checked image by image, and the plan refusing what the registry does not back.
#include <gtest/gtest.h>

#include <fstream>

#include "testing/cli_fixture.h"
#include "testing/test_registry.h"

namespace captain {
namespace {

using testing::kHead;
using testing::kOther;
using testing::TestRegistry;

const std::string kId = "2026-12-01";

class VerifyTest : public testing::CliTest {
 protected:
  VerifyTest() : registry_(box), key_(TestRegistry::NewKey()) {}
  ~VerifyTest() override { EVP_PKEY_free(key_); }

  std::string Repo(const std::string& service) {
    return "vro/" + (service == "rabbitmq" ? std::string("vro-rabbitmq") : service);
  }

  // The example pointed at the test registry, with the test's cosign key; every image pushed
  // and signed but: vro-cc-app unsigned, vro-streamlit built from another commit, and
  // vro-dev-tools never pushed.
  void Publish() {
    std::string cfg = box.Path("captain.yaml");
    std::ifstream in(cfg);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto swap = [&](const std::string& from, const std::string& to) {
      auto pos = text.find(from);
      ASSERT_NE(pos, std::string::npos) << from;
      text.replace(pos, from.size(), to);
    };
    swap("prefix: ghcr.io/department-of-veterans-affairs/abd-vro-internal/",
         "prefix: " + registry_.host() + "/vro/");
    swap("public_keys: [keys/cosign.pub]", "public_keys: [cosign.pub]");
    text += "\nregistry:\n  url: " + registry_.url() + "\n  max_in_flight: 4\n";
    std::ofstream(cfg) << text;
    std::ofstream(box.Path("cosign.pub")) << TestRegistry::PublicPem(key_);

    nlohmann::json images = nlohmann::json::array();
    std::string tag = kHead.substr(0, 7);
    for (const auto& s : testing::VroServices()) {
      std::string digest = "sha256:" + std::string(64, '0');
      if (s != "vro-dev-tools") {
        digest = registry_.PushImage(Repo(s), tag, s == "vro-streamlit" ? kOther : kHead);
        if (s != "vro-cc-app") registry_.PushSignature(Repo(s), digest, key_);
      }
      digests_[s] = digest;
      images.push_back({{"service", s},
                        {"ref", registry_.host() + "/" + Repo(s) + ":" + tag},
                        {"digest", digest},
                        {"scan", "passed"},
                        {"signed", true},
                        {"signed_at", "2026-12-01T11:42:00Z"}});
    }
    Import("2026-12-01T12:00:00Z", "run1.json",
           nlohmann::json({{"run_id", "run-1"},
                           {"commit", kHead},
                           {"branch", "develop"},
                           {"finished_at", "2026-12-01T11:45:00Z"},
                           {"images", images}})
               .dump());
    Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
    Ok("2026-12-01T14:05:00Z", {"tick"});
    Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", kId, "--team", "cc", "--by", "bob"});
    Ok("2026-12-01T20:05:00Z", {"tick"});
  }

  std::map<std::string, std::string> Verdicts(const nlohmann::json& j) {
    std::map<std::string, std::string> out;
    for (const auto& i : j["images"]) out[i["service"]] = i["verdict"];
    return out;
  }

  TestRegistry registry_;
  EVP_PKEY* key_;
  std::map<std::string, std::string> digests_;
};

TEST_F(VerifyTest, TheRegistryBacksThePlanImageByImage) {
  Publish();
  // Before any check the plan takes the SecRel report's word.
  EXPECT_EQ(Plan("2026-12-01T20:06:00Z", kId, "lower")["vro-cc-app"], "deploy");
  auto v = Ok("2026-12-01T20:07:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  auto verdicts = Verdicts(v);
  EXPECT_EQ(verdicts["rabbitmq"], "ok");
  EXPECT_EQ(verdicts["vro-svc-bgs-api"], "ok");
  EXPECT_EQ(verdicts["vro-cc-app"], "unsigned");
  EXPECT_EQ(verdicts["vro-streamlit"], "stale-build");
  EXPECT_EQ(verdicts["vro-dev-tools"], "no-image");
  EXPECT_EQ(v["refused"], 3);
  auto plan = Plan("2026-12-01T20:08:00Z", kId, "lower");
  EXPECT_EQ(plan["rabbitmq"], "deploy") << Detail("rabbitmq");
  EXPECT_EQ(plan["vro-cc-app"], "unsigned") << Detail("vro-cc-app");
  EXPECT_NE(Detail("vro-cc-app").find("no cosign signature"), std::string::npos);
  EXPECT_EQ(plan["vro-streamlit"], "stale-build") << Detail("vro-streamlit");
  EXPECT_EQ(plan["vro-dev-tools"], "no-image") << Detail("vro-dev-tools");

  // A second verify of the same images makes no signature round-trips: what passed stands on
  // its digest (a signature deleted since is not fetched again), what failed is checked again.
  registry_.DeleteManifest(
      Repo("vro-svc-bgs-api"),
      registry_.ManifestDigest(Repo("vro-svc-bgs-api"),
                               CosignSignatureTag(digests_["vro-svc-bgs-api"])));
  v = Ok("2026-12-01T20:08:30Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  for (const auto& i : v["images"]) {
    std::string detail = i["detail"];
    bool cached = detail.find("unchanged since it was verified") != std::string::npos;
    EXPECT_EQ(cached, i["verdict"] == "ok") << i.dump();
  }
  EXPECT_EQ(Verdicts(v)["vro-svc-bgs-api"], "ok");
  EXPECT_EQ(Verdicts(v)["vro-cc-app"], "unsigned");

  // The rabbitmq tag is deleted after the plan: the next check catches it.
  registry_.DeleteManifest(Repo("rabbitmq"), digests_["rabbitmq"]);
  v = Ok("2026-12-01T20:09:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  EXPECT_EQ(Verdicts(v)["rabbitmq"], "no-image");
  EXPECT_EQ(Plan("2026-12-01T20:10:00Z", kId, "lower")["rabbitmq"], "no-image");

  // A deploy checks again: vro-svc-bip-api's tag deleted since the last check is not written.
  registry_.DeleteManifest(Repo("vro-svc-bip-api"), digests_["vro-svc-bip-api"]);
  EXPECT_EQ(Plan("2026-12-01T20:10:30Z", kId, "lower")["vro-svc-bip-api"], "deploy");
  Ok("2026-12-01T20:10:40Z", {"deploy", kId, "--tier", "lower", "--by", "alice"});
  EXPECT_EQ(Tag("vro-svc-bip-api", "dev"), "0000000");
  EXPECT_EQ(Tag("vro-svc-bgs-api", "dev"), kHead.substr(0, 7));

  // A registry that is down is never eligible.
  registry_.Stop();
  v = Ok("2026-12-01T20:11:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  EXPECT_EQ(Verdicts(v)["vro-svc-bgs-api"], "registry-unreachable");
  EXPECT_EQ(Plan("2026-12-01T20:12:00Z", kId, "lower")["vro-svc-bgs-api"], "no-image");
}

TEST_F(VerifyTest, WithoutARegistryOrAKeyItSaysWhatToConfigure) {
  Ok("2026-12-01T14:05:00Z", {"tick"});
  auto r = Exits(2, "2026-12-01T14:06:00Z", {"evidence", "verify", "--release", kId});
  EXPECT_NE(r.err.find("registry.url"), std::string::npos) << r.err;
  std::ofstream(box.Path("captain.yaml"), std::ios::app)
      << "\nregistry:\n  url: " << registry_.url() << "\n";
  r = Exits(2, "2026-12-01T14:07:00Z", {"evidence", "verify", "--release", kId});
  EXPECT_NE(r.err.find("signature.public_keys"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace captain

namespace captain {
namespace {

// release show puts each image's SecRel claims beside the registry's latest check.
TEST_F(VerifyTest, ReleaseShowPutsTheReportBesideTheRegistry) {
  Publish();
  auto before = Ok("2026-12-01T20:06:00Z", {"release", "show", kId});
  for (const auto& s : before["services"]) {
    EXPECT_TRUE(s["image"]["registry"].is_null()) << s.dump();
  }
  Ok("2026-12-01T20:07:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  auto shown = Ok("2026-12-01T20:08:00Z", {"release", "show", kId});
  std::map<std::string, nlohmann::json> images;
  for (const auto& s : shown["services"]) images[s["service"]] = s["image"];
  EXPECT_EQ(images["vro-cc-app"]["secrel"]["signed"], true);
  EXPECT_EQ(images["vro-cc-app"]["registry"]["verdict"], "unsigned");
  EXPECT_EQ(images["rabbitmq"]["secrel"]["digest"], digests_["rabbitmq"]);
  EXPECT_EQ(images["rabbitmq"]["registry"]["digest"], digests_["rabbitmq"]);
  EXPECT_EQ(images["rabbitmq"]["registry"]["revision"], kHead);
  EXPECT_EQ(images["rabbitmq"]["registry"]["signed_at"], "2025-12-01T14:40:00Z");
  EXPECT_EQ(images["vro-streamlit"]["registry"]["revision"], kOther);
  EXPECT_EQ(images["vro-dev-tools"]["registry"]["verdict"], "no-image");
  auto text = box.Captain("2026-12-01T20:08:00Z", {"release", "show", kId});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_TRUE(Has(text.out, "images: SecRel's report | the registry's latest check")) << text.out;
  std::istringstream lines(text.out);
  std::string line, cc;
  while (std::getline(lines, line)) {
    if (line.rfind("  vro-cc-app ", 0) == 0 && Has(line, "|")) cc = line;
  }
  EXPECT_TRUE(Has(cc, "passed") && Has(cc, "yes") && Has(cc, "| unsigned")) << text.out;
}

// A reference whose host is not the registry at registry.url is not looked up there: it is
// never eligible until registry.hosts says that registry serves it.
TEST_F(VerifyTest, AReferenceToAnotherHostIsNotCheckedAtRegistryUrl) {
  Publish();
  std::string cfg = testing::Slurp(box.Path("captain.yaml"));
  WriteFile("captain.yaml", cfg + "  hosts: [ghcr.io]\n");
  auto v = Ok("2026-12-01T20:07:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  EXPECT_EQ(Verdicts(v)["rabbitmq"], "other-registry");
  EXPECT_NE(v["images"][0]["detail"].get<std::string>().find("registry.hosts"), std::string::npos);
  EXPECT_EQ(Plan("2026-12-01T20:08:00Z", kId, "lower")["rabbitmq"], "no-image");
  WriteFile("captain.yaml", cfg + "  hosts: [ghcr.io, " + registry_.host() + "]\n");
  v = Ok("2026-12-01T20:09:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  EXPECT_EQ(Verdicts(v)["rabbitmq"], "ok");
  WriteFile("captain.yaml", cfg + "  hosts: [\"ghcr.io/x\"]\n");
  auto bad = box.Captain("2026-12-01T20:09:00Z", {"check-config"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_TRUE(Has(bad.err, "registry.hosts[0]")) << bad.err;
}

// The example's images, pushed by captain-push-images as scripts/run-example.sh does: their
// digests are the ones the example's SecRel report names, and they verify with the example's
// key, but for the image the report says is unsigned.
TEST_F(VerifyTest, TheExamplesImagesArePushedAsItsReportSays) {
  std::string report =
      std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/evidence/secrel-run-2026-12-01.json";
  std::string keys = std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/keys/";
  auto pushed = testing::RunProgram("", CAPTAIN_PUSH_IMAGES_BIN,
                                    {"--registry", registry_.host(), "--report", report, "--key",
                                     keys + "cosign.key", "--report-out", box.Path("pushed.json")});
  ASSERT_EQ(pushed.code, 0) << pushed.err;
  auto claimed = nlohmann::json::parse(testing::Slurp(report));
  auto actual = nlohmann::json::parse(testing::Slurp(box.Path("pushed.json")));
  ASSERT_EQ(actual["images"].size(), claimed["images"].size());
  for (size_t i = 0; i < claimed["images"].size(); ++i) {
    EXPECT_EQ(actual["images"][i]["digest"], claimed["images"][i]["digest"])
        << claimed["images"][i]["service"];
  }
  std::string cfg = testing::Slurp(box.Path("captain.yaml"));
  auto at = cfg.find("keys/cosign.pub");
  ASSERT_NE(at, std::string::npos);
  cfg.replace(at, 5, keys);
  WriteFile("captain.yaml",
            cfg + "\nregistry:\n  url: " + registry_.url() + "\n  hosts: [ghcr.io]\n");
  Import("2026-12-01T12:00:00Z", "report.json", testing::Slurp(report));
  Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
  Ok("2026-12-01T14:05:00Z", {"tick"});
  auto v = Ok("2026-12-01T14:06:00Z", {"evidence", "verify", "--release", kId, "--by", "alice"});
  auto verdicts = Verdicts(v);
  ASSERT_EQ(verdicts.size(), 10u) << v.dump();
  for (const auto& [service, verdict] : verdicts) {
    EXPECT_EQ(verdict, service == "vro-svc-bip-api" ? "unsigned" : "ok") << service;
  }
}

}  // namespace
}  // namespace captain
