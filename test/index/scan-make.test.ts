// Kbuild Makefiles: scanMakefile's items, make conditionals, and the build
// condition of every file through the directory chain (resolveBuildConditions
// directly, and as buildIndex stores it), with the Makefile:line citations.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveBuildConditions, type DirMakefiles } from '../../src/index/build-conds.js';
import { makeConditional, scanMakefile, type MakeItem } from '../../src/index/scan/make.js';
import { ALPHA, BETA, allBuildConds, buildCondOf, buildInto, lineOf, type Built } from '../helpers/index-fixtures.js';

const show = (it: MakeItem) => `${it.line} ${it.stem} ${it.target}${it.module ? ' (m)' : ''} | ${it.cond}`;
const scanFixture = (tree: string, path: string) => scanMakefile(readFileSync(join(tree, path), 'utf8')).items.map(show);

describe('scanMakefile on the fixture Makefiles', () => {
  it('arch/corvid/kernel/Makefile: continuation lines, obj-$(CONFIG_SMP) inside ifdef CONFIG_MMU, ifneq/ifeq/else', () => {
    const path = 'arch/corvid/kernel/Makefile';
    const L = (n: string) => lineOf(ALPHA, path, n);
    const first = L('obj-y		:= setup.o traps.o');
    assert.deepEqual(scanFixture(ALPHA, path), [
      `${first} obj setup.o | 1`,
      `${first} obj traps.o | 1`,
      `${first} obj irq.o | 1`, // continued on the next line, cited at the first
      `${L('+= module.o')} obj module.o | defined(CONFIG_MODULES)`,
      `${L('+= smp_tlb.o')} obj smp_tlb.o | defined(CONFIG_MMU) && defined(CONFIG_SMP)`,
      `${L('+= smp.o')} obj smp.o | defined(CONFIG_SMP)`,
      `${L('+= unwind.o')} obj unwind.o | defined(CONFIG_CORVID_UNWIND)`,
      `${L('+= psci.o')} obj psci.o | IS_BUILTIN(CONFIG_CORVID_PSCI)`,
      `${L('+= psci_stub.o')} obj psci_stub.o | !IS_BUILTIN(CONFIG_CORVID_PSCI)`,
    ]);
  });

  it('drivers/gizmo/Makefile: composites (foo-y, foo-$(CONFIG_X), foo-objs), obj-m, nested ifdef/ifeq/else, an opaque ifeq', () => {
    const path = 'drivers/gizmo/Makefile';
    const L = (n: string) => lineOf(ALPHA, path, n);
    assert.deepEqual(scanFixture(ALPHA, path), [
      // ccflags-$(CONFIG_GIZMO_DEBUG) := -DDEBUG names no object: not an item
      `${L('+= gizmo.o')} obj gizmo.o | defined(CONFIG_GIZMO)`,
      `${L('gizmo-y')} gizmo gizmo-core.o | 1`,
      `${L('gizmo-y')} gizmo gizmo-bus.o | 1`,
      `${L('+= gizmo-debugfs.o')} gizmo gizmo-debugfs.o | defined(CONFIG_GIZMO_DEBUG)`,
      `${L('+= widget.o')} obj widget.o | defined(CONFIG_GIZMO_WIDGET)`,
      `${L('widget-objs')} widget widget-main.o | 1`,
      `${L('widget-objs')} widget widget-io.o | 1`,
      `${L('obj-m')} obj gizmo-test.o (m) | 1`,
      `${L('turbo-safe.o')} obj turbo-safe.o | defined(CONFIG_GIZMO_TURBO) && IS_BUILTIN(CONFIG_GIZMO_SAFE)`,
      `${L('turbo-fast.o')} obj turbo-fast.o | defined(CONFIG_GIZMO_TURBO) && !IS_BUILTIN(CONFIG_GIZMO_SAFE)`,
      `${L('obj-$(CONFIG_GIZMO_DEBUG)')} obj gizmo-common.o | defined(CONFIG_GIZMO_DEBUG)`,
      `${L('obj-$(CONFIG_GIZMO_TRACE)')} obj gizmo-common.o | defined(CONFIG_GIZMO_TRACE)`,
      `${L('gizmo-corvid.o')} obj gizmo-corvid.o | make:ifeq($(ARCH),corvid)`,
    ]);
  });

  it('arch/corvid/Makefile: machine-$(CONFIG_X) += name, core-y and core-$(CONFIG_Y) += arch/<a>/dir/; recipes and flags are not items', () => {
    const path = 'arch/corvid/Makefile';
    assert.deepEqual(scanFixture(ALPHA, path), [
      `${lineOf(ALPHA, path, 'machine-$(CONFIG_ARCH_HERON)')} machine heron | defined(CONFIG_ARCH_HERON)`,
      `${lineOf(ALPHA, path, 'machine-$(CONFIG_ARCH_KITE)')} machine kite | defined(CONFIG_ARCH_KITE)`,
      `${lineOf(ALPHA, path, 'core-y')} core arch/corvid/common/ | 1`,
      `${lineOf(ALPHA, path, 'core-$(CONFIG_CORVID_FPU)')} core arch/corvid/fpu/ | defined(CONFIG_CORVID_FPU)`,
    ]);
  });

  it('the top Kbuild: obj-y += arch/$(SRCARCH)/ becomes a glob over the arches', () => {
    assert.deepEqual(scanFixture(ALPHA, 'Kbuild'), ['8 obj kernel/ | 1', '9 obj mm/ | 1', '10 obj arch/*/ | 1', '11 obj drivers/ | 1']);
    // beta: one line continued over two
    assert.deepEqual(scanFixture(BETA, 'Kbuild'), ['6 obj kernel/ | 1', '6 obj mm/ | 1', '6 obj arch/*/ | 1', '6 obj drivers/ | 1']);
  });

  it('alpha mm/Makefile: ifdef CONFIG_MMU/else/endif, ifeq ... y with a nested ifneq ..., (empty)', () => {
    const path = 'mm/Makefile';
    const L = (n: string) => lineOf(ALPHA, path, n);
    assert.deepEqual(scanFixture(ALPHA, path), [
      `${L('filemap.o')} obj filemap.o | 1`,
      `${L('filemap.o')} obj mempool.o | 1`,
      `${L('filemap.o')} obj readahead.o | 1`,
      `${L('memory.o mmap.o')} obj memory.o | defined(CONFIG_MMU)`,
      `${L('memory.o mmap.o')} obj mmap.o | defined(CONFIG_MMU)`,
      `${L('gizswap.o')} obj gizswap.o | defined(CONFIG_MMU) && defined(CONFIG_GIZMO_SWAP)`,
      `${L('nommu.o')} obj nommu.o | !defined(CONFIG_MMU)`,
      `${L('mempolicy.o')} obj mempolicy.o | IS_BUILTIN(CONFIG_NUMA)`,
      `${L('memory-tiers.o')} obj memory-tiers.o | IS_BUILTIN(CONFIG_NUMA) && defined(CONFIG_MEMORY_HOTPLUG)`,
      `${L('gizarea.o')} obj gizarea.o | defined(CONFIG_GIZMO_AREA)`,
    ]);
  });

  it('beta mm/Makefile: obj-y += $(mmu-y), where mmu-$(CONFIG_MMU) := ... overrides mmu-y := nommu.o', () => {
    const path = 'mm/Makefile';
    const objLine = lineOf(BETA, path, 'obj-y			:= filemap.o $(mmu-y)');
    const objs = scanFixture(BETA, path).filter((s) => s.includes(' obj '));
    assert.deepEqual(objs, [
      `${objLine} obj filemap.o | 1`,
      `${objLine} obj nommu.o | !defined(CONFIG_MMU)`,
      `${objLine} obj memory.o | defined(CONFIG_MMU)`,
      `${objLine} obj mmap.o | defined(CONFIG_MMU)`,
      `${objLine} obj vmalloc.o | defined(CONFIG_MMU)`,
      `${lineOf(BETA, path, 'gizarea.o')} obj gizarea.o | defined(CONFIG_GIZMO_AREA)`,
    ]);
  });

  it('plain variables, += on them, and an unconditional := that replaces an earlier value', () => {
    const text = [
      'core-objs := a.o',
      'core-objs += b.o',
      'ifdef CONFIG_X',
      'extra := x.o',
      'endif',
      'obj-y += $(core-objs) $(extra)',
      'lst := old.o',
      'lst := new.o',
      'obj-y += $(lst) $(unknown-var)',
    ].join('\n');
    assert.deepEqual(
      scanMakefile(text)
        .items.filter((i) => i.stem === 'obj')
        .map(show),
      ['6 obj a.o | 1', '6 obj b.o | 1', '6 obj x.o | defined(CONFIG_X)', '9 obj new.o | 1'],
    );
  });

  it('comments, recipes, obj-n and flags are not items; a # inside a value ends it', () => {
    const text = ['# obj-y += commented.o', 'obj-n += never.o', 'obj-y += real.o # trailing comment.o', 'CFLAGS_real.o := -O2', 'all:', '\tobj-y += recipe.o', 'obj-y += \\', '\tcontinued.o'].join(
      '\n',
    );
    assert.deepEqual(scanMakefile(text).items.map(show), ['3 obj real.o | 1', '7 obj continued.o | 1']);
  });
});

