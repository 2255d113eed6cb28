// scanKconfig on the fixture Kconfig files: types, prompts, depends on,
// select/imply with their conditions, defaults, help text, the enclosing
// if/menu/choice conditions, and the source lines.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scanKconfig, type KconfigSymbol } from '../../src/index/scan/kconfig.js';
import { ALPHA, lineOf } from '../helpers/index-fixtures.js';

const scanFixture = (path: string) => scanKconfig(readFileSync(join(ALPHA, path), 'utf8'));
const byName = (syms: KconfigSymbol[]) => Object.fromEntries(syms.map((s) => [s.name, s]));

/** a symbol with the fields that are empty by default filled in */
function sym(name: string, line: number, over: Partial<KconfigSymbol>): KconfigSymbol {
  return { name, line, dependsOn: [], enclosing: [], selects: [], implies: [], defaults: [], menuconfig: false, inChoice: false, ...over };
}

describe('scanKconfig: arch/corvid/Kconfig', () => {
  const path = 'arch/corvid/Kconfig';
  const L = (needle: string) => lineOf(ALPHA, path, needle);
  const { symbols, sources } = scanFixture(path);
  const s = byName(symbols);

  it('finds every config and menuconfig, in order', () => {
    assert.deepEqual(
      symbols.map((x) => x.name),
      ['CORVID', 'MMU', 'CORVID_LIB', 'SMP', 'SMP_ON_UP', 'ARCH_KITE', 'ARCH_HERON', 'CORVID_PSCI', 'CORVID_FPU'],
    );
    assert.deepEqual(sources, [{ path: 'arch/corvid/mm/Kconfig', line: L('source "arch/corvid/mm/Kconfig"') }]);
  });

  it('a promptless bool with selects (one conditional), an imply and help', () => {
    assert.deepEqual(
      s.CORVID,
      sym('CORVID', L('=config CORVID'), {
        type: 'bool',
        defaults: [{ value: 'y', cond: undefined }],
        selects: [
          { symbol: 'ARCH_HAS_GIZMO_CACHE', cond: undefined },
          { symbol: 'GENERIC_SMP_IDLE_THREAD', cond: 'SMP' },
          { symbol: 'CORVID_LIB', cond: undefined },
        ],
        implies: [{ symbol: 'GIZMO_TURBO', cond: undefined }],
        help: "The Corvid architecture, an invented one for ktriage's tests.",
      }),
    );
  });

  it('a prompt, a default and two lines of help', () => {
    assert.deepEqual(
      s.MMU,
      sym('MMU', L('config MMU'), {
        type: 'bool',
        prompt: 'MMU-based Paged Memory Management Support',
        defaults: [{ value: 'y', cond: undefined }],
        help: "Select if you want MMU-based virtualised addressing space\nsupport by paged memory management. If unsure, say 'Y'.",
      }),
    );
  });

  it('menuconfig SMP: two depends on lines with ||, a select with a compound condition', () => {
    assert.deepEqual(
      s.SMP,
      sym('SMP', L('menuconfig SMP'), {
        type: 'bool',
        prompt: 'Symmetric Multi-Processing',
        menuconfig: true,
        dependsOn: ['CPU_V4 || CPU_V5', 'MMU || CORVID_MPU'],
        selects: [
          { symbol: 'IRQ_DOMAIN', cond: undefined },
          { symbol: 'GIZMO_AREA', cond: 'GIZMO && !CORVID_MPU' },
        ],
        help: 'This enables support for systems with more than one CPU.',
      }),
    );
  });

  it('inside "if SMP ... endif": the if condition encloses it', () => {
    assert.deepEqual(s.SMP_ON_UP!.enclosing, ['SMP']);
    assert.deepEqual(s.SMP_ON_UP!.dependsOn, ['!XIP_KERNEL && MMU']);
    // after endif nothing is enclosed any more
    assert.deepEqual(s.CORVID_PSCI!.enclosing, []);
  });

  it('a choice with "depends on" after its prompt and default: its members are in the choice, under its condition', () => {
    assert.deepEqual(
      s.ARCH_KITE,
      sym('ARCH_KITE', L('config ARCH_KITE'), { type: 'bool', prompt: 'Kite boards', enclosing: ['MMU'], inChoice: true, selects: [{ symbol: 'CORVID_PSCI', cond: undefined }] }),
    );
    assert.deepEqual(s.ARCH_HERON, sym('ARCH_HERON', L('config ARCH_HERON'), { type: 'bool', prompt: 'Heron boards', enclosing: ['MMU'], inChoice: true, dependsOn: ['!SMP'] }));
    assert.equal(s.CORVID_PSCI!.inChoice, false);
  });

  it('a comment after a depends on is not part of it; def_bool with "if" is a typed conditional default', () => {
    assert.deepEqual(s.CORVID_PSCI!.dependsOn, ['ARCH_KITE']);
    assert.deepEqual(s.CORVID_FPU, sym('CORVID_FPU', L('config CORVID_FPU'), { type: 'bool', defaults: [{ value: 'y', cond: '!CPU_V4' }] }));
  });
});

