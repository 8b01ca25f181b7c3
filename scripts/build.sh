#!/usr/bin/env bash
# Configures and builds captain into build/ (or $BUILD_DIR). CAPTAIN_SANITIZE=ON for ASan+UBSan;
# LINE_TABLES_ONLY=OFF for full debug info (the default, line tables only, compiles faster).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DCAPTAIN_SANITIZE=${CAPTAIN_SANITIZE:-OFF} -DCAPTAIN_LINE_TABLES_ONLY=${LINE_TABLES_ONLY:-ON} \
  >/dev/null
cmake --build "$build_dir" -j "$jobs"
