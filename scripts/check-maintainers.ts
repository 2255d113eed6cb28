// MAINTAINERS as the index matches it, against scripts/get_maintainer.pl of
// the same tree: for each path, the section titles in the order the script
// prints them (--sections) and in the order `ktriage index maintainers`
// gives. Ties of equal depth are printed by the script in Perl's hash order,
// so a difference only within a run of equal depth is reported as such.
//
//   node --import tsx scripts/check-maintainers.ts <unpacked tree> <index.sqlite> <tree name> [path...]

import { spawnSync } from 'node:child_process';
import { openIndex } from '../src/store/index-db.js';
import { indexPort } from '../src/store/index-port.js';

const DEFAULT_PATHS = [
  'mm/percpu.c',
  'arch/arm/kernel/smp_tlb.c',
  'drivers/net/ethernet/intel/e1000e/netdev.c',
  'drivers/gpu/drm/i915/i915_drv.h',
  'drivers/spi/spi-pxa2xx.c',
  'sound/soc/intel/boards/bdw-rt5677.c',
  'drivers/platform/x86/thinkpad_acpi.c',
  'fs/ext4/inode.c',
  'include/linux/mm.h',
  'kernel/sched/core.c',
  'drivers/usb/core/hub.c',
  'arch/arm64/boot/dts/mediatek/mt8183.dtsi',
  'Documentation/devicetree/bindings/net/ethernet-controller.yaml',
  'net/ipv4/tcp.c',
  'Makefile',
];

function scriptTitles(tree: string, path: string): string[] {
  const r = spawnSync('perl', ['scripts/get_maintainer.pl', '--no-git', '--no-git-fallback', '--sections', '-f', path], { cwd: tree, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`get_maintainer.pl ${path}: ${r.stderr.trim()}`);
  // one block per section, separated by blank lines; the title is a block's first line
  return r.stdout
    .split(/\n\s*\n/)
    .map((b) => b.split('\n')[0]!.trim())
    .filter((t) => t && !/^[A-Z]:\t/.test(t));
}

const [tree, dbPath, treeName, ...rest] = process.argv.slice(2);
if (!tree || !dbPath || !treeName) {
  console.error('usage: check-maintainers.ts <unpacked tree> <index.sqlite> <tree name> [path...]');
  process.exit(2);
}
const db = openIndex(dbPath, { readonly: true });
const port = indexPort(db, treeName);
let same = 0;
let tiesOnly = 0;
const paths = rest.length ? rest : DEFAULT_PATHS;
for (const path of paths) {
  const want = scriptTitles(tree, path);
  const got = port.maintainers!([path]);
  const titles = got.map((m) => m.title);
  const equal = JSON.stringify(titles) === JSON.stringify(want);
  // the same sections, and each out-of-place pair of equal depth: Perl's hash order, not a difference in the match
  const depthOf = new Map(got.map((m) => [m.title, Math.max(...m.matched.map((x) => x.depth))]));
  const sameSet = JSON.stringify([...titles].sort()) === JSON.stringify([...want].sort());
  const byDepth = sameSet && want.every((t, i) => depthOf.get(t) === depthOf.get(titles[i]!));
  if (equal) same++;
  else if (byDepth) tiesOnly++;
  console.log(`${equal ? 'same ' : byDepth ? 'ties ' : 'DIFF '} ${path}`);
  if (!equal) {
    console.log(`   get_maintainer.pl: ${want.join(' | ')}`);
    console.log(`   ktriage:           ${titles.map((t) => `${t} (${depthOf.get(t)})`).join(' | ')}`);
  }
}
console.log(`${same} of ${paths.length} paths in the same order, ${tiesOnly} the same sections ordered differently only among equal depths, ${paths.length - same - tiesOnly} different`);
db.close();