describe('scanKconfig: other fixture files', () => {
  it('drivers/gizmo/Kconfig: tristate menuconfig, "if GIZMO" block, prompt with if, default/select with if', () => {
    const path = 'drivers/gizmo/Kconfig';
    const L = (needle: string) => lineOf(ALPHA, path, needle);
    const { symbols, sources } = scanFixture(path);
    assert.deepEqual(sources, []);
    assert.deepEqual(symbols, [
      sym('GIZMO', L('menuconfig GIZMO'), {
        type: 'tristate',
        prompt: 'Gizmo device support',
        menuconfig: true,
        dependsOn: ['HAS_IOMEM', '!UML'],
        defaults: [{ value: 'm', cond: 'COMPILE_TEST' }],
        help: 'Gizmos are invented devices. Say M to build the gizmo core as a\nmodule called gizmo.',
      }),
      sym('GIZMO_DEBUG', L('config GIZMO_DEBUG'), { type: 'bool', prompt: 'Gizmo debugging', dependsOn: ['DEBUG_FS'], enclosing: ['GIZMO'] }),
      sym('GIZMO_TURBO', L('config GIZMO_TURBO'), {
        type: 'bool',
        prompt: 'Turbo mode',
        enclosing: ['GIZMO'],
        defaults: [{ value: 'y', cond: 'SMP' }],
        selects: [{ symbol: 'GIZMO_CORE', cond: '!GIZMO_SAFE' }],
      }),
      sym('GIZMO_SAFE', L('config GIZMO_SAFE'), { type: 'bool', prompt: 'Safe mode', enclosing: ['GIZMO'] }),
      sym('GIZMO_CORE', L('config GIZMO_CORE'), { type: 'tristate', enclosing: ['GIZMO'] }),
      sym('GIZMO_WIDGET', L('config GIZMO_WIDGET'), {
        type: 'tristate',
        prompt: 'Gizmo widget driver',
        enclosing: ['GIZMO'],
        dependsOn: ['GIZMO_CORE'],
        selects: [{ symbol: 'GIZMO_BASE_BUS', cond: undefined }],
      }),
    ]);
  });

  it('drivers/Kconfig: menu "..." depends on, an if block inside the menu, sources inside menus', () => {
    const path = 'drivers/Kconfig';
    const { symbols, sources } = scanFixture(path);
    assert.deepEqual(sources, [
      { path: 'drivers/base/Kconfig', line: lineOf(ALPHA, path, 'drivers/base/Kconfig') },
      { path: 'drivers/gizmo/Kconfig', line: lineOf(ALPHA, path, 'drivers/gizmo/Kconfig') },
    ]);
    const s = byName(symbols);
    assert.deepEqual(s.WIDGET_LEGACY!.enclosing, ['HAS_IOMEM && !UML']);
    assert.equal(s.WIDGET_LEGACY!.help, 'Old widgets.');
    assert.deepEqual(s.WIDGET_LEGACY_GIZMO!.enclosing, ['HAS_IOMEM && !UML', 'GIZMO']);
    assert.deepEqual(s.WIDGET_LEGACY_GIZMO!.dependsOn, ['WIDGET_LEGACY']);
  });

  it('mm/Kconfig: NEED_PER_CPU_KM (depends on !SMP || !MMU, bool, default y); help ends at "endif" and the if block with it', () => {
    const { symbols } = scanFixture('mm/Kconfig');
    const s = byName(symbols);
    assert.deepEqual(
      s.NEED_PER_CPU_KM,
      sym('NEED_PER_CPU_KM', lineOf(ALPHA, 'mm/Kconfig', 'config NEED_PER_CPU_KM'), { type: 'bool', dependsOn: ['!SMP || !MMU'], defaults: [{ value: 'y', cond: undefined }] }),
    );
    assert.deepEqual(s.GIZMO_SWAP!.enclosing, ['MMU']);
    assert.deepEqual(s.GIZMO_SWAP!.dependsOn, ['SWAP', '!GIZMO_SAFE']);
    assert.equal(s.GIZMO_SWAP!.help, 'Let gizmo pages go to swap.');
    assert.deepEqual(s.NUMA!.enclosing, []);
    assert.deepEqual(s.MEMORY_HOTPLUG!.dependsOn, ['NUMA || !SMP']);
    assert.deepEqual(s.GIZMO_AREA!.defaults, [{ value: 'y', cond: 'GIZMO' }]);
    assert.deepEqual(s.GIZMO_AREA!.selects, [{ symbol: 'NEED_GIZMO_CHUNKS', cond: undefined }]);
  });

  it('kernel/Kconfig.gizmo: help keeps its paragraphs; imply ... if; def_bool y if A && B', () => {
    const { symbols } = scanFixture('kernel/Kconfig.gizmo');
    const s = byName(symbols);
    assert.equal(s.GIZMO_SYSCALL!.help, 'The gizmo_ctl() system call lets user space ask a gizmo for\na boost. Say Y unless you are building a tiny system.\n\nThis paragraph is still help text.');
    assert.equal(s.GIZMO_SYSCALL!.prompt, 'gizmo_ctl() system call');
    assert.deepEqual(s.GIZMO_TRACE!.dependsOn, ['GIZMO_SYSCALL', 'TRACING || COMPILE_TEST']);
    assert.deepEqual(s.GIZMO_TRACE!.implies, [{ symbol: 'GIZMO_DEBUG', cond: 'DEBUG_FS' }]);
    assert.deepEqual(
      s.GIZMO_TRACE_RING_BIG,
      sym('GIZMO_TRACE_RING_BIG', lineOf(ALPHA, 'kernel/Kconfig.gizmo', 'config GIZMO_TRACE_RING_BIG'), { type: 'bool', defaults: [{ value: 'y', cond: 'GIZMO_TRACE && 64BIT' }] }),
    );
  });

  it('the top Kconfig: only sources, paths as written', () => {
    const { symbols, sources } = scanFixture('Kconfig');
    assert.deepEqual(symbols, []);
    assert.deepEqual(
      sources.map((x) => x.path),
      ['arch/$(SRCARCH)/Kconfig', 'kernel/Kconfig.gizmo', 'mm/Kconfig', 'drivers/Kconfig'],
    );
  });
});

