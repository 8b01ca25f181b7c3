#!/usr/bin/env bash
# Installs every Debian package captain's build and tests need. Safe to run again:
# it only calls apt-get when something is missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git tzdata
  libfyaml-dev libhowardhinnant-date-dev libcli11-dev libical-dev
  libsqlitecpp-dev libsqlite3-dev libgit2-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcpp-httplib-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev clang-format
  sqlite3 python3 time bc curl systemd
  docker-registry  # the registry the registry checks are tested against (started by the tests)
  chromium nodejs  # the dashboard's browser tests (playwright-core drives Debian's chromium)
  libpq-dev postgresql  # the PostgreSQL store (initdb and pg_ctl start one in the tests)
  libgoogle-perftools-dev  # tcmalloc_minimal, the daemon's allocator
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The browser tests' npm packages (playwright-core, axe-core), as package-lock.json pins them.
web_test="$(cd "$(dirname "$0")/.." && pwd)/web/test"
if [ ! -f "$web_test/node_modules/.package-lock.json" ] ||
   [ "$web_test/package-lock.json" -nt "$web_test/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in web/test"
  (cd "$web_test" && npm ci --no-audit --no-fund --loglevel=error)
fi
