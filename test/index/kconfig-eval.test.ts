// src/index/kconfig-eval.ts: values of promptless symbols, from dependencies,
// defaults and the symbols that select them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, parseAssignment } from '../../src/index/cond.js';
import { deriveConfig, kconfigExprToCond, type KconfigDef, type Selector } from '../../src/index/kconfig-eval.js';

const def = (name: string, over: Partial<KconfigDef> = {}): KconfigDef => ({ name, type: 'bool', prompt: null, dependsOn: [], enclosing: [], defaults: [], arch: null, ...over });

function derive(env: Record<string, 'y' | 'n' | 'm'>, defs: KconfigDef[], wanted: string[], selectors: Record<string, Selector[]> = {}, arch: string | null = null) {
  const r = deriveConfig(
    new Map(Object.entries(env)),
    (n) => defs.filter((d) => d.name === n),
    wanted,
    arch,
    (n) => selectors[n] ?? [],
  );
  return Object.fromEntries(wanted.map((w) => [w, r.env.get(w.replace(/^CONFIG_/, ''))]));
}

describe('deriveConfig', () => {
  const km = def('CONFIG_NEED_FOO_KM', { dependsOn: ['!SMP || !MMU'], defaults: [{ value: 'y' }] });

  it('a promptless bool follows its dependencies and default', () => {
    assert.deepEqual(derive({ SMP: 'y', MMU: 'n' }, [km], ['CONFIG_NEED_FOO_KM']), { CONFIG_NEED_FOO_KM: 'y' });
    assert.deepEqual(derive({ SMP: 'y', MMU: 'y' }, [km], ['CONFIG_NEED_FOO_KM']), { CONFIG_NEED_FOO_KM: 'n' });
    assert.deepEqual(derive({ SMP: 'y' }, [km], ['CONFIG_NEED_FOO_KM']), { CONFIG_NEED_FOO_KM: undefined });
  });

  it("a symbol with a prompt is the user's choice and stays open", () => {
    assert.deepEqual(derive({}, [def('CONFIG_FOO', { prompt: 'Foo support', defaults: [{ value: 'y' }] })], ['CONFIG_FOO']), { CONFIG_FOO: undefined });
  });

  it('a selected promptless symbol is y when a selector is on, open when one is open, n from its default otherwise', () => {
    const lib = def('CONFIG_FOO_LIB');
    const sel = { CONFIG_FOO_LIB: [{ by: 'CONFIG_FOO_CLASS', cond: null, kind: 'select' as const }] };
    assert.deepEqual(derive({ FOO_CLASS: 'y' }, [lib], ['CONFIG_FOO_LIB'], sel), { CONFIG_FOO_LIB: 'y' });
    assert.deepEqual(derive({}, [lib], ['CONFIG_FOO_LIB'], sel), { CONFIG_FOO_LIB: undefined });
    assert.deepEqual(derive({ FOO_CLASS: 'n' }, [lib], ['CONFIG_FOO_LIB'], sel), { CONFIG_FOO_LIB: 'n' });
    const conditional = { CONFIG_FOO_LIB: [{ by: 'CONFIG_FOO_CLASS', cond: 'X86', kind: 'select' as const }] };
    assert.deepEqual(derive({ FOO_CLASS: 'y', X86: 'n' }, [lib], ['CONFIG_FOO_LIB'], conditional), { CONFIG_FOO_LIB: 'n' });
  });

  it("the failing arch's own definition is the one used", () => {
    const defs = [def('CONFIG_MMU', { arch: 'xtensa', defaults: [{ value: 'y' }] }), def('CONFIG_MMU', { arch: 'csky', prompt: 'MMU support' })];
    assert.deepEqual(derive({}, defs, ['CONFIG_MMU'], {}, 'xtensa'), { CONFIG_MMU: 'y' });
    assert.deepEqual(derive({}, defs, ['CONFIG_MMU'], {}, 'csky'), { CONFIG_MMU: undefined });
  });
});

describe('kconfigExprToCond: what it cannot read stays open', () => {
  const ev = (expr: string, env: string) => evaluate(kconfigExprToCond(expr), parseAssignment(env));

  it('a comparison (<, >, <=, >=) is unknown, and the rest of the expression still counts', () => {
    for (const op of ['<', '>', '<=', '>=']) {
      assert.equal(ev(`NR_CPUS ${op} 2 && BAR`, 'NR_CPUS=y,BAR=y'), 'unknown', op);
      assert.equal(ev(`NR_CPUS ${op} 2 && BAR`, 'NR_CPUS=y,BAR=n'), 'false', op);
      assert.equal(ev(`BAR || NR_CPUS${op}2`, 'BAR=y'), 'true', op);
      assert.equal(ev(`!(NR_CPUS ${op} 2)`, 'NR_CPUS=y'), 'unknown', op);
    }
  });

  it('a $(...) macro, or tokens left over, are unknown rather than dropped', () => {
    assert.equal(ev('$(cc-option,-mfoo) && BAR', 'BAR=y'), 'unknown');
    assert.equal(ev('$(cc-option,-mfoo) && BAR', 'BAR=n'), 'false');
    assert.equal(ev('FOO BAR', 'FOO=y,BAR=n'), 'unknown');
    assert.equal(ev('!SMP || !MMU', 'SMP=y,MMU=n'), 'true');
    assert.equal(ev('FOO=y && BAR!=n', 'FOO=y,BAR=m'), 'true');
  });

  it('deriveConfig leaves a symbol that depends on a comparison undecided, and decides it when the rest does not hold', () => {
    const d = def('CONFIG_FOO_MULTI', { dependsOn: ['NR_CPUS > 2 && SMP'], defaults: [{ value: 'y' }] });
    assert.deepEqual(derive({ NR_CPUS: 'y', SMP: 'y' }, [d], ['CONFIG_FOO_MULTI']), { CONFIG_FOO_MULTI: undefined });
    assert.deepEqual(derive({ NR_CPUS: 'y', SMP: 'n' }, [d], ['CONFIG_FOO_MULTI']), { CONFIG_FOO_MULTI: 'n' });
    const dflt = def('CONFIG_FOO_BIG', { defaults: [{ value: 'y', cond: 'NR_CPUS >= 64' }] });
    assert.deepEqual(derive({ NR_CPUS: 'y' }, [dflt], ['CONFIG_FOO_BIG']), { CONFIG_FOO_BIG: undefined });
  });
});
