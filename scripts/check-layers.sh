#!/usr/bin/env bash
# The front ends (src/cli, src/server) reach the store and the GitOps repository only through
# src/app: fails, naming the lines, if one of their files includes a header from either.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](store|gitops)/' \
  src/cli/*.cc src/cli/*.h src/server/*.cc src/server/*.h 2>/dev/null | grep -v '_test\.cc:' || true)
if [ -n "$bad" ]; then
  echo "check-layers: src/cli and src/server must call src/app, not src/store or src/gitops:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "check-layers: src/cli and src/server include nothing from src/store or src/gitops"
