// src/extract/kconfig-snippets.ts: Kconfig blocks as mail quotes them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findKconfigSnippets } from '../../src/extract/kconfig-snippets.js';
import { linesOf } from '../helpers/unit.js';

const snippets = (text: string[]) => findKconfigSnippets('<k@x>', linesOf(text), new Set());

describe('findKconfigSnippets', () => {
  it('a quoted block: type, dependencies, default', () => {
    const [s] = snippets(['The symbol reads:', '', 'config NEED_FOO_KM', '\tbool', '\tdepends on !SMP || !MMU', '\tdefault y', '', 'so NOMMU SMP uses vm.']);
    assert.ok(s);
    assert.equal(s.name, 'CONFIG_NEED_FOO_KM');
    assert.equal(s.type, 'bool');
    assert.deepEqual(s.dependsOn, ['!SMP || !MMU']);
    assert.deepEqual(
      s.defaults.map((d) => [d.value, d.cond]),
      [['y', undefined]],
    );
  });

  it('symbols that start with a digit (64BIT) are symbols, and what follows them is kept', () => {
    const [s] = snippets(['config FOO_DMA', '\tbool', '\tdepends on 64BIT && PCI', '\tdefault y']);
    assert.ok(s);
    assert.deepEqual(s.dependsOn, ['64BIT && PCI']);
    assert.deepEqual(
      s.defaults.map((d) => [d.value, d.cond]),
      [['y', undefined]],
    );
  });

  it('flattened text: the block ends where the prose starts', () => {
    const [s] = snippets(['config FOO_KM bool depends on !SMP default y which is why it breaks.']);
    assert.ok(s);
    assert.deepEqual(s.dependsOn, ['!SMP']);
  });
});
