#!/usr/bin/env bash
# Usage: bench/gitops_deploy.sh [N ...]          (default: 10 100 1000)
# Times a `captain deploy` of N services to 5 environments against two shell baselines doing
# the same git work, and checks what captain pushed. See bench/README.md.
#   CAPTAIN=path   the binary (default build/captain)     REPS=3   runs per measurement
#   KEEP=1         keep the work directory                TMPDIR   where it goes (default:
#                                                                  /dev/shm if writable, else /tmp)
set -euo pipefail
shopt -s inherit_errexit

root=$(cd "$(dirname "$0")/.." && pwd)
CAPTAIN=${CAPTAIN:-$root/build/captain}
REPS=${REPS:-3}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10 100 1000)
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N ...]  (N: number of services)" >&2; exit 2; }
done
[[ -x $CAPTAIN ]] || { echo "$0: no captain binary at $CAPTAIN (build it, or set CAPTAIN)" >&2; exit 2; }

ENVS=(dev qa sandbox perf uat)  # all tier lower: one `deploy --tier lower` covers the five
declare -A OLD_TAG=([dev]=a1b2c3d [qa]=b2c3d4e [sandbox]=c3d4e5f [perf]=d4e5f6a [uat]=e5f6a7b)
RELEASE_DAY=2026-12-01
OPEN_AT=2026-12-01T14:00:00Z  # 09:00 EST, before the opt deadline
NOW=2026-12-01T20:30:00Z      # 15:30 EST: after the opt deadline, lower deploy allowed
COMMIT=7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f
NEW_TAG=${COMMIT:0:7}
BY=bench

# The shell baselines' git: no user or system config; no auto-gc in clones or remotes (it would
# fire at random inside the timed part for large N, and captain's push does not trigger it).
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_DATE=2026-12-01T20:30:00Z GIT_COMMITTER_DATE=2026-12-01T20:30:00Z
git=(git -c user.name=bench -c user.email=bench@bench.invalid -c init.defaultBranch=main
  -c gc.auto=0 -c core.autocrlf=false -c commit.gpgsign=false)

has_deploy=1
"$CAPTAIN" --help 2>/dev/null | grep -qE '^[[:space:]]+deploy[[:space:]]' || has_deploy=0

# A tmpfs by default: on a disk file system, the thousands of files the shell ways create and
# delete make each later run slower (ext4 skips recently freed inodes when allocating), so the
# floor drifts upward during the benchmark; in memory it does not.
if [[ -n ${TMPDIR:-} ]]; then base=$TMPDIR
elif [[ -d /dev/shm && -w /dev/shm ]]; then base=/dev/shm
else base=/tmp; fi
work=$(mktemp -d "$base/captain-bench.XXXXXX")
fs_type=$(stat -f -c %T "$work")
if [[ ${KEEP:-0} == 1 ]]; then echo "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a + b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# cpu_ms VAR: VAR = CPU time (user + sys, ms) of this shell's finished child processes and
# their descendants. Call it in the shell that runs the children, not in $(...).
cpu_ms() {
  local u _s m sec
  times >"$work/.times.$BASHPID"
  { read -r _ _; read -r u _s; } <"$work/.times.$BASHPID"
  local total=0 t
  for t in "$u" "$_s"; do
    m=${t%%m*} sec=${t#*m} sec=${sec%s}
    total=$((total + m * 60000 + ${sec%.*} * 1000 + 10#${sec#*.}))
  done
  printf -v "$1" '%s' "$total"
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1000 }'; }  # secs MS0 MS1
svc() { printf -v "$1" 'svc-%04d' "$2"; }  # svc VAR INDEX: VAR=the INDEXth service's name

# --- generated inputs -------------------------------------------------------------------------

# overlay FILE SERVICE INDEX ENV TAG: a values-<env>.yaml in one of four hand-written styles.
overlay() {
  local f=$1 s=$2 i=$3 e=$4 t=$5
  case $((i % 4)) in
    0) printf '%s\n' "# $s: $e overlay (cluster nonprod, namespace bench-$e)." \
         "# Only what differs from values.yaml; image.tag is written by captain." "" \
         "replicaCount: 1" "" "image:" "  tag: \"$t\"  # set by captain" "" "env:" \
         "  LOG_LEVEL: info" "  SERVICE_NAME: $s" >"$f" ;;
    1) printf '%s\n' "# $s: $e overlay." "# image.tag is written by captain; hand edits are deployments." \
         "" "image:" "  tag: $t # set by captain" "  pullPolicy: IfNotPresent" "" \
         "resources:" "  requests:" "    cpu: 100m" "    memory: 256Mi   # measured in qa" >"$f" ;;
    2) printf '%s\n' "# $s: $e overlay." "" "env:" "  LOG_LEVEL: debug" "" "image:" "" \
         "  # The tag follows the release train." "  tag: '$t'   # set by captain" >"$f" ;;
    3) printf '%s\n' "# $s: $e overlay (anchors and a merge key)." "" "x-image: &image-defaults" \
         "  repository: ghcr.io/example/bench/$s" "  pullPolicy: IfNotPresent" "" "image:" \
         "  <<: *image-defaults" "  tag: \"$t\"  # set by captain" "" "migrations:" \
         "  image: *image-defaults" >"$f" ;;
  esac
}

