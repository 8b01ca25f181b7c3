// Test helper: a scratch directory with the VRO example configuration pointed at its own
// database, state directory and a local bare GitOps repository seeded with every service's
// environment overlays. Removed at destruction.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testing/run_captain.h"

namespace captain::testing {

inline const std::vector<std::string>& VroServices() {
  static const std::vector<std::string> kServices = {
      "rabbitmq",           "vro-db-init",        "vro-dev-tools", "vro-svc-bgs-api",
      "vro-svc-bip-api",    "vro-svc-bie-kafka",  "vro-streamlit", "vro-cc-app",
      "vro-ee-max-cfi-app", "vro-ee-ep-merge-app"};
  return kServices;
}
// The image repository examples/vro/captain.yaml configures for `service`.
inline std::string VroImage(const std::string& service) {
  return "ghcr.io/department-of-veterans-affairs/abd-vro-internal/" +
         (service == "rabbitmq" ? std::string("vro-rabbitmq") : service);
}
inline const std::vector<std::string>& VroEnvironments() {
  static const std::vector<std::string> kEnvs = {"dev", "qa", "sandbox", "prod-test", "prod"};
  return kEnvs;
}

class Sandbox {
 public:
  Sandbox() {
    char tmpl[] = "/tmp/captain-sandbox-XXXXXX";
    dir_ = mkdtemp(tmpl);
    namespace fs = std::filesystem;
    fs::path seed = fs::path(dir_) / "seed";
    for (const auto& s : VroServices()) {
      for (const auto& e : VroEnvironments()) {
        fs::create_directories(seed / "deploy" / s);
        std::ofstream(seed / "deploy" / s / ("values-" + e + ".yaml"))
            << "# " << s << " in " << e << "\nimage:\n  repository: ghcr.io/x/" << s
            << "\n  tag: \"0000000\"  # set by captain\nreplicaCount: 1\n";
      }
    }
    Shell(
        "cd seed && git init -q --template= -b main && git add -A && "
        "git -c user.name=seed -c user.email=seed@example.com commit -q -m seed && "
        "git init -q --template= --bare -b main ../remote.git && git push -q ../remote.git main");
    // The example's loopback registry is run-example.sh's; the tests that check images start
    // their own.
    std::string cfg = WithoutSection(Slurp(VroConfig()), "registry");
    Replace(cfg, "repo: ../../.captain/vro-gitops.git", "repo: " + dir_ + "/remote.git");
    Replace(cfg, "database: ../../.captain/vro.db", "database: " + dir_ + "/captain.db");
    Replace(cfg, "state_dir: ../../.captain/vro", "state_dir: " + dir_ + "/state");
    std::ofstream(Path("captain.yaml")) << cfg;
    RunCaptain({"--config", Path("captain.yaml"), "init"});
  }
  ~Sandbox() { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  const std::string& dir() const { return dir_; }

  // captain --config <sandbox config> --now NOW ARGS…
  Run Captain(const std::string& now, std::vector<std::string> args,
              const std::string& env_prefix = "") const {
    std::vector<std::string> full = {"--config", Path("captain.yaml"), "--now", now};
    full.insert(full.end(), args.begin(), args.end());
    return RunCaptainEnv(env_prefix, full);
  }

  // Runs a shell command in the sandbox; returns its output.
  std::string Shell(const std::string& cmd) const {
    std::string out = dir_ + "/.shell-out";
    int rc =
        std::system(("cd " + ShellQuote(dir_) + " && (" + cmd + ") >" + out + " 2>&1").c_str());
    std::string text = Slurp(out);
    std::remove(out.c_str());
    if (rc != 0) text = "FAILED(" + std::to_string(rc) + "): " + text;
    return text;
  }
  std::string RemoteFile(const std::string& path) const {
    return Shell("git --git-dir=remote.git show main:" + path);
  }
  int RemoteCommits() const {
    return std::stoi(Shell("git --git-dir=remote.git rev-list --count main"));
  }

 private:
  static void Replace(std::string& s, const std::string& from, const std::string& to) {
    auto pos = s.find(from);
    if (pos != std::string::npos) s.replace(pos, from.size(), to);
  }
  std::string dir_;
};

}  // namespace captain::testing