describe('scanKconfig: small cases', () => {
  it('a depends on continued with a backslash, ---help---, a help that ends at a less indented line', () => {
    const text = ['config A', '\tbool "A"', '\tdepends on B && \\', '\t\t   C', '\t---help---', '\t  Some help.', '', '\t  More.', 'config D', '\ttristate', ''].join('\n');
    const { symbols } = scanKconfig(text);
    assert.equal(symbols[0]!.dependsOn.length, 1);
    assert.match(symbols[0]!.dependsOn[0]!, /^B &&\s+C$/);
    assert.equal(symbols[0]!.help, 'Some help.\n\nMore.');
    assert.equal(symbols[1]!.name, 'D');
    assert.equal(symbols[1]!.line, 9);
    assert.equal(symbols[1]!.type, 'tristate');
  });

  it('a # inside a quoted prompt is text, one after it is a comment', () => {
    const text = [
      'config ERRATA_46',
      '\tbool "Enable linker work around for errata #46" # see the manual',
      '\tdepends on PPC # only there',
      'config BINFMT_SCRIPT',
      '\ttristate "Kernel support for scripts starting with #!"',
      '# config COMMENTED_OUT',
      '',
    ].join('\n');
    const { symbols } = scanKconfig(text);
    assert.deepEqual(
      symbols.map((x) => [x.name, x.prompt, x.dependsOn]),
      [
        ['ERRATA_46', 'Enable linker work around for errata #46', ['PPC']],
        ['BINFMT_SCRIPT', 'Kernel support for scripts starting with #!', []],
      ],
    );
  });

  it('nested if blocks and a menu without depends: enclosing lists the if conditions outermost first', () => {
    const text = ['menu "M"', 'if X', 'if Y || Z', 'config IN', '\tbool', 'endif', 'config MID', '\tbool', 'endif', 'endmenu', 'config OUT', '\tbool'].join('\n');
    const s = byName(scanKconfig(text).symbols);
    assert.deepEqual(s.IN!.enclosing, ['X', 'Y || Z']);
    assert.deepEqual(s.MID!.enclosing, ['X']);
    assert.deepEqual(s.OUT!.enclosing, []);
  });
});
