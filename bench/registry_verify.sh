#!/usr/bin/env bash
# Usage: bench/registry_verify.sh [N]          (default 1000)
# captain evidence verify of N images against Debian's docker-registry on 127.0.0.1, cold (no
# earlier check in the database) and warm (a second verify: images that passed and still
# resolve to the same digest are not fetched again), beside `skopeo inspect` of the same N
# images one after another, the reference. Each image is checked in full by captain (tag,
# platform image, config's revision label, cosign signature manifest, payload, ECDSA
# verification); skopeo inspect reads the manifest and the config. Prints the medians, the
# ratio and PASS/FAIL against the targets: cold at least 3x faster than sequential skopeo,
# warm under 1 s. See bench/README.md.
#   CAPTAIN=path  the binary (default build/captain; captain-push-images beside it)
#   REPS=3        runs of each captain measurement (skopeo runs once: it is the slow one)
#   KEEP=1        keep the work directory       TMPDIR  where it goes (default /dev/shm)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
CAPTAIN=${CAPTAIN:-$root/build/captain}
PUSH=$(dirname "$CAPTAIN")/captain-push-images
REPS=${REPS:-3}
n=${1:-1000}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N]" >&2; exit 2; }
[[ -x $CAPTAIN && -x $PUSH ]] || {
  echo "$0: no captain or captain-push-images at $(dirname "$CAPTAIN") (build them, or set CAPTAIN)" >&2
  exit 2
}
source "$root/bench/scale_fixture.sh"
missing=()
command -v skopeo >/dev/null || missing+=(skopeo)
[[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry)
command -v openssl >/dev/null || missing+=(openssl)
install_missing registry_verify.sh "${missing[@]}"
work=$(work_dir captain-registry)
registry_pid=""
cleanup() {
  [[ -z $registry_pid ]] || kill "$registry_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [[ ${KEEP:-0} = 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
host=127.0.0.1:$port
printf '%s\n' 'version: 0.1' 'log:' '  level: error' '  accesslog:' '    disabled: true' \
  'storage:' '  filesystem:' "    rootdirectory: $work/registry" 'http:' "  addr: $host" \
  >"$work/registry.yml"
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -sf "http://$host/v2/" >/dev/null && break; sleep 0.1; done

# N services of one platform team and nine partner teams, their images in the test registry,
# a SecRel report of the N images, built and signed from one commit.
commit=4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
  openssl pkcs8 -topk8 -nocrypt -out "$work/cosign.key"
openssl pkey -in "$work/cosign.key" -pubout -out "$work/cosign.pub"
config "$n" "$work/captain.yaml" "$work/captain.db"
sed -i -e "s#prefix: ghcr.io/org/#prefix: $host/bench/#" \
  -e "s#signature: {max_age_days: 30, warn_days: 7}#signature: {max_age_days: 30, warn_days: 7, public_keys: [$work/cosign.pub]}#" \
  "$work/captain.yaml"
printf 'state_dir: %s\nregistry: {url: "http://%s"}\n' "$work/state" "$host" >>"$work/captain.yaml"
python3 - "$n" "$host" "$commit" >"$work/report.json" <<'EOF'
import json, sys
n, host, commit = int(sys.argv[1]), sys.argv[2], sys.argv[3]
print(json.dumps({"run_id": "bench", "commit": commit, "branch": "develop",
                  "finished_at": "2026-12-01T11:45:00Z",
                  "images": [{"service": "svc-%05d" % i,
                              "ref": "%s/bench/svc-%05d:%s" % (host, i, commit[:7]),
                              "digest": "sha256:" + "0" * 64, "scan": "passed", "signed": True,
                              "signed_at": "2026-12-01T11:42:00Z"} for i in range(n)]}))
EOF
t0=$EPOCHREALTIME
"$PUSH" --registry "$host" --report "$work/report.json" --key "$work/cosign.key" \
  --report-out "$work/report.json" --quiet 2>/dev/null
t1=$EPOCHREALTIME
push_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
cap() { "$CAPTAIN" --config "$work/captain.yaml" "$@"; }
cap init >/dev/null
cap --now 2026-12-01T12:00:00Z evidence import "$work/report.json" --by secrel >/dev/null
cap --now 2026-12-01T12:00:00Z evidence develop --commit "$commit" --by secrel >/dev/null
cap --now 2026-12-01T14:00:00Z tick >/dev/null
cp "$work/captain.db" "$work/fresh.db"

seconds() {  # seconds CMD...: wall time of one run; the command must succeed
  local a b
  a=$EPOCHREALTIME
  "$@" >"$work/out" 2>"$work/err" || { echo "failed: $*: $(head -3 "$work/err")" >&2; exit 1; }
  b=$EPOCHREALTIME
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}
median() { sort -n | sed -n "$(((REPS + 1) / 2))p"; }
verify() { cap --now 2026-12-01T14:05:00Z --json evidence verify --release 2026-12-01 --by bench; }
check_all_ok() {  # every image verified ok, and `cached` of them from the cache
  python3 - "$work/out" "$n" "$1" <<'EOF'
import json, sys
out, n, cached = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3] == "cached"
images = out["images"]
bad = [i for i in images if i["verdict"] != "ok"]
hit = [i for i in images if "unchanged since it was verified" in i["detail"]]
if len(images) != n or bad or (len(hit) == n) != cached:
    sys.exit("verify: %d images, %d not ok (%s), %d from the cache" %
             (len(images), len(bad), bad[:1], len(hit)))
EOF
}
cold=() warm=()
for ((r = 0; r < REPS; r++)); do
  cp "$work/fresh.db" "$work/captain.db"
  rm -f "$work/captain.db-wal" "$work/captain.db-shm"
  cold+=("$(seconds verify)")
  check_all_ok fresh
  warm+=("$(seconds verify)")
  check_all_ok cached
done
cold_s=$(printf '%s\n' "${cold[@]}" | median)
warm_s=$(printf '%s\n' "${warm[@]}" | median)

skopeo_all() {
  local i
  for ((i = 0; i < n; i++)); do
    skopeo inspect --tls-verify=false "docker://$host/bench/$(printf 'svc-%05d' "$i"):${commit:0:7}" \
      >/dev/null
  done
}
skopeo_s=$(seconds skopeo_all)

ratio=$(awk -v s="$skopeo_s" -v c="$cold_s" 'BEGIN { printf "%.1f", s / c }')
cold_ok=$(awk -v r="$ratio" 'BEGIN { print (r >= 3) ? "PASS" : "FAIL" }')
warm_ok=$(awk -v w="$warm_s" 'BEGIN { print (w < 1) ? "PASS" : "FAIL" }')
echo "registry_verify: $n images on docker-registry at $host ($(nproc) cores; pushed in ${push_s} s)"
printf '  %-52s %9s\n' "what" "seconds"
printf '  %-52s %9s\n' "captain evidence verify, cold (median of $REPS)" "$cold_s"
printf '  %-52s %9s\n' "captain evidence verify, warm (median of $REPS)" "$warm_s"
printf '  %-52s %9s\n' "skopeo inspect, each image in turn (the reference)" "$skopeo_s"
echo "  cold: ${ratio}x faster than sequential skopeo inspect (target >= 3x): $cold_ok"
echo "  warm: ${warm_s} s (target < 1 s): $warm_ok"
echo "  runs: cold ${cold[*]}; warm ${warm[*]}"
