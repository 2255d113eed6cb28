// cond.ts: the canonical condition text (and/or/not/normaliseDirective), the
// three-valued evaluator, and --config parsing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, configsIn, evaluate, normaliseDirective, not, or, parseAssignment, type Tri } from '../../src/index/cond.js';

describe('canonical condition text', () => {
  it('and() drops 1, short-circuits on 0, removes duplicates and parenthesises a top-level ||', () => {
    assert.equal(and('defined(CONFIG_MMU)', 'defined(CONFIG_SMP)'), 'defined(CONFIG_MMU) && defined(CONFIG_SMP)');
    assert.equal(and('1', 'defined(CONFIG_A)', 'defined(CONFIG_A)'), 'defined(CONFIG_A)');
    assert.equal(and('defined(CONFIG_A) || defined(CONFIG_B)', 'defined(CONFIG_C)'), '(defined(CONFIG_A) || defined(CONFIG_B)) && defined(CONFIG_C)');
    assert.equal(and('(a || b)', 'c'), '(a || b) && c'); // || inside parentheses is not top-level
    assert.equal(and('defined(CONFIG_A)', '0'), '0');
    assert.equal(and(), '1');
    assert.equal(and('1', '1'), '1');
  });

  it('or() parenthesises compound terms; 1 absorbs; nothing is 0', () => {
    assert.equal(or('defined(CONFIG_A) && defined(CONFIG_B)', 'defined(CONFIG_C)'), '(defined(CONFIG_A) && defined(CONFIG_B)) || defined(CONFIG_C)');
    assert.equal(or('defined(CONFIG_A)', '1'), '1');
    assert.equal(or('defined(CONFIG_A)', 'defined(CONFIG_A)'), 'defined(CONFIG_A)');
    assert.equal(or(), '0');
  });

  it('not() flips a single atom without parentheses, wraps anything else', () => {
    assert.equal(not('defined(CONFIG_MMU)'), '!defined(CONFIG_MMU)');
    assert.equal(not('!defined(CONFIG_MMU)'), 'defined(CONFIG_MMU)');
    assert.equal(not('IS_ENABLED(CONFIG_X)'), '!IS_ENABLED(CONFIG_X)');
    assert.equal(not('defined(CONFIG_A) && !defined(CONFIG_B)'), '!(defined(CONFIG_A) && !defined(CONFIG_B))');
    assert.equal(not('NR_CPUS > 1'), '!(NR_CPUS > 1)');
    assert.equal(not('1'), '0');
    assert.equal(not('0'), '1');
  });

  it('normaliseDirective(): #ifdef/#ifndef/#if/#elif arguments in one spelling, comments dropped', () => {
    assert.equal(normaliseDirective('ifdef', 'CONFIG_X /* why */'), 'defined(CONFIG_X)');
    assert.equal(normaliseDirective('ifndef', '__ASSEMBLY__ // asm'), '!defined(__ASSEMBLY__)');
    assert.equal(normaliseDirective('if', 'defined ( CONFIG_A )  &&\tdefined CONFIG_B'), 'defined(CONFIG_A) && defined(CONFIG_B)');
    assert.equal(normaliseDirective('if', '!defined(CONFIG_A)||defined(CONFIG_B)'), '!defined(CONFIG_A)||defined(CONFIG_B)');
    assert.equal(normaliseDirective('elif', 'IS_ENABLED(CONFIG_X) /* a */ || 0'), 'IS_ENABLED(CONFIG_X) || 0');
    assert.equal(normaliseDirective('elifdef', 'CONFIG_Y'), 'defined(CONFIG_Y)');
  });

  it('configsIn() names the CONFIG_ symbols a condition reads, _MODULE folded', () => {
    assert.deepEqual(configsIn('defined(CONFIG_A) && IS_MODULE(CONFIG_B) || defined(CONFIG_A_MODULE) && X'), ['A', 'B']);
  });
});

