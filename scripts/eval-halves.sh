#!/usr/bin/env bash
# The figures BENCHMARKS.md records for verdict accuracy: eval on both halves of
# a labeled set (ids split by parity: rules are written looking at the odd half,
# the even half is only ever measured), full threads and blind, with the
# calibration block. Usage: scripts/eval-halves.sh DIR [eval options…]
#   scripts/eval-halves.sh ../shared/corpus
#   scripts/eval-halves.sh ../shared/corpus --index .bench-cache/index/two-trees.sqlite
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/eval-halves.sh DIR [eval options]}
shift
[ -f dist/cli/main.js ] || npm run build --silent
for half in odd even; do
  for mode in full blind; do
    echo "== $dir, $half half, $mode"
    flags=(--split "$half" --summary)
    [ "$mode" = blind ] && flags+=(--blind)
    node bin/ktriage.js eval "$dir" "${flags[@]}" "$@" | sed '/^$/d'
  done
done
