#!/usr/bin/env bash
# The main job on the embedded default: builds captain, then runs it against the VRO example
# configuration (SQLite state and a local GitOps repository under .captain/).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build bash scripts/build.sh
captain=build/captain
config=examples/vro/captain.yaml
now=${CAPTAIN_NOW:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}
mkdir -p .captain
echo "== captain check-config"
"$captain" --config "$config" --now "$now" check-config
echo
echo "== captain schedule (the next trains)"
"$captain" --config "$config" --now "$now" schedule --count 3
