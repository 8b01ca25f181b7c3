#!/usr/bin/env bash
# Starts or stops the PostgreSQL server the tests use: a throw-away cluster in DIR (initdb,
# pg_ctl from Debian's postgresql package), listening only on a Unix socket in DIR.
#   pg-test.sh start DIR   prints nothing; the server's socket directory is DIR
#   pg-test.sh stop DIR    stops it and removes DIR
# Run as root, the server runs as the unprivileged user `nobody` (PostgreSQL refuses root).
set -euo pipefail
cmd=${1:?usage: pg-test.sh start|stop DIR}
dir=${2:?usage: pg-test.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg-test: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
case "$cmd" in
  start)
    if [ -S "$dir/.s.PGSQL.5432" ] && "$bin/pg_isready" -q -h "$dir"; then exit 0; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ ${#as_owner[@]} -gt 0 ]; then chown nobody:nogroup "$dir"; fi
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U captain -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-test.sh start|stop DIR" >&2; exit 2 ;;
esac
