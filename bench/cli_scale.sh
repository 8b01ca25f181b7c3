#!/usr/bin/env bash
# Usage: bench/cli_scale.sh [N ...]          (default: 100 1000 5000)
# How captain's read commands grow with the number of services and with history: for each N,
# a configuration of N services and 5 environments and two databases, one holding 1 release and
# one holding 50 (each a whole train: evidence, opt-ins, a lower deploy, sign-offs, prod-test and
# prod, with their audit entries), generated straight into SQLite. Prints each command's median
# wall time and peak RSS, its growth exponent in N (log-log slope from 1,000 to 5,000) and its
# history ratio (50 releases / 1), beside the process-start floors. See bench/README.md.
#   CAPTAIN=path  the binary (default build/captain)   REPS=3  runs per measurement
#   KEEP=1        keep the work directory              TMPDIR  where it goes (default /dev/shm)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
CAPTAIN=${CAPTAIN:-$root/build/captain}
REPS=${REPS:-3}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100 1000 5000)
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N ...]" >&2; exit 2; }
done
[[ -x $CAPTAIN ]] || { echo "$0: no captain binary at $CAPTAIN (build it, or set CAPTAIN)" >&2; exit 2; }
for tool in sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "$0: needs $tool (apt-get install sqlite3 time)" >&2; exit 2; }
done
base=${TMPDIR:-}
[[ -n $base ]] || { [[ -w /dev/shm ]] && base=/dev/shm || base=/tmp; }
work=$(mktemp -d "$base/captain-scale.XXXXXX")
[[ ${KEEP:-0} = 1 ]] || trap 'rm -rf "$work"' EXIT

source "$root/bench/scale_fixture.sh"

# run_one CMD...: "wall_seconds peak_rss_kib" of one run (wall from bash's clock, RSS from GNU
# time); a failing captain command stops the benchmark.
run_one() {
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>"$work/err" || {
    echo "failed: $* : $(head -2 "$work/err")" >&2
    exit 1
  }
  t1=$EPOCHREALTIME
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -1 "$work/rss")"
}
# median_of CMD...: median wall and max RSS over REPS runs.
median_of() {
  local walls=() rss=0 w m i
  for ((i = 0; i < REPS; i++)); do
    read -r w m < <(run_one "$@")
    walls+=("$w")
    ((m > rss)) && rss=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(((REPS + 1) / 2))p")" "$rss"
}
measure() {  # measure CONFIG DB NOW ARGS...
  local cfg=$1 db=$2 now=$3
  shift 3
  median_of "$CAPTAIN" --config "$cfg" --db "$db" --now "$now" "$@"
}
floor() { median_of "$@"; }

# audit-all prints the whole log (it grows with history by nature: its row shows memory);
# audit-release reads the latest release's entries through the index.
commands=("plan@plan %ID% --tier lower --json" "show@release show %ID% --json"
          "signatures@signatures --json" "audit-all@audit --json" "audit-release@audit --release %ID% --json"
          "tick@tick" "check-config@check-config" "schedule@schedule")
declare -A result
for n in "${sizes[@]}"; do
  for r in 1 50; do
    d="$work/n$n-r$r"
    mkdir -p "$d"
    config "$n" "$d/captain.yaml" "$d/captain.db"
    "$CAPTAIN" --config "$d/captain.yaml" init >/dev/null
    t0=$(date +%s.%N)
    history "$n" "$r" "$d/captain.db"
    echo "N=$n, $r release(s): history generated in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s," \
         "$(du -m "$d/captain.db" | cut -f1) MB" >&2
    id=$(date -d "2026-01-13 + $(((r - 1) * 14)) days" +%F)
    now=$(date -u -d "$id + 3 days 12:00" +%FT%TZ)  # after prod, before the next train: tick has nothing due
    for c in "${commands[@]}"; do
      name=${c%%@*} args=${c#*@}
      # shellcheck disable=SC2086
      result[$name,$n,$r]=$(measure "$d/captain.yaml" "$d/captain.db" "$now" ${args//%ID%/$id})
    done
  done
done
read -r sq_wall sq_rss < <(floor sqlite3 :memory: 'select 1')
read -r cv_wall cv_rss < <(floor "$CAPTAIN" --version)

ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
slope() { awk -v a="$1" -v b="$2" -v n1="$3" -v n2="$4" 'BEGIN { if (a <= 0) a = 0.001; if (b <= 0) b = 0.001; printf "%.2f", log(b / a) / log(n2 / n1) }'; }
echo
echo "floors: sqlite3 :memory: $(ms "$sq_wall") ms, $((sq_rss / 1024)) MB; captain --version $(ms "$cv_wall") ms, $((cv_rss / 1024)) MB"
printf '%-14s' "command"
for n in "${sizes[@]}"; do printf '%22s' "N=$n r1 | r50"; done
printf '%10s %10s %9s\n' "exponent" "history" "RSS max"
for c in "${commands[@]}"; do
  name=${c%%@*}
  printf '%-14s' "$name"
  maxrss=0
  for n in "${sizes[@]}"; do
    read -r w1 r1 <<<"${result[$name,$n,1]}"
    read -r w50 r50 <<<"${result[$name,$n,50]}"
    printf '%13s ms |%5s ms' "$(ms "$w1")" "$(ms "$w50")"
    ((r50 > maxrss)) && maxrss=$r50
    ((r1 > maxrss)) && maxrss=$r1
  done
  exponent=-
  history=-
  if [[ -n ${result[$name,1000,50]:-} && -n ${result[$name,5000,50]:-} ]]; then
    exponent=$(slope "${result[$name,1000,50]% *}" "${result[$name,5000,50]% *}" 1000 5000)
  fi
  last=${sizes[-1]}
  history=$(awk -v a="${result[$name,$last,1]% *}" -v b="${result[$name,$last,50]% *}" 'BEGIN { if (a <= 0) a = 0.001; printf "%.2f", b / a }')
  printf '%10s %10s %6s MB\n' "$exponent" "$history" "$((maxrss / 1024))"
done
echo "(median of $REPS; exponent: log-log slope of the 50-release times from N=1000 to 5000;"
echo " history: 50 releases / 1 at N=${sizes[-1]}; work directory on $(df -T "$work" | awk 'NR==2 {print $2}'))"
