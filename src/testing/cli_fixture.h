// Test fixture: the VRO example in a sandbox, driven through the captain binary with --json,
// with helpers to write SecRel reports and read plans and GitOps tags.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/sandbox.h"

namespace captain::testing {

inline const std::string kHead = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
inline const std::string kOther = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807";

// A SecRel run report of `commit` with one image per service (scan as given; passed images
// are signed at `signed_at`).
inline std::string Report(const std::string& run, const std::string& commit,
                          const std::map<std::string, std::string>& scans,
                          const std::string& finished_at = "2026-12-01T11:45:00Z",
                          const std::string& signed_at = "2026-12-01T11:42:00Z") {
  nlohmann::json images = nlohmann::json::array();
  for (const auto& [service, scan] : scans) {
    char digest[72];
    std::snprintf(digest, sizeof digest, "sha256:%064zx",
                  std::hash<std::string>{}(run + service + commit));
    images.push_back(
        {{"service", service},
         {"ref", VroImage(service) + ":" + commit.substr(0, 7)},
         {"digest", digest},
         {"scan", scan},
         {"signed", scan == "passed"},
         {"signed_at", scan == "passed" ? nlohmann::json(signed_at) : nlohmann::json()}});
  }
  return nlohmann::json({{"run_id", run},
                         {"commit", commit},
                         {"branch", "develop"},
                         {"finished_at", finished_at},
                         {"images", images}})
      .dump(2);
}

// Every VRO service with the same scan result.
inline std::map<std::string, std::string> AllScans(const std::string& scan = "passed") {
  std::map<std::string, std::string> out;
  for (const auto& s : VroServices()) out[s] = scan;
  return out;
}

class CliTest : public ::testing::Test {
 protected:
  nlohmann::json Ok(const std::string& now, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    auto r = box.Captain(now, args);
    EXPECT_EQ(r.code, 0) << "captain " << args[1] << ": " << r.err;
    if (r.code != 0 || r.out.empty()) return nlohmann::json();
    return nlohmann::json::parse(r.out);
  }
  // Runs a command that must exit with `code`; returns what it printed.
  captain::testing::Run Exits(int code, const std::string& now, std::vector<std::string> args,
                              const std::string& env_prefix = "") {
    auto r = box.Captain(now, args, env_prefix);
    EXPECT_EQ(r.code, code) << "captain " << args[0] << ": " << r.out << r.err;
    return r;
  }
  captain::testing::Run Refused(const std::string& now, std::vector<std::string> args) {
    return Exits(3, now, std::move(args));
  }
  // service -> "deploy" or the skip reason, from `captain plan`.
  std::map<std::string, std::string> Plan(const std::string& now, const std::string& id,
                                          const std::string& tier) {
    nlohmann::json p = Ok(now, {"plan", id, "--tier", tier});
    std::map<std::string, std::string> out;
    for (const auto& s : p["services"]) {
      out[s["service"]] = s["decision"] == "deploy" ? "deploy" : s["reason"].get<std::string>();
      details_[s["service"]] = s.value("detail", "");
      commits_[s["service"]] = s.value("commit", "");
      if (s["decision"] == "deploy") {
        EXPECT_EQ(s["reason"], nullptr);
        EXPECT_FALSE(s["environments"].empty());
      }
    }
    EXPECT_EQ(out.size(), VroServices().size());
    return out;
  }
  // The detail and commit of a service in the last Plan().
  std::string Detail(const std::string& service) { return details_[service]; }
  std::string Commit(const std::string& service) { return commits_[service]; }
  void WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(box.Path(name)) << text;
  }
  void Import(const std::string& now, const std::string& name, const std::string& report) {
    WriteFile(name, report);
    Ok(now, {"evidence", "import", box.Path(name), "--by", "secrel"});
  }
  // Tuesday of release 2026-12-01 up to its lower deploy: run-1 of kHead, cc in, ee silent.
  void DeployLower() {
    const std::string id = "2026-12-01";
    Import("2026-12-01T12:00:00Z", "run1.json", Report("run-1", kHead, AllScans()));
    Ok("2026-12-01T12:00:00Z", {"evidence", "develop", "--commit", kHead, "--by", "secrel"});
    Ok("2026-12-01T14:05:00Z", {"tick"});
    Ok("2026-12-01T16:00:00Z", {"opt", "in", "--release", id, "--team", "cc", "--by", "bob"});
    Ok("2026-12-01T20:05:00Z", {"tick"});
    Ok("2026-12-01T20:10:00Z", {"deploy", id, "--tier", "lower", "--by", "alice"});
  }
  std::string Tag(const std::string& service, const std::string& env) {
    std::string text = box.RemoteFile("deploy/" + service + "/values-" + env + ".yaml");
    auto pos = text.find("tag: \"");
    return pos == std::string::npos ? text : text.substr(pos + 6, 7);
  }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  Sandbox box;

 private:
  std::map<std::string, std::string> details_, commits_;
};

}  // namespace captain::testing