# gen_tree DIR N MODE: the GitOps files of N services; MODE old (seed tags) or new (all deployed).
gen_tree() {
  local dir=$1 n=$2 mode=$3 i s e dirs=()
  for ((i = 1; i <= n; i++)); do svc s "$i"; dirs+=("$dir/deploy/$s"); done
  mkdir -p "${dirs[@]}"
  for ((i = 1; i <= n; i++)); do
    svc s "$i"
    printf '%s\n' "# $s: common values." "image:" "  repository: ghcr.io/example/bench/$s" \
      "service:" "  port: 8080  # http" >"$dir/deploy/$s/values.yaml"
    for e in "${ENVS[@]}"; do
      if [[ $mode == old ]]; then overlay "$dir/deploy/$s/values-$e.yaml" "$s" "$i" "$e" "${OLD_TAG[$e]}"
      else overlay "$dir/deploy/$s/values-$e.yaml" "$s" "$i" "$e" "$NEW_TAG"; fi
    done
  done
}

config() {  # config FILE N
  local f=$1 n=$2 i e s
  {
    printf '%s\n' "# captain deploy benchmark: $n services of one platform team, 5 lower environments." \
      "timezone: America/New_York" \
      "sprint: {anchor: 2026-01-07, length_days: 14, release_weekday: tuesday}" \
      "milestones:" \
      "  announce:            {day: 0, time: \"09:00\"}" \
      "  opt_deadline:        {day: 0, time: \"15:00\"}" \
      "  lower_deploy:        {day: 0, time: \"15:00\"}" \
      "  validation_deadline: {day: 1, time: \"17:00\"}" \
      "  defect_cutoff:       {day: 2, time: \"09:00\"}" \
      "  higher_deploy:       {day: 2, time: \"10:00\"}" \
      "signature: {max_age_days: 30, warn_days: 7}" \
      "images: {prefix: ghcr.io/example/bench/, tag_length: 7}" \
      "channels: {announce: \"#bench\", on_call: \"#bench-on-call\", support: \"#bench-support\"}" \
      "environments:"
    for e in "${ENVS[@]}"; do printf '  - {name: %s, tier: lower, cluster: nonprod}\n' "$e"; done
    printf '%s\n' "teams:" "  - {name: plat, channel: \"#bench-alerts\", platform: true}" "services:"
    for ((i = 1; i <= n; i++)); do svc s "$i"; printf '  - {name: %s, team: plat}\n' "$s"; done
    printf '%s\n' "gitops:" "  repo: remote.git" "  branch: main" \
      "  file: \"deploy/{service}/values-{env}.yaml\"" "  key: image.tag" \
      "  author_name: captain" "  author_email: captain@bench.invalid" \
      "database: captain.db" "state_dir: state"
  } >"$f"
}

evidence() {  # evidence FILE N
  local f=$1 n=$2 i s sep=""
  {
    printf '{"run_id": "bench-%s", "commit": "%s", "branch": "develop",\n' "$n" "$COMMIT"
    printf ' "finished_at": "2026-12-01T17:00:00Z", "images": [\n'
    for ((i = 1; i <= n; i++)); do
      svc s "$i"
      printf '%s  {"service": "%s", "ref": "ghcr.io/example/bench/%s:%s", "digest": "sha256:%064x",' \
        "$sep" "$s" "$s" "$NEW_TAG" "$i"
      printf ' "scan": "passed", "signed": true, "signed_at": "2026-12-01T16:55:00Z"}'
      sep=$',\n'
    done
    printf '\n]}\n'
  } >"$f"
}

