#!/usr/bin/env bash
# captain's main job on the embedded default: builds captain, makes a local GitOps repository
# from examples/vro/gitops, and runs the VRO release train of 2026-12-01 against it with the
# SQLite store, moving --now from the announcement to the prod sign-off. State lives in
# .captain/ and is made afresh on each run (CAPTAIN_KEEP_STATE=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build bash scripts/build.sh
root=$(pwd)
captain="$root/build/captain"
config="$root/examples/vro/captain.yaml"
state="$root/.captain"
if [ "${CAPTAIN_KEEP_STATE:-0}" != 1 ]; then
  rm -rf "$state/vro.db" "$state/vro.db-wal" "$state/vro.db-shm" "$state/vro" "$state/vro-gitops.git"
fi
mkdir -p "$state"
bash scripts/make-gitops-remote.sh "$state/vro-gitops.git"
id=2026-12-01
head=4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39

step() { printf '\n== %s\n' "$*"; }
run() {  # run NOW ARGS…: one captain command at a pretend time
  local now=$1
  shift
  echo "\$ captain --now $now $*"
  "$captain" --config "$config" --now "$now" "$@"
}

step "configuration, the state database and the calendar"
run 2026-11-30T15:00:00Z check-config
run 2026-11-30T15:00:00Z init
run 2026-11-30T15:00:00Z schedule --count 2

step "Tuesday 07:00 ET: SecRel's run and develop's head"
run 2026-12-01T12:00:00Z evidence import examples/vro/evidence/secrel-run-2026-12-01.json --by secrel
run 2026-12-01T12:00:00Z evidence develop --commit "$head" --by secrel

step "Tuesday 09:00 ET: the train is announced (tick opens the release)"
run 2026-12-01T14:00:00Z tick
step "partner teams answer; ee stays silent"
run 2026-12-01T16:00:00Z opt in --release "$id" --team cc --by cc-lead
run 2026-12-01T16:05:00Z release note "$id" --category bug-fixes --text "BGS API retries on timeouts" --by captain-alice
step "Tuesday 15:00 ET: the opt window closes; the lower-region plan"
run 2026-12-01T20:00:00Z tick
run 2026-12-01T20:01:00Z plan "$id" --tier lower
step "deploy dev, qa and sandbox (one commit each in the GitOps repository)"
run 2026-12-01T20:05:00Z deploy "$id" --tier lower --by captain-alice

step "Wednesday: validation and sign-off"
run 2026-12-02T15:00:00Z signoff --release "$id" --team vro --env qa --by captain-alice
run 2026-12-02T16:00:00Z signoff --release "$id" --team cc --env qa --by cc-lead
step "Thursday 09:00 ET: defect cutoff; prod-test, then prod"
run 2026-12-03T14:00:00Z tick
run 2026-12-03T15:00:00Z deploy "$id" --tier prod-test --by captain-alice
run 2026-12-03T15:30:00Z signoff --release "$id" --team vro --env prod-test --by captain-alice
run 2026-12-03T15:30:00Z signoff --release "$id" --team cc --env prod-test --by cc-lead
run 2026-12-03T15:35:00Z plan "$id" --tier prod
run 2026-12-03T15:40:00Z deploy "$id" --tier prod --by captain-alice
run 2026-12-03T17:00:00Z signoff --release "$id" --team vro --env prod --by captain-alice
run 2026-12-03T17:00:00Z signoff --release "$id" --team cc --env prod --by cc-lead
run 2026-12-03T17:05:00Z release signoff "$id" --by captain-alice

step "where everything stands"
run 2026-12-03T17:10:00Z release show "$id"
run 2026-12-03T17:10:00Z signatures
run 2026-12-03T17:10:00Z drift || true
step "the GitOps repository's history"
git --git-dir="$state/vro-gitops.git" log --format='%h %s' main
