// Test helper: runs the built captain binary and captures what it printed.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace captain::testing {

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs CAPTAIN_BIN with `args` after the shell words `env_prefix` (e.g. "VAR=x");
// stdin is /dev/null.
inline Run RunCaptainEnv(const std::string& env_prefix, const std::vector<std::string>& args) {
  char dir[] = "/tmp/captain-run-XXXXXX";
  if (!mkdtemp(dir)) return {};
  std::string out = std::string(dir) + "/out", err = std::string(dir) + "/err";
  std::string cmd = env_prefix + " " + ShellQuote(CAPTAIN_BIN);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  cmd += " </dev/null >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  Run r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  rmdir(dir);
  return r;
}

inline Run RunCaptain(const std::vector<std::string>& args) { return RunCaptainEnv("", args); }

inline std::string VroConfig() {
  return std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/captain.yaml";
}

}  // namespace captain::testing
