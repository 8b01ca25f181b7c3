#!/usr/bin/env bash
# Usage: scripts/make-gitops-remote.sh DEST
# Makes DEST a bare git repository seeded from examples/vro/gitops, branch main, with a short
# history like the real repository's: two earlier releases in which the lower environments
# (dev, qa, sandbox) ran the images that prod and prod-test run now, then the seed itself.
# Fixed authors, committers and dates: the same seed always gives the same commits.
# If DEST already exists it is left alone. Needs only git; never reads or writes git config
# outside the repositories it makes.
set -euo pipefail

if [[ $# -ne 1 || $1 == -* ]]; then
  echo "usage: $0 DEST" >&2
  exit 2
fi
dest=$1
seed="$(cd "$(dirname "$0")/.." && pwd)/examples/vro/gitops"

if [[ -e $dest ]]; then
  echo "$dest already exists; left as it is"
  exit 0
fi
command -v git >/dev/null || { echo "$0: git is not installed" >&2; exit 1; }
[[ -d $seed/deploy ]] || { echo "$0: no seed at $seed" >&2; exit 1; }

# Identity, dates and settings for these repositories only; the user's and the system's git
# configuration are not read, so hooks, templates, signing or autocrlf there cannot interfere.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git=(git -c user.name=captain-seed -c user.email=captain-seed@vro.invalid
  -c init.defaultBranch=main -c core.autocrlf=false -c commit.gpgsign=false)

mkdir -p "$(dirname "$dest")"
parent=$(cd "$(dirname "$dest")" && pwd)
tmp=$(mktemp -d "$parent/.$(basename "$dest").XXXXXX")
trap 'rm -rf "$tmp"' EXIT

work=$tmp/work
mkdir "$work"
cp -R "$seed/." "$work/"
"${git[@]}" -C "$work" init -q
"${git[@]}" -C "$work" symbolic-ref HEAD refs/heads/main

tag_re='[0-9a-f]{7}'
# lower_at ENV: every service's lower overlays set to the tag ENV's overlay holds in the seed.
lower_at() {
  local dir tag lower
  for dir in "$work"/deploy/*/; do
    tag=$(sed -nE "s/^[[:space:]]*tag:[[:space:]]*[\"']?($tag_re).*/\1/p" "$dir/values-$1.yaml" | head -1)
    [[ -n $tag ]] || continue
    for lower in dev qa sandbox; do
      sed -i -E "s/^([[:space:]]*tag:[[:space:]]*[\"']?)$tag_re/\1$tag/" "$dir/values-$lower.yaml"
    done
  done
}
commit() {  # commit DATE SUBJECT BODY
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 "${git[@]}" -C "$work" add -A
  GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 "${git[@]}" -C "$work" commit -q -m "$2" -m "$3"
}
lower_at prod
commit 2026-11-03T21:00:00Z "Lower environments at the images prod runs now" \
  "The VRO ArgoCD applications repository (apps/<service>/config.json,
deploy/<service>/values*.yaml) as it stood two releases ago."
cp -R "$seed/." "$work/"
lower_at prod-test
commit 2026-11-10T21:00:00Z "Lower environments at the images prod-test runs now" \
  "One release ago."
cp -R "$seed/." "$work/"
commit 2026-11-17T21:00:00Z "Seed the VRO ArgoCD applications repository" \
  "Ten services in dev, qa, sandbox, prod-test and prod, as they stand now."

"${git[@]}" init -q --bare "$tmp/bare.git"
"${git[@]}" -C "$tmp/bare.git" symbolic-ref HEAD refs/heads/main
"${git[@]}" -C "$work" push -q "$tmp/bare.git" main:main

# Appears at DEST only when complete.
mv "$tmp/bare.git" "$parent/$(basename "$dest")"
echo "made $dest (main at $("${git[@]}" --git-dir="$dest" rev-parse --short main))"
