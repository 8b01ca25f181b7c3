#!/usr/bin/env bash
# systemd-analyze verify on deploy/captain.service, with its commands pointed at the built
# binary (verify checks that they exist): no error and no warning. A control with a missing
# binary must fail the same check, so the check is known to work on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
captain=${CAPTAIN:-$PWD/build/captain}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#/usr/local/bin/captain#$captain#g" deploy/captain.service > "$dir/captain.service"
out=$(systemd-analyze verify "$dir/captain.service" 2>&1)
if [ -n "$out" ]; then
  echo "check-systemd: deploy/captain.service: $out" >&2
  exit 1
fi
sed "s#/usr/local/bin/captain#$dir/missing#g" deploy/captain.service > "$dir/control.service"
if systemd-analyze verify "$dir/control.service" >/dev/null 2>&1; then
  echo "check-systemd: a unit naming a missing binary passed; the check proves nothing" >&2
  exit 1
fi
echo "check-systemd: deploy/captain.service verifies"
