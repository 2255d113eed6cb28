#!/usr/bin/env bash
# Builds the index bundled with ktriage, data/index/bundled.sqlite.gz: two
# subset trees cut from Debian's kernel source tarballs, so that a fresh
# machine can judge `select`/`depends on` lines and name maintainers without
# an index of its own.
#
#   6.1-subset   every Kconfig* file and MAINTAINERS of linux-source-6.1
#                (bookworm), plus the 18 files of data/kernel-subset/
#   6.12-subset  every Kconfig* file and MAINTAINERS of linux-source-6.12
#                (bookworm-backports)
#
# Both are indexed with --subset (what they lack is unknown, not absent); the
# tarballs' empty directories are kept, since MAINTAINERS patterns name
# directories. Then the Kconfig help texts are dropped (no verdict reads them),
# the file is VACUUMed and written with `gzip -9 -n`.
#
# Reproducible: the same tarballs and data/kernel-subset give the same bytes
# (sorted staging tarballs, one scan thread, built_at from the tarballs' mtime
# or $SOURCE_DATE_EPOCH, gzip without a name or timestamp).
#
#   scripts/make-bundled-index.sh            # build; data/kernel-subset must match the 6.1 tarball
#   scripts/make-bundled-index.sh --refresh  # first re-extract data/kernel-subset from the 6.1 tarball
set -euo pipefail
cd "$(dirname "$0")/.."

T61=/usr/src/linux-source-6.1.tar.xz
T612=/usr/src/linux-source-6.12.tar.xz
SUBSET=data/kernel-subset
OUT=data/index/bundled.sqlite.gz

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

for t in "$T61" "$T612"; do
  [ -f "$t" ] || { echo "make-bundled-index: $t is missing (apt-get install linux-source-6.1, and linux-source-6.12 from bookworm-backports)" >&2; exit 1; }
done
command -v gzip >/dev/null && command -v xz >/dev/null || { echo "make-bundled-index: needs gzip and xz" >&2; exit 1; }

npm run build --silent
EPOCH=${SOURCE_DATE_EPOCH:-$(stat -c %Y "$T61" "$T612" | sort -n | tail -1)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# stage TARBALL TOP NAME [EXTRA...]: the tarball's directories, Kconfig*,
# MAINTAINERS, its top Makefile (for the version) and EXTRA paths, unpacked
# under $tmp/NAME/TOP.
stage() {
  local tarball=$1 top=$2 name=$3
  shift 3
  mkdir -p "$tmp/$name"
  tar -tJf "$tarball" >"$tmp/$name.list"
  grep -E '/$' "$tmp/$name.list" | (cd "$tmp/$name" && xargs -d '\n' mkdir -p)
  {
    grep -E "^$top/(MAINTAINERS|Makefile|(.*/)?Kconfig[^/]*)$" "$tmp/$name.list"
    for f in "$@"; do echo "$top/$f"; done
  } | sort -u >"$tmp/$name.want"
  tar -xJf "$tarball" -C "$tmp/$name" --files-from "$tmp/$name.want"
}

# pack DIR TOP OUT: a tarball with a fixed order, owner and mtime
pack() {
  tar --sort=name --format=gnu --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -cf "$3" -C "$1" "$2"
}

echo "== staging the 6.1 subset from $T61"
stage "$T61" linux-source-6.1 s61 "${FILES[@]}"
if [ "${1:-}" = "--refresh" ]; then
  rm -rf "$SUBSET"/arch "$SUBSET"/mm "$SUBSET"/include "$SUBSET"/Makefile "$SUBSET"/Kbuild
  for f in "${FILES[@]}"; do
    mkdir -p "$SUBSET/$(dirname "$f")"
    cp "$tmp/s61/linux-source-6.1/$f" "$SUBSET/$f"
  done
fi
# the shipped files are the ones indexed: they must be the tarball's
for f in "${FILES[@]}"; do
  cmp -s "$SUBSET/$f" "$tmp/s61/linux-source-6.1/$f" || { echo "make-bundled-index: $SUBSET/$f differs from $T61 (run with --refresh)" >&2; exit 1; }
done
pack "$tmp/s61" linux-source-6.1 "$tmp/6.1-subset.tar"

echo "== staging the 6.12 subset from $T612"
stage "$T612" linux-source-6.12 s612
V612=$(node --input-type=module -e "import { versionFromMakefile } from './dist/index/source.js'; import { readFileSync } from 'node:fs'; console.log(versionFromMakefile(readFileSync(process.argv[1], 'latin1')) ?? '')" "$tmp/s612/linux-source-6.12/Makefile" 2>/dev/null || true)
[ -n "$V612" ] || { echo "make-bundled-index: no version in the 6.12 Makefile" >&2; exit 1; }
# its version is recorded by hand below: the Makefile itself is not part of this subset
rm "$tmp/s612/linux-source-6.12/Makefile"
pack "$tmp/s612" linux-source-6.12 "$tmp/6.12-subset.tar"

DB=$tmp/bundled.sqlite
node bin/ktriage.js index build "$tmp/6.1-subset.tar" --name 6.1-subset --db "$DB" --jobs 0 --subset
node bin/ktriage.js index build "$tmp/6.12-subset.tar" --name 6.12-subset --db "$DB" --jobs 0 --subset

# Where each subset comes from (shown by `index list`), a fixed build time, the
# 6.12 version, no help texts, no WAL, no free pages.
node -e '
const D = require("better-sqlite3");
const [db, t61, t612, v612, epoch] = process.argv.slice(1);
const d = new D(db);
const built = new Date(Number(epoch) * 1000).toISOString().replace("T", " ").slice(0, 19);
d.prepare("UPDATE trees SET source = ?, built_at = ? WHERE name = ?").run(t61, built, "6.1-subset");
d.prepare("UPDATE trees SET source = ?, built_at = ?, version = coalesce(version, ?) WHERE name = ?").run(t612, built, v612 || null, "6.12-subset");
d.prepare("UPDATE kconfig SET help = NULL").run();
d.pragma("journal_mode = DELETE");
d.exec("VACUUM");
d.close();
' "$DB" "$T61" "$T612" "$V612" "$EPOCH"
node bin/ktriage.js index list --db "$DB"

gzip -9 -n -c "$DB" >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
ls -l "$DB" "$OUT" | awk '{ print $5, $NF }'
sha256sum "$OUT"