describe('evaluate(): three-valued', () => {
  const env = parseAssignment('CONFIG_SMP=y,CONFIG_MMU=n,CONFIG_GIZMO=m');
  const table = (cases: [string, Tri][], pp = false) =>
    assert.deepEqual(
      cases.map(([c]) => `${c} => ${evaluate(c, env, { preprocessor: pp })}`),
      cases.map(([c, want]) => `${c} => ${want}`),
    );

  it('the config tests, for y, m, n and a symbol the configuration does not set', () => {
    table([
      ['defined(CONFIG_SMP)', 'true'],
      ['defined(CONFIG_MMU)', 'false'],
      ['defined(CONFIG_UNSET)', 'unknown'],
      ['IS_ENABLED(CONFIG_SMP)', 'true'],
      ['IS_ENABLED(CONFIG_GIZMO)', 'true'],
      ['IS_ENABLED(CONFIG_MMU)', 'false'],
      ['IS_ENABLED(CONFIG_UNSET)', 'unknown'],
      ['IS_BUILTIN(CONFIG_SMP)', 'true'],
      ['IS_BUILTIN(CONFIG_GIZMO)', 'false'],
      ['IS_MODULE(CONFIG_GIZMO)', 'true'],
      ['IS_MODULE(CONFIG_SMP)', 'false'],
      ['IS_MODULE(CONFIG_UNSET)', 'unknown'],
      ['IS_REACHABLE(CONFIG_SMP)', 'true'],
      ['IS_REACHABLE(CONFIG_MMU)', 'false'],
      ['IS_REACHABLE(CONFIG_GIZMO)', 'unknown'], // depends on who asks: built-in code or a module
      ['defined(CONFIG_GIZMO_MODULE)', 'true'],
      ['defined(CONFIG_SMP_MODULE)', 'false'],
      ['defined(CONFIG_UNSET_MODULE)', 'unknown'],
      ['CONFIG_SMP', 'true'], // #if CONFIG_SMP: 1 when =y
      ['CONFIG_GIZMO', 'false'], // =m defines CONFIG_GIZMO_MODULE, not CONFIG_GIZMO
      ['CONFIG_SMP == 1', 'true'],
    ]);
  });

  it('defined(CONFIG_X) for X=m: y-or-m for Kbuild/Kconfig conditions, false in C (autoconf.h defines CONFIG_X_MODULE only)', () => {
    assert.equal(evaluate('defined(CONFIG_GIZMO)', env), 'true'); // obj-$(CONFIG_GIZMO) += gizmo.o builds gizmo.ko
    assert.equal(evaluate('defined(CONFIG_GIZMO)', env, { preprocessor: true }), 'false'); // #ifdef CONFIG_GIZMO in C
    assert.equal(evaluate('!defined(CONFIG_GIZMO)', env, { preprocessor: true }), 'true');
    assert.equal(evaluate('defined(CONFIG_SMP)', env, { preprocessor: true }), 'true');
    assert.equal(evaluate('defined(CONFIG_MMU)', env, { preprocessor: true }), 'false');
    assert.equal(evaluate('defined(CONFIG_UNSET)', env, { preprocessor: true }), 'unknown');
    // the IS_* macros mean the same in both
    assert.equal(evaluate('IS_ENABLED(CONFIG_GIZMO)', env, { preprocessor: true }), 'true');
    assert.equal(evaluate('defined(CONFIG_GIZMO_MODULE)', env, { preprocessor: true }), 'true');
  });

  it('&&, || and ! with unknowns: false && unknown is false, true || unknown is true, !unknown is unknown', () => {
    table([
      ['defined(CONFIG_UNSET) && !defined(CONFIG_MMU)', 'unknown'],
      ['defined(CONFIG_UNSET) && defined(CONFIG_MMU)', 'false'],
      ['defined(CONFIG_MMU) && defined(CONFIG_UNSET)', 'false'],
      ['defined(CONFIG_UNSET) || defined(CONFIG_SMP)', 'true'],
      ['defined(CONFIG_UNSET) || defined(CONFIG_MMU)', 'unknown'],
      ['!defined(CONFIG_UNSET)', 'unknown'],
      ['!(defined(CONFIG_SMP) && !defined(CONFIG_MMU))', 'false'],
      ['(defined(CONFIG_A) || defined(CONFIG_SMP)) && !defined(CONFIG_MMU)', 'true'],
    ]);
  });

  it('comparisons and macros the configuration says nothing about are unknown, and do not spoil a decided && or ||', () => {
    table([
      ['NR_CPUS > 1', 'unknown'],
      ['CONFIG_NR_CPUS > 4', 'unknown'],
      ['NR_CPUS > 1 && defined(CONFIG_MMU)', 'false'],
      ['NR_CPUS > 1 || defined(CONFIG_SMP)', 'true'],
      ['LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)', 'unknown'],
      ['FOO(1) || defined(CONFIG_SMP)', 'true'],
      ['__GNUC__ >= 12', 'unknown'],
      ['1 > 0', 'true'],
      ['0x10 == 16', 'true'],
      ['2 < 1', 'false'],
      ['1', 'true'],
      ['0', 'false'],
    ]);
  });

  it('__ASSEMBLY__ is false and __KERNEL__ true: what a reference from kernel C sees', () => {
    table([
      ['!defined(__ASSEMBLY__)', 'true'],
      ['defined(__ASSEMBLY__)', 'false'],
      ['__ASSEMBLY__', 'false'],
      ['defined(__ASSEMBLY__) || defined(CONFIG_MMU)', 'false'],
      ['!defined(CONFIG_MMU) && defined(CONFIG_SMP) && !defined(__ASSEMBLY__)', 'true'],
      ['defined __KERNEL__', 'true'],
      ['defined(__CHECKER__)', 'false'],
    ]);
  });

  it('a make: atom is one unknown term, so the CONFIG_ part around it still decides', () => {
    table([
      ['make:ifeq($(ARCH),x86)', 'unknown'],
      ['defined(CONFIG_MMU) && make:ifeq($(ARCH),x86)', 'false'],
      ['make:ifeq($(ARCH),x86) && defined(CONFIG_MMU)', 'false'],
      ['defined(CONFIG_SMP) || make:defined(V)', 'true'],
      ['defined(CONFIG_SMP) && !(make:ifeq($(ARCH),x86))', 'unknown'],
      ['!(make:defined(V)) && defined(CONFIG_MMU)', 'false'],
    ]);
  });
});

describe('parseAssignment()', () => {
  const show = (spec: string) => [...parseAssignment(spec)].map(([k, v]) => `${k}=${v}`).join(' ');

  it('reads CONFIG_X=y,CONFIG_Y=n; X=y Y=n; !X; a bare X (=y); =m', () => {
    assert.equal(show('CONFIG_SMP=y,CONFIG_MMU=n'), 'SMP=y MMU=n');
    assert.equal(show('SMP=y MMU=n'), 'SMP=y MMU=n');
    assert.equal(show('!SMP'), 'SMP=n');
    assert.equal(show('!CONFIG_SMP, CONFIG_MMU'), 'SMP=n MMU=y');
    assert.equal(show('CONFIG_GIZMO=m'), 'GIZMO=m');
    assert.equal(show(''), '');
  });

  it('rejects what is not a setting, naming it', () => {
    for (const bad of ['SMP=maybe', 'CONFIG_SMP=Y', 'SMP=1', '=y', 'smp;mmu', 'SMP==y', '$(CONFIG_X)']) {
      assert.throws(() => parseAssignment(bad), /cannot read config setting ".+" \(want CONFIG_X=y\|m\|n\)/, bad);
    }
  });
});
