#!/usr/bin/env bash
# Configures and builds captain into build/ (or $BUILD_DIR). CAPTAIN_SANITIZE=ON for ASan+UBSan;
# CAPTAIN_FUZZ=ON (with CC=clang CXX=clang++) also builds the libFuzzer targets in fuzz/;
# LINE_TABLES_ONLY=OFF for full debug info (the default, line tables only, compiles faster).
# Warnings are errors. SKIP_SETUP=1 skips the package check (the test script runs it once).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_SETUP:-0}" = 1 ] || bash scripts/setup.sh
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DCAPTAIN_SANITIZE=${CAPTAIN_SANITIZE:-OFF} -DCAPTAIN_FUZZ=${CAPTAIN_FUZZ:-OFF} \
  -DCAPTAIN_WERROR=${CAPTAIN_WERROR:-ON} -DCAPTAIN_LINE_TABLES_ONLY=${LINE_TABLES_ONLY:-ON} \
  >/dev/null
cmake --build "$build_dir" -j "$jobs"
