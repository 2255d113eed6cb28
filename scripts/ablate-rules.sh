#!/usr/bin/env bash
# What each rule contributes to each half of a labeled set: eval with that rule
# left out (--without-rule), full and blind, beside the figures with every rule.
# A rule whose removal costs only the half it was written on is memorising it.
# Usage: scripts/ablate-rules.sh DIR [eval options…]
#   scripts/ablate-rules.sh ../shared/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/ablate-rules.sh DIR [eval options]}
shift
# bin/ktriage.js runs the bundle when there is one: build when either is missing
[ -f dist/cli/main.js ] && [ -f dist/bundle/main.mjs ] || npm run build --silent
figures() { # odd full, odd blind, even full, even blind
  local row=()
  for half in odd even; do
    for mode in full blind; do
      flags=(--split "$half" --summary)
      [ "$mode" = blind ] && flags+=(--blind)
      # a run that fails or prints no accuracy shows as '?', so the columns stay in place
      local got
      got=$(node bin/ktriage.js eval "$dir" "${flags[@]}" "$@" | sed -n 's/^accuracy: [0-9.]* (\([0-9]*\/[0-9]*\)).*/\1/p') || got=''
      row+=("${got:-?}")
    done
  done
  echo "${row[*]}"
}
rules=$(node --input-type=module -e "import('./dist/analyze/rules/index.js').then((m) => console.log(m.RULES.map((r) => r.name).join(' ')))")
printf '%-28s %-9s %-9s %-9s %-9s\n' rule odd-full odd-blind even-full even-blind
printf '%-28s %-9s %-9s %-9s %-9s\n' '(all rules)' $(figures "$@")
for r in $rules; do
  printf '%-28s %-9s %-9s %-9s %-9s\n' "-$r" $(figures --without-rule "$r" "$@")
done
