#!/usr/bin/env bash
# Rebuilds the small bundled index (data/index/mini.sqlite) from the kernel
# subset in data/kernel-subset/. With --refresh, first re-extracts the subset's
# files from Debian's linux-source-6.1 tarball (installed with apt when missing
# and running as root).
#
#   scripts/make-mini-index.sh            # index the shipped subset
#   scripts/make-mini-index.sh --refresh  # re-extract the files, then index
set -euo pipefail
cd "$(dirname "$0")/.."

TARBALL=/usr/src/linux-source-6.1.tar.xz
SUBSET=data/kernel-subset
DB=data/index/mini.sqlite
NAME=6.1-subset

# The files the bundled example thread and the seeds' facts need: the ARM TLB
# flush declarations and definitions with the Makefiles that build them, the
# percpu allocators and mm/Kconfig, and the Kbuild chain from the root.
FILES=(
  Makefile
  Kbuild
  arch/arm/Kbuild
  arch/arm/Makefile
  arch/arm/Kconfig
  arch/arm/include/asm/tlbflush.h
  arch/arm/kernel/Makefile
  arch/arm/kernel/smp_tlb.c
  arch/arm/mm/Makefile
  arch/arm/mm/proc-syms.c
  arch/arm/mm/tlb-v7.S
  include/asm-generic/tlbflush.h
  mm/Makefile
  mm/Kconfig
  mm/percpu.c
  mm/percpu-km.c
  mm/percpu-vm.c
  mm/zsmalloc.c
)

if [ "${1:-}" = "--refresh" ]; then
  if [ ! -f "$TARBALL" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.1
    else
      echo "make-mini-index: $TARBALL missing (apt-get install linux-source-6.1)" >&2
      exit 1
    fi
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  tar -xJf "$TARBALL" -C "$tmp" "${FILES[@]/#/linux-source-6.1/}"
  rm -rf "$SUBSET"/arch "$SUBSET"/mm "$SUBSET"/include "$SUBSET"/Makefile "$SUBSET"/Kbuild
  for f in "${FILES[@]}"; do
    mkdir -p "$SUBSET/$(dirname "$f")"
    cp "$tmp/linux-source-6.1/$f" "$SUBSET/$f"
  done
fi

[ -d dist ] || npm run build --silent
rm -f "$DB" "$DB-wal" "$DB-shm"
# --subset: statements from it are scoped to its files, and what it lacks is unknown, not absent
node bin/ktriage.js index build "$SUBSET" --name "$NAME" --db "$DB" --jobs 0 --subset
# the tree's path relative to the index (found from any checkout), no WAL left behind, free pages dropped
node -e "const D=require('better-sqlite3'); const d=new D(process.argv[1]); d.prepare('UPDATE trees SET source = ?').run('../kernel-subset'); d.pragma('journal_mode = DELETE'); d.exec('VACUUM'); d.close()" "$DB"
ls -l "$DB"
