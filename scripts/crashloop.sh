#!/usr/bin/env bash
# Usage: scripts/crashloop.sh [ITERATIONS]     (default 100)
# Kills `captain deploy` and `captain rollback` with SIGKILL at random moments against a network
# remote (git daemon on 127.0.0.1), then lets the next command reconcile, and checks after every
# iteration that nothing was lost or done twice:
#   - the remote has exactly one deploy commit per lower environment per iteration,
#   - every Captain-Deploy trailer on the remote is unique,
#   - rollback commits on the remote equal the incidents captain recorded,
#   - no intent is left pending, and `captain drift` finds the records and the remote agreeing,
# with nothing removed by hand. Prints the figures. Needs a built captain (CAPTAIN=path).
set -euo pipefail
exec 2> >(grep --line-buffered -v ' Killed ' >&2)  # bash's notes on the processes it kills
root=$(cd "$(dirname "$0")/.." && pwd)
CAPTAIN=${CAPTAIN:-$root/build/captain}
iterations=${1:-100}
[[ -x $CAPTAIN ]] || { echo "$0: no captain at $CAPTAIN" >&2; exit 2; }
work=$(mktemp -d /tmp/captain-crashloop.XXXXXX)
daemon_pid=
cleanup() {
  [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null || true
  [[ ${KEEP:-0} = 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# The example's GitOps seed, served over git:// with receive-pack enabled.
bash "$root/scripts/make-gitops-remote.sh" "$work/remote.git" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --reuseaddr --listen=127.0.0.1 --port="$port" --export-all --enable=receive-pack \
  --base-path="$work" --pid-file="$work/daemon.pid" --detach "$work"
for _ in $(seq 50); do [[ -s $work/daemon.pid ]] && break; sleep 0.1; done
daemon_pid=$(cat "$work/daemon.pid")
sed -e "s|repo: ../../.captain/vro-gitops.git|repo: git://127.0.0.1:$port/remote.git|" \
    -e "s|database: ../../.captain/vro.db|database: $work/captain.db|" \
    -e "s|state_dir: ../../.captain/vro|state_dir: $work/state|" \
    "$root/examples/vro/captain.yaml" |
  awk '/^[a-z_]+:/ { skip = ($1 == "registry:") } !skip' >captain.yaml  # no registry here

id=2026-12-01
head=4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39
fix=9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807
minute=0
base=$(date -u -d 2026-12-01T20:05:00Z +%s)
at() { date -u -d "@$((base + minute * 60))" +%FT%TZ; }
cap() { "$CAPTAIN" --config captain.yaml --now "$(at)" "$@"; }
# A second SecRel run: vro-cc-app at $fix, so a hotfix can swap between the two commits.
sed -e "s/secrel-2026-12-01-0700/secrel-fix/" -e "s/$head/$fix/g" -e "s/4f2a9c1\"/9e8d7c6\"/g" \
  "$root/examples/vro/evidence/secrel-run-2026-12-01.json" >fix.json
sed -i -e "s/:4f2a9c1/:9e8d7c6/g" fix.json
{
  cap init
  "$CAPTAIN" --config captain.yaml --now 2026-12-01T12:00:00Z evidence import \
    "$root/examples/vro/evidence/secrel-run-2026-12-01.json" --by secrel
  "$CAPTAIN" --config captain.yaml --now 2026-12-01T12:00:00Z evidence import fix.json --by secrel
  "$CAPTAIN" --config captain.yaml --now 2026-12-01T12:00:00Z evidence develop --commit "$head" --by secrel
  "$CAPTAIN" --config captain.yaml --now 2026-12-01T14:00:00Z tick
  "$CAPTAIN" --config captain.yaml --now 2026-12-01T16:00:00Z opt in --release $id --team cc --by cc
  cap tick
  cap deploy $id --tier lower --by loop
} >setup.log 2>&1 || { cat setup.log >&2; exit 1; }

remote_count() { git --git-dir=remote.git rev-list --count main -- "$@"; }
last_deploys=$(git --git-dir=remote.git log --format=%s main | grep -c '^deploy(' || true)
kills=0 landed_kills=0 rollbacks=0
for ((i = 1; i <= iterations; i++)); do
  ((minute += 1))
  commit=$([[ $((i % 2)) = 1 ]] && echo "$fix" || echo "$head")
  cap release update $id --service vro-cc-app --commit "$commit" --by loop >/dev/null
  ((minute += 1))
  before=$(git --git-dir=remote.git rev-parse main)
  delay=$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", r / 32767 * 0.4 }')
  status=0
  (exec timeout -s KILL "$delay" "$CAPTAIN" --config captain.yaml --now "$(at)" deploy $id \
    --tier lower --by loop >/dev/null 2>&1) 2>/dev/null || status=$?
  if [[ $status = 137 ]]; then
    ((kills += 1))
    [[ $(git --git-dir=remote.git rev-parse main) != "$before" ]] && ((landed_kills += 1))
  fi
  ((minute += 1))
  cap deploy $id --tier lower --by loop >/dev/null 2>deploy.err || { echo "iteration $i: deploy failed: $(cat deploy.err)" >&2; exit 1; }
  if ((i % 4 == 0)); then
    ((minute += 1))
    delay=$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", r / 32767 * 0.4 }')
    status=0
    (exec timeout -s KILL "$delay" "$CAPTAIN" --config captain.yaml --now "$(at)" rollback \
      --release $id --env qa --service vro-cc-app --reason "crash loop $i" --by loop \
      >/dev/null 2>&1) 2>/dev/null || status=$?
    [[ $status = 137 ]] && ((kills += 1))
    ((minute += 1))
    cap deploy $id --tier lower --by loop >/dev/null 2>deploy.err || { echo "iteration $i: recovery failed: $(cat deploy.err)" >&2; exit 1; }
  fi
  # The checks, after every iteration.
  deploys=$(git --git-dir=remote.git log --format=%s main | grep -c '^deploy(' || true)
  if ((deploys - last_deploys > 3)); then
    echo "iteration $i: $((deploys - last_deploys)) deploy commits for one lower step" >&2; exit 1
  fi
  last_deploys=$deploys
  recorded=$(sqlite3 captain.db "SELECT count(DISTINCT gitops_commit) FROM deployments WHERE rollback = 0 AND gitops_commit != ''")
  [[ $recorded = "$deploys" ]] || { echo "iteration $i: $deploys deploy commits on the remote, $recorded recorded" >&2; exit 1; }
  # The step always finishes: every lower environment runs the hotfix's tag unless qa is held
  # by a rollback of this iteration.
  want=${commit:0:7}
  for env in dev sandbox; do
    got=$(git --git-dir=remote.git show "main:deploy/vro-cc-app/values-$env.yaml" | sed -nE 's/^[[:space:]]*tag:[[:space:]]*"?([0-9a-f]{7}).*/\1/p' | head -1)
    [[ $got = "$want" ]] || { echo "iteration $i: vro-cc-app in $env runs $got, expected $want" >&2; exit 1; }
  done
  dupes=$(git --git-dir=remote.git log --format='%(trailers:key=Captain-Deploy,valueonly)' main | grep . | sort | uniq -d)
  [[ -z $dupes ]] || { echo "iteration $i: a Captain-Deploy trailer twice: $dupes" >&2; exit 1; }
  rollbacks=$(git --git-dir=remote.git log --format=%s main | grep -c '^rollback(' || true)
  incidents=$(cap --json incident list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["incidents"]))')
  [[ $rollbacks = "$incidents" ]] || { echo "iteration $i: $rollbacks rollback commits, $incidents incidents" >&2; exit 1; }
  pending=$(sqlite3 captain.db "SELECT count(*) FROM deploy_intents WHERE state = 'pending'")
  [[ $pending = 0 ]] || { echo "iteration $i: $pending intents pending" >&2; exit 1; }
  cap drift --json >drift.json 2>drift.err || true
  mismatched=$(python3 -c 'import json; d=json.load(open("drift.json")); print(sum(1 for t in d["tags"] if t["status"] not in ("in-sync", "unmanaged")))')
  [[ $mismatched = 0 ]] || { echo "iteration $i: drift found $mismatched tags out of place" >&2; cat drift.json >&2; exit 1; }
done
echo "crashloop: $iterations iterations, $kills processes killed ($landed_kills deploys killed after a push landed), $rollbacks rollbacks landed; every check held"
