#!/usr/bin/env bash
# Two trees in one index (Debian's linux-source-6.1 and linux-source-6.12),
# and what that index does to the verdicts:
#   1. builds both into .bench-cache/index/two-trees.sqlite (never committed),
#      each under GNU time: wall, CPU, peak RSS; then the file's size;
#   2. `ktriage eval` on both halves of ../shared/corpus, full and blind, with
#      no index, the bundled index and the two-tree index (figures only:
#      --summary), the trees each thread was answered by;
#   3. MAINTAINERS from the index against scripts/get_maintainer.pl of the
#      unpacked 6.1 (scripts/check-maintainers.ts), when it is unpacked in
#      .bench-cache/linux/linux-source-6.1 (npm run bench -- --only index does).
#
#   scripts/bench-two-trees.sh            # build, then evaluate
#   scripts/bench-two-trees.sh --reuse    # evaluate an index built earlier
set -euo pipefail
cd "$(dirname "$0")/.."

DB=.bench-cache/index/two-trees.sqlite
CORPUS=../shared/corpus
TREE61=.bench-cache/linux/linux-source-6.1

for t in /usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz; do
  [ -f "$t" ] || { echo "bench-two-trees: $t is missing (apt-get install linux-source-6.1, and linux-source-6.12 from bookworm-backports)" >&2; exit 1; }
done
npm run build --silent

if [ "${1:-}" != "--reuse" ] || [ ! -f "$DB" ]; then
  mkdir -p .bench-cache/index
  rm -f "$DB" "$DB-wal" "$DB-shm"
  for v in 6.1 6.12; do
    echo "== build $v into $DB"
    /usr/bin/time -f "   $v: %e s wall, %U+%S s CPU, max RSS %M KB" node bin/ktriage.js index build "/usr/src/linux-source-$v.tar.xz" --name "$v" --db "$DB"
  done
fi
node bin/ktriage.js index list --db "$DB"
ls -l "$DB"* | awk '{ s += $5 } END { printf "index size: %d B (%.1f MB)\n", s, s / 1e6 }'

if [ -f "$CORPUS/labels.json" ]; then
  # the bundled index as a fresh install unpacks it (into the cache)
  BUNDLED=$(node --input-type=module -e "import { unpackBundledIndex } from './dist/cli/bundled-index.js'; const u = unpackBundledIndex(); if (!u.ok) { console.error(u.why); process.exit(1); } console.log(u.path)")
  for idx in none bundled two-trees; do
    case $idx in
      none) flags=(--no-index) ;;
      bundled) flags=(--index "$BUNDLED") ;;
      two-trees) flags=(--index "$DB") ;;
    esac
    for half in odd even; do
      for mode in full blind; do
        out=$(node bin/ktriage.js eval "$CORPUS" --split "$half" --summary "${flags[@]}" $([ $mode = blind ] && echo --blind))
        acc=$(grep '^accuracy:' <<<"$out")
        rows=$(grep -E '^(expected|hides|fixes) ' <<<"$out" | tr -s ' ' | paste -sd';')
        echo "eval $idx $half $mode: $acc; $rows"
        [ $mode = full ] && [ $idx = two-trees ] && grep '^index:' <<<"$out" | sed "s/^/   $half: /"
      done
    done
  done
else
  echo "eval: SKIP ($CORPUS/labels.json not found)"
fi

if [ -d "$TREE61" ]; then
  node --import tsx scripts/check-maintainers.ts "$TREE61" "$DB" 6.1
else
  echo "maintainers: SKIP ($TREE61 not unpacked; npm run bench -- --only index unpacks it)"
fi