describe('makeConditional', () => {
  it('turns make conditionals into condition text; what it cannot model becomes a make: atom', () => {
    const cases: [string, string, string][] = [
      ['ifdef', 'CONFIG_MMU', 'defined(CONFIG_MMU)'],
      ['ifndef', 'CONFIG_MMU', '!defined(CONFIG_MMU)'],
      ['ifeq', '($(CONFIG_X),y)', 'IS_BUILTIN(CONFIG_X)'],
      ['ifeq', '(y,$(CONFIG_X))', 'IS_BUILTIN(CONFIG_X)'],
      ['ifeq', '"$(CONFIG_X)" "y"', 'IS_BUILTIN(CONFIG_X)'],
      ['ifeq', '($(CONFIG_X),m)', 'IS_MODULE(CONFIG_X)'],
      ['ifeq', '($(CONFIG_X),)', '!defined(CONFIG_X)'],
      ['ifneq', '($(CONFIG_X),)', 'defined(CONFIG_X)'],
      ['ifneq', '($(CONFIG_X),y)', '!IS_BUILTIN(CONFIG_X)'],
      ['ifneq', '($(CONFIG_X),n)', 'defined(CONFIG_X)'],
      ['ifeq', '($(ARCH),x86)', 'make:ifeq($(ARCH),x86)'],
      ['ifneq', '($(ARCH),x86)', '!(make:ifeq($(ARCH),x86))'],
      ['ifdef', 'V', 'make:defined(V)'],
      // kbuild's own switches take the value of a normal in-tree build
      ['ifdef', 'KBUILD_EXTMOD', '0'],
      ['ifndef', 'KBUILD_EXTMOD', '1'],
      ['ifeq', '($(KBUILD_EXTMOD),)', '1'],
    ];
    assert.deepEqual(
      cases.map(([kw, arg]) => `${kw} ${arg} => ${makeConditional(kw, arg)}`),
      cases.map(([kw, arg, want]) => `${kw} ${arg} => ${want}`),
    );
  });
});

