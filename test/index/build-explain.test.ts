// buildIndex on each fixture tree (a directory), then the rows behind lookup,
// kconfig and explain, read back through the real SQLite index.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { archOfPath, kconfigRows, lookupRows } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_VERSION, BETA, BETA_VERSION, allBuildConds, allEntries, brief, buildInto, explainIn, lineOf, type Built } from '../helpers/index-fixtures.js';

const SMP_TLB = 'arch/corvid/kernel/smp_tlb.c';
const TLBFLUSH = 'arch/corvid/include/asm/tlbflush.h';

describe('buildIndex: the alpha tree, as a directory', () => {
  let a: Built;
  before(async () => {
    a = await buildInto(ALPHA);
  });
  after(() => a.db.close());

  const rows = (sym: string) => lookupRows(a.db, a.tree.id, sym);
  const explain = (sym: string, arch: string | null, config: string) => explainIn(a.db, a.tree, sym, arch, config);
  const smpTlbLine = () => lineOf(ALPHA, SMP_TLB, '^void flush_tlb_kernel_span(');
  const makefileLine = () => lineOf(ALPHA, 'arch/corvid/kernel/Makefile', 'smp_tlb.o');

  it('names the tree from the top Makefile and counts files and entries', () => {
    assert.equal(a.stats.tree, ALPHA_VERSION);
    assert.equal(a.stats.version, ALPHA_VERSION);
    assert.equal(a.stats.kind, 'dir');
    assert.deepEqual(a.stats.errors, []);
    assert.equal(a.stats.files, 91);
    assert.equal(a.stats.entries, 155);
    assert.equal(a.tree.files, 91);
    assert.equal(a.tree.entries, 155);
    assert.equal(a.tree.source, ALPHA);
  });

  it('lookup: every declaration and definition of flush_tlb_kernel_span, with conditions, build conditions and arch', () => {
    const r = rows('flush_tlb_kernel_span');
    assert.deepEqual(brief(r), [
      `${TLBFLUSH}:${lineOf(ALPHA, TLBFLUSH, 'extern void flush_tlb_kernel_span', 1)} proto extern | defined(CONFIG_MMU) && !defined(__ASSEMBLY__)`,
      `${TLBFLUSH}:${lineOf(ALPHA, TLBFLUSH, 'extern void flush_tlb_kernel_span', 2)} proto extern | !defined(CONFIG_MMU) && defined(CONFIG_SMP) && !defined(__ASSEMBLY__)`,
      `${SMP_TLB}:${smpTlbLine()} func global | 1`,
      `include/asm-generic/tlbflush.h:${lineOf(ALPHA, 'include/asm-generic/tlbflush.h', 'flush_tlb_kernel_span')} func static-inline | 1`,
    ]);
    assert.deepEqual(
      r.map((x) => [x.arch, x.buildCond]),
      [
        ['corvid', null],
        ['corvid', null],
        ['corvid', 'defined(CONFIG_MMU) && defined(CONFIG_SMP)'],
        [null, null],
      ],
    );
    assert.deepEqual(r[2]!.buildVia, [
      { makefile: 'arch/corvid/kernel/Makefile', line: makefileLine() },
      { makefile: 'arch/corvid/Kbuild', line: lineOf(ALPHA, 'arch/corvid/Kbuild', 'kernel/ mm/') },
    ]);
    assert.equal(r[2]!.moduleOnly, false);
  });

  it('explain, the ARM-like case: CONFIG_SMP=y,CONFIG_MMU=n on corvid is declared, not defined, and will not link', () => {
    const e = explain('flush_tlb_kernel_span', 'corvid', 'CONFIG_SMP=y,CONFIG_MMU=n');
    assert.equal(e.declared, 'true');
    assert.equal(e.defined, 'false');
    assert.equal(e.inline, 'false');
    assert.equal(e.exported, 'false');
    const why = `declared but not defined in this configuration (${SMP_TLB}:${smpTlbLine()} is built only when defined(CONFIG_MMU) && defined(CONFIG_SMP) (arch/corvid/kernel/Makefile:${makefileLine()})): a reference compiles and will not link`;
    assert.deepEqual(e.builtinUse, { answer: 'false', why });
    assert.deepEqual(e.moduleUse, { answer: 'false', why });
    assert.equal(e.config, 'CONFIG_SMP=y CONFIG_MMU=n');
    // the declaration that counts is the one in the #else of #ifdef CONFIG_MMU
    assert.deepEqual(
      e.rows.map((v) => `${v.row.path}:${v.row.line} pp=${v.pp} built=${v.built} -> ${v.effective}`),
      [
        `${TLBFLUSH}:${lineOf(ALPHA, TLBFLUSH, 'extern void flush_tlb_kernel_span', 1)} pp=false built=true -> false`,
        `${TLBFLUSH}:${lineOf(ALPHA, TLBFLUSH, 'extern void flush_tlb_kernel_span', 2)} pp=true built=true -> true`,
        `${SMP_TLB}:${smpTlbLine()} pp=true built=false -> false`,
      ],
    );
    // the arch's own asm/tlbflush.h replaces the asm-generic one, whose static inline would otherwise answer
    assert.deepEqual(
      e.skipped.map((s) => `${s.row.path}: ${s.why}`),
      [`include/asm-generic/tlbflush.h: arch/corvid/include/asm/tlbflush.h replaces it`],
    );
  });

  it('explain: with CONFIG_MMU=y too it is defined, usable by built-in code, and not exported to modules', () => {
    const e = explain('flush_tlb_kernel_span', 'corvid', 'SMP=y MMU=y');
    assert.equal(e.declared, 'true');
    assert.equal(e.defined, 'true');
    assert.deepEqual(e.builtinUse, { answer: 'true', why: `defined at ${SMP_TLB}:${smpTlbLine()}, built when defined(CONFIG_MMU) && defined(CONFIG_SMP)` });
    assert.deepEqual(e.moduleUse, { answer: 'false', why: `defined in built-in code (${SMP_TLB}:${smpTlbLine()}) but not exported: modpost reports it undefined for modules` });
  });

  it('explain: with only CONFIG_SMP=y given the answer stays open, and says on what', () => {
    const e = explain('flush_tlb_kernel_span', 'corvid', 'SMP=y');
    assert.equal(e.declared, 'unknown');
    assert.equal(e.defined, 'unknown');
    assert.deepEqual(e.builtinUse, { answer: 'unknown', why: `depends on what the configuration leaves open: ${SMP_TLB}:${smpTlbLine()} needs defined(CONFIG_MMU) && defined(CONFIG_SMP)` });
  });

  it('explain: an arch without its own asm/tlbflush.h gets the asm-generic static inline; corvid rows are left out', () => {
    const e = explain('flush_tlb_kernel_span', 'plover', 'CONFIG_SMP=y,CONFIG_MMU=n');
    const generic = `include/asm-generic/tlbflush.h:${lineOf(ALPHA, 'include/asm-generic/tlbflush.h', 'flush_tlb_kernel_span')}`;
    assert.equal(e.inline, 'true');
    assert.deepEqual(e.builtinUse, { answer: 'true', why: `a static inline at ${generic} (under 1); whatever it expands to must be available too` });
    assert.deepEqual(
      e.rows.map((v) => `${v.row.path}:${v.row.line}`),
      [generic],
    );
    assert.deepEqual([...new Set(e.skipped.map((s) => s.why))], ['arch/corvid only']);
    assert.equal(e.skipped.length, 3);
  });

  it('asm-generic/cachectl.h: replaced on corvid (extern + a .S definition with its export), used on plover (a static inline)', () => {
    const s = 'arch/corvid/mm/cache-v4.S';
    const corvid = explain('cache_sync_range', 'corvid', 'CORVID_CACHE_V4=y');
    assert.deepEqual(
      corvid.skipped.map((x) => `${x.row.path}: ${x.why}`),
      ['include/asm-generic/cachectl.h: arch/corvid/include/asm/cachectl.h replaces it'],
    );
    assert.equal(corvid.declared, 'true');
    assert.equal(corvid.defined, 'true');
    assert.equal(corvid.exported, 'true');
    assert.deepEqual(corvid.moduleUse, { answer: 'true', why: `exported at ${s}:${lineOf(ALPHA, s, 'EXPORT_SYMBOL(cache_sync_range)')} (EXPORT_SYMBOL)` });
    const off = explain('cache_sync_range', 'corvid', 'CORVID_CACHE_V4=n');
    assert.equal(off.defined, 'false');
    assert.equal(off.builtinUse.answer, 'false');
    assert.match(
      off.builtinUse.why,
      /^declared but not defined in this configuration \(arch\/corvid\/mm\/cache-v4\.S:\d+ is built only when defined\(CONFIG_CORVID_CACHE_V4\) \(arch\/corvid\/mm\/Makefile:3\)\): a reference compiles and will not link$/,
    );
    const plover = explain('cache_sync_range', 'plover', 'CORVID_CACHE_V4=n');
    assert.deepEqual(
      plover.skipped.map((x) => x.why),
      ['arch/corvid only', 'arch/corvid only', 'arch/corvid only'],
    );
    assert.equal(plover.inline, 'true');
    assert.deepEqual(plover.builtinUse, {
      answer: 'true',
      why: `a static inline at include/asm-generic/cachectl.h:${lineOf(ALPHA, 'include/asm-generic/cachectl.h', 'cache_sync_range')} (under 1); whatever it expands to must be available too`,
    });
  });

  it('a symbol exported only under a config: yes, no, or open, with the export cited', () => {
    const f = 'drivers/gizmo/gizmo-core.c';
    const def = lineOf(ALPHA, f, 'void gizmo_dump_state(');
    const exp = lineOf(ALPHA, f, 'EXPORT_SYMBOL_GPL(gizmo_dump_state)');
    const yes = explain('gizmo_dump_state', null, 'GIZMO=y,GIZMO_DEBUG=y,GIZMO_SAFE=n');
    assert.equal(yes.exported, 'true');
    assert.deepEqual(yes.moduleUse, { answer: 'true', why: `exported at ${f}:${exp} (EXPORT_SYMBOL_GPL)` });
    const no = explain('gizmo_dump_state', null, 'GIZMO=y,GIZMO_DEBUG=n,GIZMO_TRACE=y,GIZMO_SAFE=n');
    assert.equal(no.defined, 'true');
    assert.equal(no.exported, 'false');
    assert.deepEqual(no.moduleUse, { answer: 'false', why: `defined in built-in code (${f}:${def}) but not exported: modpost reports it undefined for modules` });
    const open = explain('gizmo_dump_state', null, 'GIZMO=y,GIZMO_TRACE=y');
    assert.equal(open.defined, 'true');
    assert.equal(open.exported, 'unknown');
    assert.deepEqual(open.moduleUse, {
      answer: 'unknown',
      why: `exported only under a condition the configuration does not settle: ${f}:${exp} under (defined(CONFIG_GIZMO_DEBUG) || defined(CONFIG_GIZMO_TRACE)) && defined(CONFIG_GIZMO_DEBUG)`,
    });
  });

  it('a symbol defined only as a static inline in a header is usable in every configuration that sees it', () => {
    const h = 'include/linux/gizmo.h';
    const e = explain('gizmo_is_idle', 'corvid', 'SMP=n');
    assert.equal(e.inline, 'true');
    assert.equal(e.defined, 'false'); // nothing to link against, and nothing needed
    assert.deepEqual(e.builtinUse, { answer: 'true', why: `a static inline at ${h}:${lineOf(ALPHA, h, 'bool gizmo_is_idle(')} (under 1); whatever it expands to must be available too` });
    assert.deepEqual(e.moduleUse, e.builtinUse);
    // gizmo_boost: which inline answers depends on the #if/#elif/#else arm the configuration picks
    const turbo = explain('gizmo_boost', null, 'GIZMO=y,GIZMO_TURBO=y,GIZMO_SAFE=n');
    assert.match(
      turbo.builtinUse.why,
      new RegExp(`^a static inline at ${h}:${lineOf(ALPHA, h, '{ return 2; }')} \\(under defined\\(CONFIG_GIZMO\\) && defined\\(CONFIG_GIZMO_TURBO\\) && !defined\\(CONFIG_GIZMO_SAFE\\)\\)`),
    );
    const debug = explain('gizmo_boost', null, 'GIZMO=y,GIZMO_TURBO=n,GIZMO_DEBUG=y');
    assert.equal(debug.inline, 'false');
    assert.equal(debug.declared, 'true'); // the extern in the #elif arm, and no definition anywhere
    // no definition in any source file is not "undefined": a macro-made or generated definition is not indexed
    assert.equal(debug.defined, 'unknown');
    assert.equal(debug.builtinUse.answer, 'unknown');
    assert.match(debug.builtinUse.why, /^declared \(include\/linux\/gizmo\.h:\d+(, include\/linux\/gizmo\.h:\d+)?\), but the tree shows no definition of it: one made by a macro/);
    const off = explain('gizmo_boost', null, 'GIZMO=n');
    assert.match(off.builtinUse.why, new RegExp(`^a macro at ${h}:${lineOf(ALPHA, h, '#define gizmo_boost(g)')} \\(under !defined\\(CONFIG_GIZMO\\)\\)`));
  });

  it('#ifdef CONFIG_GIZMO with CONFIG_GIZMO=m: C sees the #else stub, while Kbuild builds gizmo-core.c into the module', () => {
    const h = 'include/linux/gizmo.h';
    const m = explain('gizmo_enable', null, 'GIZMO=m');
    assert.deepEqual(
      m.rows.map((v) => `${v.row.path}:${v.row.line} ${v.row.kind} pp=${v.pp} built=${v.built}`),
      [
        `drivers/gizmo/gizmo-core.c:${lineOf(ALPHA, 'drivers/gizmo/gizmo-core.c', 'int gizmo_enable(')} func pp=true built=true`,
        `drivers/gizmo/gizmo-core.c:${lineOf(ALPHA, 'drivers/gizmo/gizmo-core.c', 'EXPORT_SYMBOL_NS_GPL(gizmo_enable')} export pp=true built=true`,
        `${h}:${lineOf(ALPHA, h, 'int gizmo_enable(struct gizmo *g);')} proto pp=false built=true`,
        `${h}:${lineOf(ALPHA, h, '{ return -ENODEV; }')} func pp=true built=true`,
      ],
    );
    assert.match(m.builtinUse.why, /^a static inline at include\/linux\/gizmo\.h:\d+ \(under !defined\(CONFIG_GIZMO\)\)/);
    const y = explain('gizmo_enable', null, 'GIZMO=y');
    assert.equal(y.inline, 'false');
    assert.deepEqual(y.moduleUse, {
      answer: 'true',
      why: `exported at drivers/gizmo/gizmo-core.c:${lineOf(ALPHA, 'drivers/gizmo/gizmo-core.c', 'EXPORT_SYMBOL_NS_GPL(gizmo_enable')} (EXPORT_SYMBOL_NS_GPL, namespace GIZMO_CORE)`,
    });
  });

  it('two definitions under opposite build conditions (mm/memory.c, mm/nommu.c): the configuration picks one, and its export', () => {
    const mmu = explain('gizmo_map_pages', null, 'MMU=y');
    assert.deepEqual(mmu.builtinUse, { answer: 'true', why: `defined at mm/memory.c:${lineOf(ALPHA, 'mm/memory.c', 'int gizmo_map_pages(')}, built when defined(CONFIG_MMU)` });
    assert.deepEqual(mmu.moduleUse, { answer: 'true', why: `exported at mm/memory.c:${lineOf(ALPHA, 'mm/memory.c', 'EXPORT_SYMBOL_GPL(gizmo_map_pages)')} (EXPORT_SYMBOL_GPL)` });
    const nommu = explain('gizmo_map_pages', null, 'MMU=n');
    assert.deepEqual(nommu.builtinUse, { answer: 'true', why: `defined at mm/nommu.c:${lineOf(ALPHA, 'mm/nommu.c', 'int gizmo_map_pages(')}, built when !defined(CONFIG_MMU)` });
    assert.deepEqual(nommu.moduleUse, { answer: 'true', why: `exported at mm/nommu.c:${lineOf(ALPHA, 'mm/nommu.c', 'EXPORT_SYMBOL(gizmo_map_pages)')} (EXPORT_SYMBOL)` });
  });

  it("a static inline or a macro in a .c file is that file's own: not usable from elsewhere", () => {
    const inC = explain('fork_burst_ok', null, 'SMP=y');
    assert.equal(inC.inline, 'false');
    assert.equal(inC.declared, 'false');
    assert.equal(inC.builtinUse.answer, 'false');
    assert.equal(inC.moduleUse.answer, 'false');
    assert.equal(explain('FORK_BURST_DEFAULT', null, 'SMP=y').builtinUse.answer, 'false');
    assert.equal(explain('ipi_flush_tlb_kernel_span', 'corvid', 'SMP=y,MMU=y').builtinUse.answer, 'false');
    // the same kinds in a header are usable
    assert.equal(explain('GIZMO_MAX_UNITS', null, 'SMP=y').builtinUse.answer, 'true');
  });

  it('a definition in a directory no Makefile reaches: open, and the reason is given', () => {
    const e = explain('orphan_probe', null, 'ORPHAN=y');
    assert.equal(e.defined, 'unknown');
    assert.equal(e.rows[0]!.note, 'no Makefile rule the index can read builds this file');
    assert.deepEqual(e.builtinUse, { answer: 'unknown', why: 'depends on what the configuration leaves open: drivers/orphan/orphan.c:4 (no Makefile rule the index can read builds this file)' });
  });

  it('an object under a make conditional the index cannot read: the CONFIG_ part still decides when it can', () => {
    assert.equal(explain('gizmo_corvid_quirk', null, 'GIZMO=n').defined, 'false');
    assert.equal(explain('gizmo_corvid_quirk', null, 'GIZMO=y').defined, 'unknown');
  });

  it('a .c file #included by another takes both conditions: explain follows them', () => {
    assert.equal(explain('gizarea_km_stats', null, 'GIZMO_AREA=y,NEED_PER_CPU_KM=y').defined, 'true');
    assert.equal(explain('gizarea_km_stats', null, 'GIZMO_AREA=y,NEED_PER_CPU_KM=n').defined, 'false');
    assert.equal(explain('gizarea_vm_stats', null, 'GIZMO_AREA=y,NEED_PER_CPU_KM=n').defined, 'true');
    assert.equal(explain('gizarea_vm_stats', null, 'GIZMO_AREA=n,NEED_PER_CPU_KM=n').defined, 'false');
  });

  it('--arch: rows under arch/<A>/ belong to that arch only; tree-wide rows to all', () => {
    const all = rows('arch_gizmo_init');
    assert.deepEqual(
      all.map((r) => `${r.path} ${r.arch}`),
      ['arch/corvid/kernel/setup.c corvid', 'arch/plover/kernel/setup.c plover'],
    );
    const pick = (arch: string) => all.filter((r) => !r.arch || r.arch === arch).map((r) => r.path);
    assert.deepEqual(pick('plover'), ['arch/plover/kernel/setup.c']);
    assert.deepEqual(pick('corvid'), ['arch/corvid/kernel/setup.c']);
    assert.equal(archOfPath('arch/corvid/include/asm/tlbflush.h'), 'corvid');
    assert.equal(archOfPath('include/asm-generic/tlbflush.h'), null);
    assert.equal(archOfPath('arch/Kconfig'), null);
    const e = explain('flush_tlb_all', 'plover', 'SMP=y');
    assert.deepEqual(e.moduleUse, { answer: 'true', why: `exported at arch/plover/kernel/smp.c:${lineOf(ALPHA, 'arch/plover/kernel/smp.c', 'EXPORT_SYMBOL')} (EXPORT_SYMBOL)` });
    assert.ok(e.rows.every((v) => v.row.arch === 'plover'));
  });

  it('lookup: namespaces of EXPORT_SYMBOL_NS_GPL, bare and quoted, and an unknown symbol', () => {
    assert.deepEqual(
      brief(rows('gizmo_unregister')).filter((s) => s.includes('export')),
      [`drivers/gizmo/gizmo-core.c:${lineOf(ALPHA, 'drivers/gizmo/gizmo-core.c', 'EXPORT_SYMBOL_NS_GPL(gizmo_unregister')} export EXPORT_SYMBOL_NS_GPL ns=GIZMO_CORE | 1`],
    );
    assert.deepEqual(
      brief(rows('gizmo_enable')).filter((s) => s.includes('export')),
      [`drivers/gizmo/gizmo-core.c:${lineOf(ALPHA, 'drivers/gizmo/gizmo-core.c', 'EXPORT_SYMBOL_NS_GPL(gizmo_enable')} export EXPORT_SYMBOL_NS_GPL ns=GIZMO_CORE | 1`],
    );
    assert.deepEqual(rows('no_such_symbol_anywhere'), []);
    // a struct tag or a macro invocation is not a symbol of its own
    assert.deepEqual(rows('gizmo_ops'), []);
    assert.deepEqual(rows('LIST_HEAD'), []);
  });

  it('kconfig: definitions per arch, depends, enclosing if/menu, and what selects or implies a symbol', () => {
    const smp = kconfigRows(a.db, a.tree.id, 'CONFIG_SMP');
    assert.deepEqual(
      smp.defs.map((d) => `${d.path}:${d.line} ${d.type} arch=${d.arch} depends=${d.dependsOn.join(' ; ')}`),
      [
        `arch/corvid/Kconfig:${lineOf(ALPHA, 'arch/corvid/Kconfig', 'menuconfig SMP')} bool arch=corvid depends=CPU_V4 || CPU_V5 ; MMU || CORVID_MPU`,
        `arch/plover/Kconfig:${lineOf(ALPHA, 'arch/plover/Kconfig', 'config SMP')} bool arch=plover depends=PLOVER`,
      ],
    );
    assert.deepEqual(smp.selectedBy, []);
    const area = kconfigRows(a.db, a.tree.id, 'GIZMO_AREA'); // without the CONFIG_ prefix
    assert.deepEqual(
      area.selectedBy.map((s) => `${s.kind} by ${s.by}${s.cond ? ' if ' + s.cond : ''} (${s.path}:${s.line})`),
      [
        `select by CONFIG_SMP if GIZMO && !CORVID_MPU (arch/corvid/Kconfig:${lineOf(ALPHA, 'arch/corvid/Kconfig', 'menuconfig SMP')})`,
        `select by CONFIG_PLOVER (arch/plover/Kconfig:${lineOf(ALPHA, 'arch/plover/Kconfig', 'config PLOVER')})`,
      ],
    );
    assert.deepEqual(area.defs[0]!.defaults, [{ value: 'y', cond: 'GIZMO' }]);
    const dbg = kconfigRows(a.db, a.tree.id, 'CONFIG_GIZMO_DEBUG');
    assert.deepEqual(dbg.defs[0]!.enclosing, ['GIZMO']);
    assert.deepEqual(
      dbg.selectedBy.map((s) => `${s.kind} ${s.by} ${s.cond}`),
      ['imply CONFIG_GIZMO_TRACE DEBUG_FS'],
    );
    const km = kconfigRows(a.db, a.tree.id, 'CONFIG_NEED_PER_CPU_KM');
    assert.deepEqual(
      km.defs.map((d) => [d.path, d.type, d.prompt, d.dependsOn, d.defaults]),
      [['mm/Kconfig', 'bool', null, ['!SMP || !MMU'], [{ value: 'y' }]]],
    );
    const legacy = kconfigRows(a.db, a.tree.id, 'CONFIG_WIDGET_LEGACY_GIZMO');
    assert.deepEqual(legacy.defs[0]!.enclosing, ['HAS_IOMEM && !UML', 'GIZMO']);
    assert.deepEqual(kconfigRows(a.db, a.tree.id, 'CONFIG_NOT_THERE'), { defs: [], selectedBy: [] });
  });

  it('the worker-thread build (jobs: 2) stores exactly what the in-process build stores', async () => {
    const w = await buildInto(ALPHA, { jobs: 2 });
    try {
      assert.equal(w.stats.files, a.stats.files);
      assert.equal(w.stats.entries, a.stats.entries);
      assert.deepEqual(allEntries(w.db, w.tree.id), allEntries(a.db, a.tree.id));
      assert.deepEqual(allBuildConds(w.db, w.tree.id), allBuildConds(a.db, a.tree.id));
    } finally {
      w.db.close();
    }
  });
});

