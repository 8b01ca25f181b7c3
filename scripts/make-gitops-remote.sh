#!/usr/bin/env bash
# Usage: scripts/make-gitops-remote.sh DEST
# Makes DEST a bare git repository seeded from examples/vro/gitops: branch main, one commit
# with a fixed author, committer and date (so the same seed always gives the same commit).
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
export GIT_AUTHOR_DATE="2026-11-17T21:00:00Z" GIT_COMMITTER_DATE="2026-11-17T21:00:00Z"
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
"${git[@]}" -C "$work" add -A
"${git[@]}" -C "$work" commit -q -m "Seed the VRO ArgoCD applications repository" \
  -m "Ten services (apps/<service>/config.json, deploy/<service>/values*.yaml) in dev, qa,
sandbox, prod-test and prod."

"${git[@]}" init -q --bare "$tmp/bare.git"
"${git[@]}" -C "$tmp/bare.git" symbolic-ref HEAD refs/heads/main
"${git[@]}" -C "$work" push -q "$tmp/bare.git" main:main

# Appears at DEST only when complete.
mv "$tmp/bare.git" "$parent/$(basename "$dest")"
echo "made $dest (main at $("${git[@]}" --git-dir="$dest" rev-parse --short main))"
