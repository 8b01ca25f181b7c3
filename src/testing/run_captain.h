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

// Runs `program` with `args` after the shell words `env_prefix` (e.g. "VAR=x"); stdin is
// /dev/null.
inline Run RunProgram(const std::string& env_prefix, const std::string& program,
                      const std::vector<std::string>& args) {
  char dir[] = "/tmp/captain-run-XXXXXX";
  if (!mkdtemp(dir)) return {};
  std::string out = std::string(dir) + "/out", err = std::string(dir) + "/err";
  std::string cmd = env_prefix + " " + ShellQuote(program);
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

// Runs CAPTAIN_BIN with `args` after the shell words `env_prefix` (e.g. "VAR=x").
inline Run RunCaptainEnv(const std::string& env_prefix, const std::vector<std::string>& args) {
  return RunProgram(env_prefix, CAPTAIN_BIN, args);
}

inline Run RunCaptain(const std::vector<std::string>& args) { return RunCaptainEnv("", args); }

inline std::string VroConfig() {
  return std::string(CAPTAIN_SOURCE_DIR) + "/examples/vro/captain.yaml";
}

// `yaml` without its top-level section `key` (the key's line and the indented or commented
// lines under it).
inline std::string WithoutSection(const std::string& yaml, const std::string& key) {
  std::string out, line;
  bool skipping = false;
  for (size_t at = 0; at < yaml.size();) {
    size_t end = yaml.find('\n', at);
    end = end == std::string::npos ? yaml.size() : end + 1;
    line = yaml.substr(at, end - at);
    at = end;
    bool top = !line.empty() && line[0] != ' ' && line[0] != '#' && line[0] != '\n';
    if (top) skipping = line.rfind(key + ":", 0) == 0;
    if (!skipping) out += line;
  }
  return out;
}

}  // namespace captain::testing
