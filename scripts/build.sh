#!/usr/bin/env bash
# Configures and builds captain into build/ (or $BUILD_DIR). CAPTAIN_SANITIZE=ON for ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DCAPTAIN_SANITIZE=${CAPTAIN_SANITIZE:-OFF} >/dev/null
cmake --build "$build_dir" -j "$jobs"