# prepare DIR N: seed.git (bare, the seed commit), final/ (every tag deployed), captain inputs,
# and the expected tree after each environment's commit (expected.trees, in ENVS order).
prepare() {
  local d=$1 n=$2 e
  mkdir -p "$d/seed" "$d/final"
  gen_tree "$d/seed" "$n" old
  gen_tree "$d/final" "$n" new
  "${git[@]}" -C "$d/seed" init -q
  "${git[@]}" -C "$d/seed" add -A
  "${git[@]}" -C "$d/seed" commit -q -m "seed: $n services x ${#ENVS[@]} environments"
  "${git[@]}" init -q --bare "$d/seed.git"
  "${git[@]}" -C "$d/seed.git" config gc.auto 0
  "${git[@]}" -C "$d/seed.git" config receive.autogc false
  "${git[@]}" -C "$d/seed" push -q "$d/seed.git" main
  "${git[@]}" -C "$d/seed.git" symbolic-ref HEAD refs/heads/main
  : >"$d/expected.trees"
  for e in "${ENVS[@]}"; do
    (cd "$d/final" && cp --parents deploy/*/"values-$e.yaml" "$d/seed/")
    "${git[@]}" -C "$d/seed" add -A
    "${git[@]}" -C "$d/seed" write-tree >>"$d/expected.trees"
  done
  config "$d/captain.yaml" "$n"
  evidence "$d/evidence.json" "$n"
}

# --- the three ways -----------------------------------------------------------------------------

# run_captain REP DATA N: (a). Prints "wall cpu" seconds of the deploy; leaves the remote at
# REP/a/remote.git.
run_captain() {
  local r=$1/a d=$2 n=$3 t0 t1 c0 c1 c=("$CAPTAIN" --config "$1/a/captain.yaml")
  mkdir -p "$r"
  cp -R "$d/seed.git" "$r/remote.git"
  cp "$d/captain.yaml" "$r/"
  if ! { "${c[@]}" init &&
    "${c[@]}" --now "$OPEN_AT" release open --release-day "$RELEASE_DAY" --by "$BY" &&
    "${c[@]}" --now "$NOW" evidence import "$d/evidence.json" --by ci &&
    "${c[@]}" --now "$NOW" evidence develop --commit "$COMMIT" --by ci; } >"$r/setup.log" 2>&1; then
    echo "captain setup failed (N=$n); its output:" >&2
    cat "$r/setup.log" >&2
    return 1
  fi
  cpu_ms c0
  t0=$(now)
  if ! "${c[@]}" --now "$NOW" deploy "$RELEASE_DAY" --tier lower --by "$BY" >"$r/deploy.log" 2>&1; then
    echo "captain deploy failed (N=$n); its output:" >&2
    cat "$r/deploy.log" >&2
    return 1
  fi
  t1=$(now)
  cpu_ms c1
  echo "$(elapsed "$t0" "$t1") $(secs "$c0" "$c1")"
}

commit_push() {  # commit_push CLONE ENV
  "${git[@]}" -C "$1" commit -q -a -m "Deploy release $RELEASE_DAY to $2" \
    -m "Release: $RELEASE_DAY"$'\n'"Deployed-By: $BY"
  "${git[@]}" -C "$1" push -q origin main
}

# run_sed REP DATA: (b) clone, then per environment a sed per file, commit, push. Prints
# "wall cpu" seconds.
run_sed() {
  local r=$1/b d=$2 t0 t1 c0 c1 e f
  mkdir -p "$r"
  cp -R "$d/seed.git" "$r/remote.git"
  cpu_ms c0
  t0=$(now)
  "${git[@]}" clone -q "file://$r/remote.git" "$r/clone"
  for e in "${ENVS[@]}"; do
    for f in "$r"/clone/deploy/*/"values-$e.yaml"; do
      sed -i -E "s/^([[:space:]]*tag:[[:space:]]*[\"']?)[0-9a-f]{7}/\1$NEW_TAG/" "$f"
    done
    commit_push "$r/clone" "$e"
  done
  t1=$(now)
  cpu_ms c1
  echo "$(elapsed "$t0" "$t1") $(secs "$c0" "$c1")"
}

# run_floor REP DATA: (c) clone, then per environment the finished files copied in (not
# timed), commit, push. Prints "wall cpu clone-wall" seconds.
run_floor() {
  local r=$1/c d=$2 t0 t1 c0 c1 cpu total clone e
  mkdir -p "$r"
  cp -R "$d/seed.git" "$r/remote.git"
  cpu_ms c0
  t0=$(now)
  "${git[@]}" clone -q "file://$r/remote.git" "$r/clone"
  t1=$(now)
  cpu_ms c1
  cpu=$((c1 - c0))
  clone=$(elapsed "$t0" "$t1")
  total=$clone
  for e in "${ENVS[@]}"; do
    (cd "$d/final" && cp --parents deploy/*/"values-$e.yaml" "$r/clone/")
    cpu_ms c0
    t0=$(now)
    commit_push "$r/clone" "$e"
    t1=$(now)
    cpu_ms c1
    cpu=$((cpu + c1 - c0))
    total=$(add "$total" "$(elapsed "$t0" "$t1")")
  done
  echo "$total $(secs 0 "$cpu") $clone"
}

# --- checks -----------------------------------------------------------------------------------

# verify WHO REMOTE DATA N: 5 new commits, one per environment, each touching exactly that
# environment's N files, with the trailers; trees as expected; spot-checked tags.
verify() {
  local who=$1 remote=$2 d=$3 n=$4 seed commits c files envs_seen="" e i k s bad=0 exp got msg
  local g=("${git[@]}" --git-dir="$remote")
  seed=$(git --git-dir="$d/seed.git" rev-parse main)
  mapfile -t commits < <("${g[@]}" rev-list --reverse "$seed..main")
  if [[ ${#commits[@]} -ne ${#ENVS[@]} ]]; then
    echo "  FAIL $who: ${#commits[@]} new commits on main, expected ${#ENVS[@]}" >&2; return 1
  fi
  mapfile -t exp <"$d/expected.trees"
  for k in "${!commits[@]}"; do
    c=${commits[$k]}
    files=$("${g[@]}" diff-tree --no-commit-id -r --name-only "$c^" "$c")
    e=$(sed -nE '1s#^deploy/[^/]+/values-(.*)\.yaml$#\1#p' <<<"$files")
    if [[ -z $e ]] || [[ $(grep -c . <<<"$files") -ne $n ]] ||
      grep -vqE "^deploy/[^/]+/values-$e\.yaml$" <<<"$files"; then
      echo "  FAIL $who: commit $k ($c) does not change exactly the $n files of one environment" >&2
      bad=1
    fi
    [[ " $envs_seen " == *" $e "* ]] && { echo "  FAIL $who: two commits for $e" >&2; bad=1; }
    envs_seen+=" $e"
    msg=$("${g[@]}" log -1 --format=%B "$c")
    grep -q "^Release: $RELEASE_DAY\$" <<<"$msg" || { echo "  FAIL $who: commit $k lacks 'Release: $RELEASE_DAY'" >&2; bad=1; }
    grep -q "^Deployed-By: $BY\$" <<<"$msg" || { echo "  FAIL $who: commit $k lacks 'Deployed-By: $BY'" >&2; bad=1; }
    got=$("${g[@]}" rev-parse "$c^{tree}")
    if [[ $got != "${exp[$k]}" && $k -lt $((${#ENVS[@]} - 1)) ]]; then
      echo "  note $who: the tree after commit $k ($e) is not the expected one (content, or order other than ${ENVS[*]})" >&2
    fi
  done
  got=$("${g[@]}" rev-parse "main^{tree}")
  if [[ $got != "${exp[-1]}" ]]; then
    echo "  FAIL $who: the final tree differs from the expected one in:" >&2
    "${git[@]}" -C "$d/seed" fetch -q "$remote" main 2>/dev/null &&
      "${git[@]}" -C "$d/seed" diff --stat "${exp[-1]}" "$got" | tail -6 >&2
    bad=1
  fi
  for i in 1 $(((n + 1) / 2)) "$n"; do
    svc s "$i"
    for e in "${ENVS[@]}"; do
      "${g[@]}" show "main:deploy/$s/values-$e.yaml" | grep -qE "^ +tag: [\"']?$NEW_TAG[\"']? +# set by captain\$" ||
        { echo "  FAIL $who: deploy/$s/values-$e.yaml does not hold $NEW_TAG" >&2; bad=1; }
    done
  done
  return $bad
}

# --- main -------------------------------------------------------------------------------------

[[ $has_deploy == 1 ]] || echo "note: $CAPTAIN has no deploy command; measuring only (b) and (c)" >&2
declare -A A B C CL PA PB PC RAC RBA QAC QBA
fail=0 missed=0
for n in "${sizes[@]}"; do
  d=$work/n$n
  echo "N=$n: preparing ($n services x ${#ENVS[@]} environments = $((n * ${#ENVS[@]})) overlay files)" >&2
  prepare "$d" "$n"
  as=() bs=() cs=() cls=() pa=() pb=() pc=() rac=() rba=() qac=() qba=()
  for ((rep = 1; rep <= REPS; rep++)); do
    r=$d/rep$rep ta=- tpa=-
    if [[ $has_deploy == 1 ]]; then
      if out=$(run_captain "$r" "$d" "$n"); then
        read -r ta tpa <<<"$out"
        as+=("$ta") pa+=("$tpa")
        verify captain "$r/a/remote.git" "$d" "$n" || fail=1
      else
        ta=failed fail=1
      fi
    fi
    out=$(run_sed "$r" "$d")
    read -r tb tpb <<<"$out"
    bs+=("$tb") pb+=("$tpb")
    verify sed "$r/b/remote.git" "$d" "$n" || fail=1
    out=$(run_floor "$r" "$d")
    read -r tc tpc tcl <<<"$out"
    cs+=("$tc") cls+=("$tcl") pc+=("$tpc")
    verify floor "$r/c/remote.git" "$d" "$n" || fail=1
    if [[ $ta != - && $ta != failed ]]; then  # ratios within one run: the load drifts less
      rac+=("$(ratio "$ta" "$tc")") rba+=("$(ratio "$tb" "$ta")")
      qac+=("$(ratio "$tpa" "$tpc")") qba+=("$(ratio "$tpb" "$tpa")")
    fi
    echo "  run $rep: wall a=$ta b=$tb c=$tc (clone $tcl); cpu a=$tpa b=$tpb c=$tpc" >&2
    [[ ${KEEP:-0} == 1 ]] || rm -rf "$r"
  done
  A[$n]=- PA[$n]=- RAC[$n]=- RBA[$n]=- QAC[$n]=- QBA[$n]=-
  if [[ ${#as[@]} -gt 0 ]]; then
    A[$n]=$(median "${as[@]}") PA[$n]=$(median "${pa[@]}")
    RAC[$n]=$(median "${rac[@]}") RBA[$n]=$(median "${rba[@]}")
    QAC[$n]=$(median "${qac[@]}") QBA[$n]=$(median "${qba[@]}")
  fi
  B[$n]=$(median "${bs[@]}") C[$n]=$(median "${cs[@]}") CL[$n]=$(median "${cls[@]}")
  PB[$n]=$(median "${pb[@]}") PC[$n]=$(median "${pc[@]}")
done

echo
echo "captain deploy vs shell, ${#ENVS[@]} environments, median of $REPS runs (seconds)"
echo "  a: captain deploy --tier lower (one commit + push per environment)"
echo "  b: git clone, then per environment: sed -i per file, git commit -a, git push"
echo "  c: git clone, then per environment: git commit -a, git push (files already edited)"
echo "  a/c, b/a: median of the per-run ratios (each run's a, b, c are measured back to back)"
printf '%6s %9s %9s %9s %9s %7s %7s\n' N a b c "(clone)" a/c b/a
for n in "${sizes[@]}"; do
  printf '%6s %9s %9s %9s %9s %7s %7s\n' "$n" "${A[$n]}" "${B[$n]}" "${C[$n]}" "${CL[$n]}" \
    "${RAC[$n]}" "${RBA[$n]}"
done
echo
echo "the same runs in CPU seconds (user + sys of the timed processes and their children)"
printf '%6s %9s %9s %9s %9s %7s %7s\n' N a b c "" a/c b/a
for n in "${sizes[@]}"; do
  printf '%6s %9s %9s %9s %9s %7s %7s\n' "$n" "${PA[$n]}" "${PB[$n]}" "${PC[$n]}" "" \
    "${QAC[$n]}" "${QBA[$n]}"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; work directory on $fs_type"
echo
if [[ -n ${A[1000]:-} && ${A[1000]} != - ]]; then
  ac=${RAC[1000]} ba=${RBA[1000]}
  awk -v x="$ac" 'BEGIN { exit !(x <= 1.5) }' && v=PASS || { v=FAIL; missed=1; }
  echo "target a/c <= 1.5 at N=1000 (wall): $ac  $v"
  awk -v x="$ba" 'BEGIN { exit !(x >= 5) }' && v=PASS || { v=FAIL; missed=1; }
  echo "target b/a >= 5   at N=1000 (wall): $ba  $v"
else
  echo "targets (a/c <= 1.5, b/a >= 5 at N=1000): not measured (run with N=1000 and a captain with deploy)"
fi
if [[ $fail == 0 ]]; then
  echo "checks of the pushed commits (count, files, trailers, trees, tags): all passed"
else
  echo "some checks of the pushed commits FAILED (see above)"
fi
[[ $fail == 0 && $missed == 0 ]]
