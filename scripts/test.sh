#!/usr/bin/env bash
# Builds captain and runs every test: the normal build, then the ASan+UBSan build.
# SKIP_SANITIZE=1 runs only the normal build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
if [ "${SKIP_SANITIZE:-0}" != 1 ]; then
  BUILD_DIR=build-asan CAPTAIN_SANITIZE=ON BUILD_TYPE=Debug bash scripts/build.sh
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     ctest --output-on-failure -j "$(nproc)")
fi
