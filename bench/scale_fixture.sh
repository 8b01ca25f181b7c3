# Sourced by the benchmarks: a generated configuration of N services (config) and a database
# holding R whole release trains (history), written straight into SQLite.
# shellcheck shell=bash
TEAMS=10  # team t0 is the platform team; services are spread round-robin

install_missing() {  # install_missing NAME PACKAGE...: apt-get install what a benchmark lacks
  local name=$1 sudo=""
  shift
  [[ $# -gt 0 ]] || return 0
  echo "$name: installing $*" >&2
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

work_dir() {  # work_dir PREFIX: a new directory in $TMPDIR, else /dev/shm (a tmpfs), else /tmp
  local base=${TMPDIR:-}
  [[ -n $base ]] || { [[ -w /dev/shm ]] && base=/dev/shm || base=/tmp; }
  mktemp -d "$base/$1.XXXXXX"
}

config() {  # config N FILE DB
  local n=$1 i
  {
    cat <<EOF
timezone: America/New_York
sprint: {anchor: 2026-01-07, length_days: 14, release_weekday: tuesday}
holidays: {sets: []}
signature: {max_age_days: 30, warn_days: 7}
images: {prefix: ghcr.io/org/, tag_length: 7, tag_format: "{short}"}
channels: {announce: "#announce", on_call: "#on-call"}
environments:
  - {name: dev, tier: lower, cluster: nonprod}
  - {name: qa, tier: lower, cluster: nonprod}
  - {name: sandbox, tier: lower, cluster: nonprod}
  - {name: prod-test, tier: higher, cluster: prod}
  - {name: prod, tier: higher, cluster: prod}
teams:
  - {name: t0, channel: "#alerts-t0", platform: true}
EOF
    for ((i = 1; i < TEAMS; i++)); do echo "  - {name: t$i, channel: \"#alerts-t$i\"}"; done
    echo "services:"
    for ((i = 0; i < n; i++)); do printf '  - {name: svc-%05d, team: t%d}\n' "$i" $((i % TEAMS)); done
    echo "database: $3"
  } >"$2"
}

# history N RELEASES DB: every release r (1..R) of the train, release day 2026-01-13 + 14(r-1).
history() {
  local n=$1 r=$2 db=$3
  sqlite3 "$db" >/dev/null <<EOF
PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE svc AS WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < $n)
  SELECT i, printf('svc-%05d', i) AS name, 't' || (i % $TEAMS) AS team FROM s;
CREATE TEMP TABLE rel AS WITH RECURSIVE x(r) AS (SELECT 1 UNION ALL SELECT r + 1 FROM x WHERE r < $r)
  SELECT r, date('2026-01-13', '+' || ((r - 1) * 14) || ' days') AS day,
         CAST(strftime('%s', date('2026-01-13', '+' || ((r - 1) * 14) || ' days')) AS INTEGER) AS t0,
         printf('%08x', r) || '00000000000000000000000000000000' AS sha,
         printf('%07x', r) AS tag, printf('%07x', r - 1) AS old FROM x;
CREATE TEMP TABLE env(name, tier, at);
INSERT INTO env VALUES ('dev', 'lower', 72600), ('qa', 'lower', 72600),
  ('sandbox', 'lower', 72600), ('prod-test', 'higher', 226800), ('prod', 'higher', 229200);
INSERT INTO releases (id, kind, release_day, state, candidate_commit, created_by, created_at)
  SELECT day, 'standard', day, CASE WHEN r = $r THEN 'prod-deployed' ELSE 'signed-off' END, sha,
         'captain', t0 + 50400 FROM rel;
INSERT INTO evidence_runs (run_id, commit_sha, branch, finished_at)
  SELECT 'run-' || r, sha, 'develop', t0 + 42300 FROM rel;
INSERT INTO evidence_images (run_id, service, ref, digest, scan, signed, signed_at)
  SELECT 'run-' || r, name, 'ghcr.io/org/' || name || ':' || tag,
         'sha256:' || printf('%064d', r * 100000 + i), 'passed', 1, t0 + 42000 FROM rel, svc;
INSERT INTO develop_heads (commit_sha, at) SELECT sha, t0 + 43200 FROM rel;
INSERT INTO opt_answers (release_id, team, service, answer, by, at)
  SELECT day, 't' || k, '', 'in', 'lead', t0 + 57600 FROM rel,
         (WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k + 1 < $TEAMS) SELECT k FROM k);
INSERT INTO deployments (release_id, env, service, commit_sha, old_tag, new_tag, signed_at,
                         gitops_commit, by, at, rollback)
  SELECT day, env.name, svc.name, sha, old, tag, t0 + 42000, printf('%040x', r), 'alice',
         t0 + env.at, 0 FROM rel, env, svc ORDER BY r, env.at, env.name, svc.i;
INSERT INTO running (service, env, deployment_id)
  SELECT service, env, max(id) FROM deployments GROUP BY service, env;
INSERT INTO signoffs (release_id, team, env, by, at)
  SELECT day, 't' || (k - 1), e.name, 'lead', t0 + e.at + 3600 FROM rel, env e,
         (WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < $TEAMS) SELECT k FROM k)
  WHERE e.name IN ('qa', 'prod-test', 'prod');
INSERT INTO tick_done (release_id, action, at)
  SELECT day, a, t0 FROM rel, (SELECT 'announce' AS a UNION ALL SELECT 'close-opt-window'
    UNION ALL SELECT 'validation-reminder' UNION ALL SELECT 'defect-cutoff');
INSERT INTO audit (at, actor, action, release_id, subject, before, after)
  SELECT t0 + 50400, 'captain', 'release.open', day, 'standard', '', '{}' FROM rel;
INSERT INTO audit (at, actor, action, release_id, subject, before, after)
  SELECT t0 + env.at, 'alice', 'deploy', day, env.name, '',
         '{"step":"' || env.name || '","changes":[' ||
         (SELECT group_concat('{"service":"' || name || '","old_tag":"' || old ||
                              '","new_tag":"' || tag || '","commit":"' || sha || '"}') FROM svc) ||
         ']}' FROM rel, env ORDER BY r, env.at;
INSERT INTO audit (at, actor, action, release_id, subject, before, after)
  SELECT at, by, 'signoff', release_id, team, '', '{"env":"' || env || '"}' FROM signoffs
  ORDER BY at, id;
COMMIT;
EOF
}