describe('buildIndex: the beta tree', () => {
  let b: Built;
  before(async () => {
    b = await buildInto(BETA);
  });
  after(() => b.db.close());
  const explain = (sym: string, arch: string | null, config: string) => explainIn(b.db, b.tree, sym, arch, config);

  it('is named from its Makefile (with EXTRAVERSION)', () => {
    assert.equal(b.stats.tree, BETA_VERSION);
    assert.equal(b.stats.files, 30);
    assert.deepEqual(b.stats.errors, []);
  });

  it('kernel/smp.c or kernel/up.c, by CONFIG_SMP, each with its own export', () => {
    assert.deepEqual(explain('smp_call_on_cpu_lite', null, 'SMP=y').moduleUse, {
      answer: 'true',
      why: `exported at kernel/smp.c:${lineOf(BETA, 'kernel/smp.c', 'EXPORT_SYMBOL')} (EXPORT_SYMBOL_GPL)`,
    });
    assert.deepEqual(explain('smp_call_on_cpu_lite', null, 'SMP=n').moduleUse, { answer: 'true', why: `exported at kernel/up.c:${lineOf(BETA, 'kernel/up.c', 'EXPORT_SYMBOL')} (EXPORT_SYMBOL)` });
  });

  it('mm/nommu.c or mm/vmalloc.c, through obj-y += $(mmu-y)', () => {
    assert.deepEqual(explain('vmalloc_lite', null, 'MMU=n').builtinUse, { answer: 'true', why: 'defined at mm/nommu.c:10, built when !defined(CONFIG_MMU)' });
    assert.deepEqual(explain('vmalloc_lite', null, 'MMU=y').builtinUse, { answer: 'true', why: 'defined at mm/vmalloc.c:4, built when defined(CONFIG_MMU)' });
  });

  it('wren has its own asm/tlbflush.h and an exported definition under CONFIG_SMP', () => {
    const e = explain('flush_tlb_kernel_span', 'wren', 'SMP=n');
    assert.deepEqual(
      e.skipped.map((s) => s.why),
      ['arch/wren/include/asm/tlbflush.h replaces it'],
    );
    assert.equal(e.builtinUse.answer, 'false');
    assert.equal(
      e.builtinUse.why,
      'declared but not defined in this configuration (arch/wren/kernel/smp_tlb.c:4 is built only when defined(CONFIG_SMP) (arch/wren/kernel/Makefile:3)): a reference compiles and will not link',
    );
    assert.deepEqual(explain('flush_tlb_kernel_span', 'wren', 'SMP=y').moduleUse, { answer: 'true', why: 'exported at arch/wren/kernel/smp_tlb.c:7 (EXPORT_SYMBOL)' });
  });

  it('kconfig: a choice member depending on SMP', () => {
    const r = kconfigRows(b.db, b.tree.id, 'CONFIG_WREN_SPARSE');
    assert.deepEqual(
      r.defs.map((d) => [d.path, d.line, d.type, d.prompt, d.dependsOn]),
      [['arch/wren/Kconfig', lineOf(BETA, 'arch/wren/Kconfig', 'config WREN_SPARSE'), 'bool', 'Sparse', ['SMP']]],
    );
  });
});
