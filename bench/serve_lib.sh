# Helpers of the daemon benchmarks (serve.sh, serve_engines.sh): their settings, the bench
# token, starting captain serve, one wrk run, RSS, the VRO fixture and the request bodies.
# Expects root; the functions expect work and pids.
CAPTAIN=${CAPTAIN:-$root/build/captain}
SECONDS_EACH=${SECONDS_EACH:-10}
CONNECTIONS=${CONNECTIONS:-16}
[[ -x $CAPTAIN ]] || { echo "$0: no captain binary at $CAPTAIN (build it, or set CAPTAIN)" >&2; exit 2; }

token=bench-token
hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
server_section() {
  printf '\nserver:\n  tokens:\n    - {name: bench, sha256: %s, roles: [captain]}\n' "$hash"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_captain CONFIG NOW: starts the daemon; sets url and captain_pid.
start_captain() {
  local cfg=$1 now=$2 log
  log=$(mktemp "$work/serve-XXXX.log")
  CAPTAIN_ARGOCD_WEBHOOK_SECRET=bench-hook-secret \
    "$CAPTAIN" --config "$cfg" --now "$now" serve --listen 127.0.0.1:0 2>"$log" &
  captain_pid=$!
  pids+=("$captain_pid")
  url=""
  for _ in $(seq 200); do
    url=$(grep -o 'url=http://[0-9.:]*' "$log" | head -1 | cut -d= -f2 || true)
    [[ -n $url ]] && break
    sleep 0.05
  done
  [[ -n $url ]] || { cat "$log" >&2; exit 1; }
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# bench NAME URL [LUA [BEARER]]: "requests/s p50_ms p99_ms non2xx requests" of one wrk run.
bench() {
  local name=$1 target=$2 script=${3:-} bearer=${4:-$token}
  local args=(-t2 "-c$CONNECTIONS" "-d${SECONDS_EACH}s" --latency -H "Authorization: Bearer $bearer")
  [[ -n $script ]] && args+=(-s "$script")
  wrk "${args[@]}" "$target" >"$work/$name.wrk"
  awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    / requests in / { n = $1 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    END { printf "%.0f %.2f %.2f %s %s\n", rps, ms(p50), ms(p99), bad + 0, n + 0 }' "$work/$name.wrk"
}


# vro_fixture DIR: the VRO example in DIR on Tuesday 11:00 ET, the release open, the evidence
# in (SQLite at DIR/vro.db).
vro_fixture() {
  local vro=$1
  mkdir -p "$vro"
  sed -e "s#^database: .*#database: $vro/vro.db#" -e "s#^state_dir: .*#state_dir: $vro/state#" \
    -e "s#repo: ../../.captain/vro-gitops.git.*#repo: $vro/gitops.git#" \
    "$root/examples/vro/captain.yaml" |
    awk '/^[a-z_]+:/ { skip = ($1 == "registry:") } !skip' >"$vro/captain.yaml"
  server_section >>"$vro/captain.yaml"
  "$CAPTAIN" --config "$vro/captain.yaml" init >/dev/null
  "$CAPTAIN" --config "$vro/captain.yaml" --now 2026-12-01T14:00:00Z tick >/dev/null
  "$CAPTAIN" --config "$vro/captain.yaml" --now 2026-12-01T14:01:00Z evidence import \
    "$root/examples/vro/evidence/secrel-run-2026-12-01.json" --by secrel >/dev/null
}

# The bodies of the write benchmarks: a health report and an ArgoCD notification.
write_lua_scripts() {
cat >"$work/health.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"env": "qa", "service": "vro-cc-app", "healthy": true}'
wrk.headers["Content-Type"] = "application/json"
EOF

cat >"$work/hook.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"app": "vro-cc-app-qa", "event": "sync-succeeded", "sync_status": "Synced", "health": "Healthy", "revision": "55379fe0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6", "message": "successfully synced (all tasks run)"}'
wrk.headers["Content-Type"] = "application/json"
EOF
}
