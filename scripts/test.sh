#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, builds, runs
# the unit and fixture tests, then the eval on the shared corpus when present.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v python3 >/dev/null || need_apt+=(python3)
# real servers for the archive tests (public-inbox-httpd, and b4 to compare with);
# without root they are only wanted: those tests then skip, saying why
want_apt=()
command -v public-inbox-httpd >/dev/null || want_apt+=(public-inbox)
command -v b4 >/dev/null || want_apt+=(b4)
# the digest's tests: its HTML in a real browser, its delivery over LMTP into Dovecot,
# and MAINTAINERS routing against get_maintainer.pl on the 6.1 tree (~50 s of the suite)
command -v chromium >/dev/null || want_apt+=(chromium)
[ -x /usr/lib/dovecot/lmtp ] || want_apt+=(dovecot-lmtpd)
[ -f /usr/src/linux-source-6.1.tar.xz ] || want_apt+=(linux-source-6.1)
if ((${#want_apt[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    need_apt+=("${want_apt[@]}")
  else
    echo "not installed: ${want_apt[*]} (the tests that need them will skip; run as root to let this script use apt-get)" >&2
  fi
fi
# the IMAP source tests start a throw-away Dovecot (test/helpers/dovecot.ts)
[ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-imapd)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "missing: ${need_apt[*]} (install them, or run as root to let this script use apt-get)" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
npx tsc -p tsconfig.json --noEmit
# eslint-plugin-regexp: no pattern that backtracks super-linearly on hostile mail
npm run lint --silent
# one code style (prettier), so diffs show changes, not reflowed lines
npm run format:check --silent

# Node 20's --test does not expand globs itself
mapfile -t tests < <(find test -name '*.test.ts' | sort)
# two test files at a time: most of the suite waits on servers and child processes, so two
# files share a 2-core machine well (the whole suite ~4.5 min instead of ~8-10; dist/ is
# built above, so no test rebuilds it under another's feet)
node --import tsx --test --test-concurrency=2 --test-reporter=spec "${tests[@]}"

if [ -f ../shared/corpus/labels.json ]; then
  echo "== eval on ../shared/corpus (full threads)"
  node bin/ktriage.js eval ../shared/corpus | tail -n 12
  echo "== eval on ../shared/corpus (blind)"
  node bin/ktriage.js eval ../shared/corpus --blind | tail -n 12
fi
