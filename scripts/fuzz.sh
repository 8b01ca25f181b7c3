#!/usr/bin/env bash
# Usage: scripts/fuzz.sh TARGET SECONDS [JOBS]
# Runs one libFuzzer target (config, yaml_edit, run_report, image_ref, time) under ASan+UBSan
# for SECONDS, starting from fuzz/corpus/TARGET (new finds go to build-fuzz/corpus/TARGET,
# crashes to build-fuzz/findings/). Builds build-fuzz/ with clang first.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 || ! -f fuzz/fuzz_$1.cc ]]; then
  echo "usage: $0 TARGET SECONDS [JOBS]   (targets: $(ls fuzz/*.cc | sed 's|fuzz/fuzz_||; s|\.cc||' | tr '\n' ' '))" >&2
  exit 2
fi
target=$1 seconds=$2 jobs=${3:-1}
BUILD_DIR=build-fuzz CAPTAIN_SANITIZE=ON CAPTAIN_FUZZ=ON CC=clang CXX=clang++ \
  BUILD_TYPE=RelWithDebInfo bash scripts/build.sh >/dev/null
mkdir -p "build-fuzz/corpus/$target" build-fuzz/findings
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "build-fuzz/fuzz_$target" -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" \
  -artifact_prefix=build-fuzz/findings/ -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
  "build-fuzz/corpus/$target" "fuzz/corpus/$target"
