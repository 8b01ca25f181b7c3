#!/usr/bin/env bash
# Usage: bench/serve_engines.sh
# The API benchmarks of serve.sh against both stores, side by side in one run: the VRO example
# in SQLite, then the same database copied into PostgreSQL (captain store copy; the server is
# a throw-away cluster started with scripts/pg-test.sh on a Unix socket and stopped after).
# Reads: GET /api/v1/releases/{id}; writes: POST .../health and POST /hooks/argocd. Prints
# requests/s, p50/p99 and PostgreSQL's ratio to SQLite. See bench/README.md.
#   CAPTAIN=path  the binary (default build/captain)   SECONDS_EACH=10  length of each run
#   CONNECTIONS=16  wrk connections (2 threads)        KEEP=1  keep the work directory
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/scale_fixture.sh"
source "$root/bench/serve_lib.sh"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v psql >/dev/null || missing+=(postgresql)
install_missing serve_engines.sh "${missing[@]}"
work=$(work_dir captain-engines)
pg=$(mktemp -d /tmp/captain-bench-pg.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$root/scripts/pg-test.sh" stop "$pg"
  [[ ${KEEP:-0} = 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

vro="$work/vro"
vro_fixture "$vro"
write_lua_scripts
bash "$root/scripts/pg-test.sh" start "$pg"
psql -q -h "$pg" -U captain postgres -c "CREATE DATABASE bench"
pg_url="postgresql://captain@/bench?host=$pg"
"$CAPTAIN" store copy --from "$vro/vro.db" --to "$pg_url" >/dev/null
sed "s#^database: .*#database: \"$pg_url\"#" "$vro/captain.yaml" >"$vro/captain-pg.yaml"

# run_engine NAME CONFIG: the three benchmarks against one store; sets NAME_{read,health,hook}.
run_engine() {
  local name=$1 cfg=$2 rps p50 p99 bad
  start_captain "$cfg" 2026-12-01T16:00:00Z
  sleep 1
  read -r rps p50 p99 bad _ < <(bench "$name-read" "$url/api/v1/releases/2026-12-01")
  printf -v "${name}_read" '%s %s %s %s' "$rps" "$p50" "$p99" "$bad"
  read -r rps p50 p99 bad _ < <(bench "$name-health" "$url/api/v1/releases/2026-12-01/health" "$work/health.lua")
  printf -v "${name}_health" '%s %s %s %s' "$rps" "$p50" "$p99" "$bad"
  read -r rps p50 p99 bad _ < <(bench "$name-hook" "$url/hooks/argocd" "$work/hook.lua" bench-hook-secret)
  printf -v "${name}_hook" '%s %s %s %s' "$rps" "$p50" "$p99" "$bad"
  kill "$captain_pid"
  wait "$captain_pid" 2>/dev/null || true
}
run_engine sqlite "$vro/captain.yaml"
run_engine pg "$vro/captain-pg.yaml"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() {  # row LABEL "SQLITE" "PG"
  local label=$1 s_rps s_p50 s_p99 s_bad p_rps p_p50 p_p99 p_bad
  read -r s_rps s_p50 s_p99 s_bad <<<"$2"
  read -r p_rps p_p50 p_p99 p_bad <<<"$3"
  printf '%-34s %9s %7s %7s %9s %7s %7s %8s %6s\n' "$label" "$s_rps" "$s_p50" "$s_p99" \
    "$p_rps" "$p_p50" "$p_p99" "$(ratio "$p_rps" "$s_rps")" "$((s_bad + p_bad))"
}
echo
echo "wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s on 127.0.0.1 ($(nproc) cores), one run each, side by side:"
printf '%-34s %9s %7s %7s %9s %7s %7s %8s %6s\n' "" "SQLite" "p50 ms" "p99 ms" "Postgres" "p50 ms" "p99 ms" "PG/SQL" "non2xx"
row "GET release view (read)" "$sqlite_read" "$pg_read"
row "POST health (write)" "$sqlite_health" "$pg_health"
row "POST /hooks/argocd (write)" "$sqlite_hook" "$pg_hook"
