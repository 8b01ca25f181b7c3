#!/usr/bin/env bash
# Builds captain and runs every test: the formatting check, the normal build (GCC), then the
# ASan+UBSan build (clang, with the libFuzzer targets built but not run).
# SKIP_SANITIZE=1 runs only the normal build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check-format.sh
SKIP_SETUP=1 BUILD_DIR=build bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$(nproc)")
if [ "${SKIP_SANITIZE:-0}" != 1 ]; then
  SKIP_SETUP=1 BUILD_DIR=build-asan CAPTAIN_SANITIZE=ON CAPTAIN_FUZZ=ON CC=clang CXX=clang++ \
    BUILD_TYPE=Debug bash scripts/build.sh
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     ctest --output-on-failure -j "$(nproc)")
fi
