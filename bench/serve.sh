#!/usr/bin/env bash
# Usage: bench/serve.sh
# The daemon under wrk on loopback, beside nginx-light answering a fixed 204 on the same machine
# (the floor): GET /api/v1/releases/{id} on the VRO example (10 services) and on a generated
# configuration of 1,000 services, POST .../health (a write), and POST /hooks/argocd (ArgoCD
# notifications, each journaled before its answer and applied to the store with its routing;
# the count in the store is checked against the answers). Prints requests/s, p50/p99 and the ratio to the floor, and the daemon's idle and
# loaded RSS. See bench/README.md.
#   CAPTAIN=path  the binary (default build/captain)   SECONDS_EACH=10  length of each run
#   CONNECTIONS=16  wrk connections (2 threads)        KEEP=1  keep the work directory
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/scale_fixture.sh"
source "$root/bench/serve_lib.sh"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
install_missing serve.sh "${missing[@]}"
work=$(work_dir captain-serve)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ ${KEEP:-0} = 1 ]] || rm -rf "$work"
}
trap cleanup EXIT

# The floor: nginx-light answering 204 to everything.
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  server { listen 127.0.0.1:$nginx_port; location / { return 204; } }
}
EOF
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
sleep 0.5

vro="$work/vro"
vro_fixture "$vro"

# 1,000 services with one whole train recorded.
big="$work/n1000"
mkdir -p "$big"
config 1000 "$big/captain.yaml" "$big/captain.db"
server_section >>"$big/captain.yaml"
"$CAPTAIN" --config "$big/captain.yaml" init >/dev/null
history 1000 1 "$big/captain.db"

write_lua_scripts

read -r floor_rps floor_p50 floor_p99 _ < <(bench floor "http://127.0.0.1:$nginx_port/")

start_captain "$vro/captain.yaml" 2026-12-01T16:00:00Z
sleep 1
idle_rss=$(rss_kib "$captain_pid")
read -r vro_rps vro_p50 vro_p99 vro_bad _ < <(bench vro-show "$url/api/v1/releases/2026-12-01")
read -r h_rps h_p50 h_p99 h_bad _ < <(bench health "$url/api/v1/releases/2026-12-01/health" "$work/health.lua")
read -r k_rps k_p50 k_p99 k_bad k_n < <(bench hooks "$url/hooks/argocd" "$work/hook.lua" bench-hook-secret)
# Answered once journaled; applied to the store a moment later: wait until the count settles.
k_kept=-1
for _ in $(seq 50); do
  sleep 0.2
  now_kept=$(sqlite3 "$vro/vro.db" "SELECT count(*) FROM argocd_events")
  [[ $now_kept -eq $k_kept ]] && break
  k_kept=$now_kept
done
vro_hwm=$(hwm_kib "$captain_pid")
kill "$captain_pid"
wait "$captain_pid" 2>/dev/null || true

start_captain "$big/captain.yaml" 2026-01-16T12:00:00Z
sleep 1
big_idle=$(rss_kib "$captain_pid")
read -r big_rps big_p50 big_p99 big_bad _ < <(bench n1000-show "$url/api/v1/releases/2026-01-13")
read -r paced_rps paced_p50 paced_p99 paced_bad < <(python3 "$root/bench/paced.py" \
  "$url/api/v1/releases/2026-01-13" "$token" 500 "$SECONDS_EACH" 8)
big_hwm=$(hwm_kib "$captain_pid")
kill "$captain_pid"
wait "$captain_pid" 2>/dev/null || true

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s on 127.0.0.1 ($(nproc) cores), one run each, side by side:"
printf '%-40s %10s %9s %9s %9s %8s\n' "target" "req/s" "p50 ms" "p99 ms" "x floor" "non-2xx"
printf '%-40s %10s %9s %9s %9s %8s\n' "nginx-light, fixed 204 (floor)" "$floor_rps" "$floor_p50" "$floor_p99" "1.00" "-"
printf '%-40s %10s %9s %9s %9s %8s\n' "GET release view, VRO (10 services)" "$vro_rps" "$vro_p50" "$vro_p99" "$(ratio "$vro_rps" "$floor_rps")" "$vro_bad"
printf '%-40s %10s %9s %9s %9s %8s\n' "POST health, VRO" "$h_rps" "$h_p50" "$h_p99" "$(ratio "$h_rps" "$floor_rps")" "$h_bad"
printf '%-40s %10s %9s %9s %9s %8s\n' "POST /hooks/argocd (journaled, applied)" "$k_rps" "$k_p50" "$k_p99" "$(ratio "$k_rps" "$floor_rps")" "$k_bad"
printf '%-40s %10s %9s %9s %9s %8s\n' "GET release view, 1,000 services" "$big_rps" "$big_p50" "$big_p99" "$(ratio "$big_rps" "$floor_rps")" "$big_bad"
printf '%-40s %10s %9s %9s %9s %8s\n' "same, paced at 500 req/s (bench/paced.py)" "$paced_rps" "$paced_p50" "$paced_p99" "-" "$paced_bad"
echo "captain serve RSS: idle $((idle_rss / 1024)) MB (VRO), $((big_idle / 1024)) MB (1,000 services);" \
     "peak under load $((vro_hwm / 1024)) MB (VRO), $((big_hwm / 1024)) MB (1,000 services)"
echo "ArgoCD notifications: $k_n answered by wrk ($k_bad not 2xx), $k_kept kept in the store" \
     "(more kept than answered: requests wrk cut off at the end, at most $CONNECTIONS)"
[[ $k_bad -eq 0 && $k_kept -ge $k_n && $k_kept -le $((k_n + CONNECTIONS)) ]] ||
  { echo "serve.sh: ArgoCD notifications lost or refused" >&2; exit 1; }
echo "targets: hook ingest >= 0.30 x floor with none lost; VRO view >= 0.30 x floor; 1,000-service view p99 < 20 ms at >= 500 req/s; idle RSS < 30 MB"
