#!/usr/bin/env bash
# captain's main job on the embedded default: builds captain, makes a local GitOps repository
# from examples/vro/gitops, and runs the VRO release train of 2026-12-01 against it with the
# SQLite store, moving --now from the announcement to the prod sign-off. The images are checked
# against a real registry: Debian's docker-registry on 127.0.0.1:5077 (registry.url of the
# example), filled by captain-push-images with the images and cosign signatures SecRel's run
# would have left. State lives in .captain/ and is made afresh on each run (CAPTAIN_KEEP_STATE=1
# keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build bash scripts/build.sh
root=$(pwd)
captain="$root/build/captain"
config="$root/examples/vro/captain.yaml"
state="$root/.captain"
if [ "${CAPTAIN_KEEP_STATE:-0}" != 1 ]; then
  rm -rf "$state/vro.db" "$state/vro.db-wal" "$state/vro.db-shm" "$state/vro" "$state/vro-gitops.git" \
    "$state/registry"
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

step "the registry: Debian's docker-registry on 127.0.0.1:5077, with the images of SecRel's run"
registry_port=5077
if (exec 3<>"/dev/tcp/127.0.0.1/$registry_port") 2>/dev/null; then
  echo "run-example: 127.0.0.1:$registry_port is in use; examples/vro/captain.yaml's registry.url" \
    "needs it for the example's registry" >&2
  exit 1
fi
mkdir -p "$state/registry"
printf '%s\n' 'version: 0.1' 'log:' '  level: error' '  accesslog:' '    disabled: true' \
  'storage:' '  filesystem:' "    rootdirectory: $state/registry/data" 'http:' \
  "  addr: 127.0.0.1:$registry_port" > "$state/registry/config.yml"
docker-registry serve "$state/registry/config.yml" > "$state/registry/registry.log" 2>&1 &
registry_pid=$!
serve_pid=""
cleanup() {
  [ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true
  kill "$registry_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$registry_port/v2/" >/dev/null && break
  sleep 0.1
done
echo "\$ captain-push-images --registry 127.0.0.1:$registry_port --report examples/vro/evidence/secrel-run-2026-12-01.json --key examples/vro/keys/cosign.key"
"$root/build/captain-push-images" --registry "127.0.0.1:$registry_port" \
  --report examples/vro/evidence/secrel-run-2026-12-01.json --key examples/vro/keys/cosign.key

step "Tuesday 07:00 ET: SecRel's run and develop's head"
run 2026-12-01T12:00:00Z evidence import examples/vro/evidence/secrel-run-2026-12-01.json --by secrel
run 2026-12-01T12:00:00Z evidence develop --commit "$head" --by secrel

step "Tuesday 09:00 ET: the train is announced (tick opens the release)"
run 2026-12-01T14:00:00Z tick
step "the report checked against the registry: each image's tag, revision label and signature"
run 2026-12-01T14:05:00Z evidence verify --release "$id" --by captain-alice
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

step "the daemon: the same release's Tuesday, driven through its HTTP API with curl"
serve_dir="$state/serve"
rm -rf "$serve_dir"
mkdir -p "$serve_dir"
bash scripts/make-gitops-remote.sh "$serve_dir/gitops.git" >/dev/null
# The example's configuration, pointed at its own database and GitOps remote, with one token
# per role (captain token new prints each token once, with its configuration line).
sed -e "s#repo: ../../.captain/vro-gitops.git.*#repo: $serve_dir/gitops.git#" \
    -e "s#^database: .*#database: $serve_dir/vro.db#" \
    -e "s#^state_dir: .*#state_dir: $serve_dir/state#" "$config" > "$serve_dir/captain.yaml"
printf '\nserver:\n  tick_seconds: 1\n  tokens:\n' >> "$serve_dir/captain.yaml"
declare -A token
for who in captain-alice:captain cc-lead:team:cc secrel:ci; do
  name=${who%%:*}
  json=$("$captain" --json token new "$name" --role "${who#*:}")
  token[$name]=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$json")
  line=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["config_line"])' <<<"$json")
  echo "    $line" >> "$serve_dir/captain.yaml"
done
"$captain" --config "$serve_dir/captain.yaml" init
echo "\$ captain --now 2026-12-01T13:59:58Z serve --listen 127.0.0.1:0   (three seconds before the announcement)"
"$captain" --config "$serve_dir/captain.yaml" --now 2026-12-01T13:59:58Z serve \
  --listen 127.0.0.1:0 2> "$serve_dir/serve.log" &
serve_pid=$!
url=""
for _ in $(seq 100); do
  url=$(grep -o 'url=http://[0-9.:]*' "$serve_dir/serve.log" | head -1 | cut -d= -f2 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$serve_dir/serve.log"; exit 1; }
api() {  # api WHO METHOD PATH [BODY]
  local who=$1 method=$2 path=$3
  shift 3
  echo "\$ curl -X $method $path  (as $who)" >&2
  curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer ${token[$who]}" \
    -H 'Content-Type: application/json' "$url$path" "$@"
  echo
}
# (the answer is read whole before grep looks at it: grep -q leaving early would break the pipe)
until releases=$(api captain-alice GET /api/v1/releases 2>/dev/null) && grep -q "\"$id\"" <<<"$releases"; do
  sleep 0.5
done
echo "the scheduler opened and announced $id by itself:"
api captain-alice GET "/api/v1/audit?release=$id&action=tick.announce"
api secrel POST /api/v1/evidence/reports --data-binary @examples/vro/evidence/secrel-run-2026-12-01.json
api secrel POST /api/v1/evidence/develop -d "{\"commit\": \"$head\"}"
api cc-lead POST "/api/v1/releases/$id/opt" -d '{"team": "cc", "answer": "in"}'
echo "a team token cannot answer for another team (403):"
api cc-lead POST "/api/v1/releases/$id/opt" -d '{"team": "ee", "answer": "in"}' || true
api captain-alice GET "/api/v1/releases/$id/plan?tier=lower" | python3 -c '
import json, sys
plan = json.load(sys.stdin)
for s in plan["services"]:
    print("  %-22s %-7s %s" % (s["service"], s["decision"], s["reason"] or ""))'
kill -TERM $serve_pid
wait $serve_pid
serve_pid=""
echo "the daemon stopped cleanly on SIGTERM; its log:"
cat "$serve_dir/serve.log"