describe('resolveBuildConditions on a small chain', () => {
  const mk = (dir: string, file: string, text: string, makefile?: string): DirMakefiles => ({
    dir,
    kbuild: scanMakefile(text).items,
    kbuildPath: dir ? `${dir}/${file}` : file,
    makefile: makefile ? scanMakefile(makefile).items : [],
    makefilePath: makefile ? (dir ? `${dir}/Makefile` : 'Makefile') : undefined,
  });
  const dirs = [
    mk('', 'Kbuild', 'obj-y += lib/ arch/$(SRCARCH)/\nobj-$(CONFIG_NET) += net/'),
    mk('lib', 'Makefile', 'obj-$(CONFIG_A) += a.o\nobj-$(CONFIG_B) += a.o\nobj-$(CONFIG_C) += sub/\nlib-y += l.o'),
    mk('lib/sub', 'Makefile', 'obj-y += s.o\ncomp-y := p1.o deep/p2.o\ncomp-$(CONFIG_D) += p3.o\nobj-m += comp.o'),
    mk('arch/p', 'Kbuild', 'obj-y += kernel/', 'machine-$(CONFIG_MACH_Q) += q\ncore-$(CONFIG_FPU) += arch/p/fpu/'),
    mk('arch/p/kernel', 'Makefile', 'obj-y += k.o'),
    mk('arch/p/mach-q', 'Makefile', 'obj-y += q.o'),
    mk('arch/p/fpu', 'Makefile', 'obj-y += f.o'),
    mk('arch/r', 'Kbuild', 'obj-$(CONFIG_R_ONLY) += r.o'),
    mk('net', 'Makefile', 'obj-y += n.o'),
    mk('lost', 'Makefile', 'obj-y += lost.o'), // nothing descends here
  ];
  const sources = new Set([
    'lib/a.c',
    'lib/l.c',
    'lib/sub/s.c',
    'lib/sub/p1.c',
    'lib/sub/deep/p2.c',
    'lib/sub/p3.S',
    'arch/p/kernel/k.c',
    'arch/p/mach-q/q.c',
    'arch/p/fpu/f.c',
    'arch/r/r.c',
    'net/n.c',
    'lost/lost.c',
  ]);
  const out = resolveBuildConditions(dirs, (p) => sources.has(p), ['arch/p', 'arch/r']);
  const got = Object.fromEntries([...out].map(([p, b]) => [p, `${b.cond}${b.moduleOnly ? ' (m)' : ''} via ${b.via.map((v) => `${v.makefile}:${v.line}`).join(' ')}`]));

  it('gives every reached source its condition and citations, the object line first', () => {
    assert.deepEqual(got, {
      'lib/a.c': 'defined(CONFIG_A) || defined(CONFIG_B) via lib/Makefile:1 Kbuild:1 lib/Makefile:2 Kbuild:1',
      'lib/l.c': '1 via lib/Makefile:4 Kbuild:1',
      'lib/sub/s.c': 'defined(CONFIG_C) via lib/sub/Makefile:1 lib/Makefile:3',
      'lib/sub/p1.c': 'defined(CONFIG_C) (m) via lib/sub/Makefile:4 lib/Makefile:3 lib/sub/Makefile:2',
      'lib/sub/deep/p2.c': 'defined(CONFIG_C) (m) via lib/sub/Makefile:4 lib/Makefile:3 lib/sub/Makefile:2',
      'lib/sub/p3.S': 'defined(CONFIG_C) && defined(CONFIG_D) (m) via lib/sub/Makefile:4 lib/Makefile:3 lib/sub/Makefile:3',
      'arch/p/kernel/k.c': '1 via arch/p/kernel/Makefile:1 arch/p/Kbuild:1',
      'arch/p/mach-q/q.c': 'defined(CONFIG_MACH_Q) via arch/p/mach-q/Makefile:1 arch/p/Makefile:1',
      'arch/p/fpu/f.c': 'defined(CONFIG_FPU) via arch/p/fpu/Makefile:1 arch/p/Makefile:2',
      'arch/r/r.c': 'defined(CONFIG_R_ONLY) via arch/r/Kbuild:1 Kbuild:1',
      'net/n.c': 'defined(CONFIG_NET) via net/Makefile:1 Kbuild:2',
    });
  });

  it('leaves a directory no Makefile reaches without a condition', () => {
    assert.equal(out.get('lost/lost.c'), undefined);
  });
});

describe('build conditions as buildIndex stores them', () => {
  let alpha: Built;
  let beta: Built;
  before(async () => {
    alpha = await buildInto(ALPHA);
    beta = await buildInto(BETA);
  });
  after(() => {
    alpha.db.close();
    beta.db.close();
  });

  const at = (tree: string, mf: string, needle: string) => `${mf}:${lineOf(tree, mf, needle)}`;

  it('alpha: every source file, its condition and its Makefile citations', () => {
    const A = (mf: string, needle: string) => at(ALPHA, mf, needle);
    const K = {
      kernel: A('Kbuild', 'kernel/'),
      mm: A('Kbuild', 'mm/'),
      corvid: A('arch/corvid/Kbuild', 'kernel/ mm/'),
      corvidLib: A('arch/corvid/Kbuild', 'lib/'),
      plover: A('arch/plover/Kbuild', 'kernel/'),
      base: A('drivers/Makefile', 'base/'),
      gizmo: A('drivers/Makefile', 'gizmo/'),
    };
    const GZ = 'drivers/gizmo/Makefile';
    const expected: Record<string, string> = {
      'arch/corvid/common/firmware.c': `1 via ${A('arch/corvid/common/Makefile', 'firmware.o')} ${A('arch/corvid/Makefile', 'core-y')}`,
      'arch/corvid/fpu/fpu.c': `defined(CONFIG_CORVID_FPU) via ${A('arch/corvid/fpu/Makefile', 'fpu.o')} ${A('arch/corvid/Makefile', 'core-$(CONFIG_CORVID_FPU)')}`,
      'arch/corvid/kernel/irq.c': `1 via ${A('arch/corvid/kernel/Makefile', 'setup.o')} ${K.corvid}`,
      'arch/corvid/kernel/module.c': `defined(CONFIG_MODULES) via ${A('arch/corvid/kernel/Makefile', 'module.o')} ${K.corvid}`,
      'arch/corvid/kernel/psci.c': `IS_BUILTIN(CONFIG_CORVID_PSCI) via ${A('arch/corvid/kernel/Makefile', '+= psci.o')} ${K.corvid}`,
      'arch/corvid/kernel/psci_stub.c': `!IS_BUILTIN(CONFIG_CORVID_PSCI) via ${A('arch/corvid/kernel/Makefile', 'psci_stub.o')} ${K.corvid}`,
      'arch/corvid/kernel/setup.c': `1 via ${A('arch/corvid/kernel/Makefile', 'setup.o')} ${K.corvid}`,
      'arch/corvid/kernel/smp.c': `defined(CONFIG_SMP) via ${A('arch/corvid/kernel/Makefile', '+= smp.o')} ${K.corvid}`,
      'arch/corvid/kernel/smp_tlb.c': `defined(CONFIG_MMU) && defined(CONFIG_SMP) via ${A('arch/corvid/kernel/Makefile', 'smp_tlb.o')} ${K.corvid}`,
      'arch/corvid/kernel/traps.c': `1 via ${A('arch/corvid/kernel/Makefile', 'setup.o')} ${K.corvid}`,
      'arch/corvid/kernel/unwind.c': `defined(CONFIG_CORVID_UNWIND) via ${A('arch/corvid/kernel/Makefile', 'unwind.o')} ${K.corvid}`,
      'arch/corvid/lib/delay.c': `defined(CONFIG_CORVID_LIB) via ${A('arch/corvid/lib/Makefile', 'memfill.o delay.o')} ${K.corvidLib}`,
      'arch/corvid/lib/memfill.S': `defined(CONFIG_CORVID_LIB) via ${A('arch/corvid/lib/Makefile', 'memfill.o delay.o')} ${K.corvidLib}`,
      'arch/corvid/lib/memzero_fast.S': `defined(CONFIG_CORVID_LIB) && defined(CONFIG_CORVID_FAST_MEM) via ${A('arch/corvid/lib/Makefile', 'memzero_fast.o')} ${K.corvidLib}`,
      'arch/corvid/mach-heron/board-heron.c': `defined(CONFIG_ARCH_HERON) via ${A('arch/corvid/mach-heron/Makefile', 'board-heron.o')} ${A('arch/corvid/Makefile', 'machine-$(CONFIG_ARCH_HERON)')}`,
      'arch/corvid/mach-kite/board-kite.c': `defined(CONFIG_ARCH_KITE) via ${A('arch/corvid/mach-kite/Makefile', 'board-kite.o')} ${A('arch/corvid/Makefile', 'machine-$(CONFIG_ARCH_KITE)')}`,
      'arch/corvid/mach-kite/pm.c': `defined(CONFIG_ARCH_KITE) && defined(CONFIG_KITE_PM) via ${A('arch/corvid/mach-kite/Makefile', 'pm.o')} ${A('arch/corvid/Makefile', 'machine-$(CONFIG_ARCH_KITE)')}`,
      'arch/corvid/mm/cache-v4.S': `defined(CONFIG_CORVID_CACHE_V4) via ${A('arch/corvid/mm/Makefile', 'cache-v4.o')} ${K.corvid}`,
      'arch/corvid/mm/init.c': `1 via ${A('arch/corvid/mm/Makefile', 'init.o')} ${K.corvid}`,
      'arch/plover/kernel/setup.c': `1 via ${A('arch/plover/kernel/Makefile', 'setup.o')} ${K.plover}`,
      'arch/plover/kernel/smp.c': `defined(CONFIG_SMP) via ${A('arch/plover/kernel/Makefile', 'smp.o')} ${K.plover}`,
      'drivers/base/core.c': `1 via ${A('drivers/base/Makefile', 'core.o')} ${K.base}`,
      'drivers/base/module.c': `defined(CONFIG_MODULES) via ${A('drivers/base/Makefile', 'module.o')} ${K.base}`,
      'drivers/gizmo/gizmo-bus.c': `defined(CONFIG_GIZMO) via ${A(GZ, '+= gizmo.o')} ${K.gizmo} ${A(GZ, 'gizmo-y')}`,
      'drivers/gizmo/gizmo-common.c': `(defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_DEBUG)) || (defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_TRACE)) via ${A(GZ, 'obj-$(CONFIG_GIZMO_DEBUG)')} ${K.gizmo} ${A(GZ, 'obj-$(CONFIG_GIZMO_TRACE)')} ${K.gizmo}`,
      'drivers/gizmo/gizmo-core.c': `defined(CONFIG_GIZMO) via ${A(GZ, '+= gizmo.o')} ${K.gizmo} ${A(GZ, 'gizmo-y')}`,
      'drivers/gizmo/gizmo-corvid.c': `defined(CONFIG_GIZMO) && make:ifeq($(ARCH),corvid) via ${A(GZ, 'gizmo-corvid.o')} ${K.gizmo}`,
      'drivers/gizmo/gizmo-debugfs.c': `defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_DEBUG) via ${A(GZ, '+= gizmo.o')} ${K.gizmo} ${A(GZ, 'gizmo-debugfs.o')}`,
      'drivers/gizmo/gizmo-test.c': `defined(CONFIG_GIZMO) (m) via ${A(GZ, 'obj-m')} ${K.gizmo}`,
      'drivers/gizmo/turbo-fast.c': `defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_TURBO) && !IS_BUILTIN(CONFIG_GIZMO_SAFE) via ${A(GZ, 'turbo-fast.o')} ${K.gizmo}`,
      'drivers/gizmo/turbo-safe.c': `defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_TURBO) && IS_BUILTIN(CONFIG_GIZMO_SAFE) via ${A(GZ, 'turbo-safe.o')} ${K.gizmo}`,
      'drivers/gizmo/widget-io.c': `defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_WIDGET) via ${A(GZ, 'widget.o')} ${K.gizmo} ${A(GZ, 'widget-objs')}`,
      'drivers/gizmo/widget-main.c': `defined(CONFIG_GIZMO) && defined(CONFIG_GIZMO_WIDGET) via ${A(GZ, 'widget.o')} ${K.gizmo} ${A(GZ, 'widget-objs')}`,
      'kernel/dumpstack.c': `1 via ${A('kernel/Makefile', 'lib-y')} ${K.kernel}`,
      'kernel/fork.c': `1 via ${A('kernel/Makefile', 'fork.o')} ${K.kernel}`,
      'kernel/gizctl.c': `defined(CONFIG_GIZMO_SYSCALL) via ${A('kernel/Makefile', 'gizctl.o')} ${K.kernel}`,
      'kernel/giztrace_core.c': `defined(CONFIG_GIZMO_TRACE) via ${A('kernel/Makefile', 'giztrace.o')} ${K.kernel} ${A('kernel/Makefile', 'giztrace-objs')}`,
      'kernel/giztrace_ring.c': `defined(CONFIG_GIZMO_TRACE) via ${A('kernel/Makefile', 'giztrace.o')} ${K.kernel} ${A('kernel/Makefile', 'giztrace-objs')}`,
      'kernel/notifier.c': `1 via ${A('kernel/Makefile', 'fork.o')} ${K.kernel}`,
      'kernel/panic.c': `1 via ${A('kernel/Makefile', 'fork.o')} ${K.kernel}`,
      'mm/filemap.c': `1 via ${A('mm/Makefile', 'filemap.o')} ${K.mm}`,
      // .c files #included by mm/gizarea.c: the includer's condition and the #ifdef around the #include
      'mm/gizarea-km.c': `defined(CONFIG_GIZMO_AREA) && defined(CONFIG_NEED_PER_CPU_KM) via ${A('mm/gizarea.c', '#include "gizarea-km.c"')} ${A('mm/Makefile', 'gizarea.o')} ${K.mm}`,
      'mm/gizarea-vm.c': `defined(CONFIG_GIZMO_AREA) && !defined(CONFIG_NEED_PER_CPU_KM) via ${A('mm/gizarea.c', '#include "gizarea-vm.c"')} ${A('mm/Makefile', 'gizarea.o')} ${K.mm}`,
      'mm/gizarea.c': `defined(CONFIG_GIZMO_AREA) via ${A('mm/Makefile', 'gizarea.o')} ${K.mm}`,
      'mm/gizswap.c': `defined(CONFIG_MMU) && defined(CONFIG_GIZMO_SWAP) via ${A('mm/Makefile', 'gizswap.o')} ${K.mm}`,
      'mm/memory-tiers.c': `IS_BUILTIN(CONFIG_NUMA) && defined(CONFIG_MEMORY_HOTPLUG) via ${A('mm/Makefile', 'memory-tiers.o')} ${K.mm}`,
      'mm/memory.c': `defined(CONFIG_MMU) via ${A('mm/Makefile', 'memory.o mmap.o')} ${K.mm}`,
      'mm/mempolicy.c': `IS_BUILTIN(CONFIG_NUMA) via ${A('mm/Makefile', 'mempolicy.o')} ${K.mm}`,
      'mm/mempool.c': `1 via ${A('mm/Makefile', 'filemap.o')} ${K.mm}`,
      'mm/mmap.c': `defined(CONFIG_MMU) via ${A('mm/Makefile', 'memory.o mmap.o')} ${K.mm}`,
      'mm/nommu.c': `!defined(CONFIG_MMU) via ${A('mm/Makefile', 'nommu.o')} ${K.mm}`,
      'mm/readahead.c': `1 via ${A('mm/Makefile', 'filemap.o')} ${K.mm}`,
    };
    const got: Record<string, string> = {};
    const unbuilt: string[] = [];
    for (const line of allBuildConds(alpha.db, alpha.tree.id)) {
      const [path, cond, via] = line.split(' | ') as [string, string, string];
      if (cond === '-') {
        unbuilt.push(path);
        continue;
      }
      const v = JSON.parse(via) as { via: { makefile: string; line: number }[]; moduleOnly: boolean };
      got[path] = `${cond}${v.moduleOnly ? ' (m)' : ''} via ${v.via.map((x) => `${x.makefile}:${x.line}`).join(' ')}`;
    }
    assert.deepEqual(got, expected);
    // sources no Makefile reaches: a directory drivers/Makefile does not name, a file mm/Makefile does not list
    assert.deepEqual(
      unbuilt.filter((p) => /\.(c|S)$/.test(p)),
      ['drivers/orphan/orphan.c', 'mm/unlisted.c'],
    );
  });

  it('beta: $(mmu-y) objects, ifneq ($(CONFIG_SMP),y), and the .c files a file holding only #includes pulls in', () => {
    const B = (mf: string, needle: string) => at(BETA, mf, needle);
    const mmLine = B('mm/Makefile', '$(mmu-y)');
    const show = (p: string) => {
      const b = buildCondOf(beta.db, beta.tree.id, p);
      return `${b.cond} via ${b.via.map((x) => `${x.makefile}:${x.line}`).join(' ')}`;
    };
    const kb = 'Kbuild:6';
    assert.equal(show('mm/memory.c'), `defined(CONFIG_MMU) via ${mmLine} ${kb}`);
    assert.equal(show('mm/vmalloc.c'), `defined(CONFIG_MMU) via ${mmLine} ${kb}`);
    assert.equal(show('mm/nommu.c'), `!defined(CONFIG_MMU) via ${mmLine} ${kb}`);
    assert.equal(show('kernel/up.c'), `!IS_BUILTIN(CONFIG_SMP) via ${B('kernel/Makefile', 'up.o')} ${kb}`);
    assert.equal(show('mm/gizarea-km.c'), `defined(CONFIG_GIZMO_AREA) && defined(CONFIG_NEED_PER_CPU_KM) via ${B('mm/gizarea.c', 'gizarea-km.c')} ${B('mm/Makefile', 'gizarea.o')} ${kb}`);
    assert.equal(show('mm/gizarea-vm.c'), `defined(CONFIG_GIZMO_AREA) && !defined(CONFIG_NEED_PER_CPU_KM) via ${B('mm/gizarea.c', 'gizarea-vm.c')} ${B('mm/Makefile', 'gizarea.o')} ${kb}`);
  });
});
