// Absent is unknown: what a tree does not show is never "undefined". A symbol
// with no rows, a declaration without any definition, and every "no" from a
// subset of a tree are unknown, named with the tree and why it may be
// missing; what the tree does show still answers (the near-miss direction).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAssignment } from '../../src/index/cond.js';
import { explainSymbol } from '../../src/index/explain.js';
import { absenceWhy, scopeLabel, unknownIn, type TreeScope } from '../../src/index/scope.js';
import { archOfPath, type SymbolRow } from '../../src/index/types.js';

const row = (path: string, line: number, over: Partial<SymbolRow> = {}): SymbolRow => ({
  name: 'frob',
  kind: 'func',
  path,
  line,
  cond: '1',
  buildCond: /\.(c|S)$/.test(path) ? '1' : null,
  buildVia: [],
  moduleOnly: false,
  arch: archOfPath(path),
  ...over,
});

const whole: TreeScope = { name: '6.1', version: '6.1.192', subset: null, released: '2022-12-11' };
const subset: TreeScope = { name: '6.1-subset', version: '6.1.176', subset: { files: 18 }, released: '2022-12-11' };
const env = parseAssignment('SMP=n');
const none = () => false;

// an SMP-only definition, declared in a header for every configuration, not exported
const smpOnly = [row('include/linux/frob.h', 10, { kind: 'proto' }), row('kernel/frob.c', 20, { storage: 'global', buildCond: 'defined(CONFIG_SMP)' })];

describe('scope wording', () => {
  it('a whole tree is "tree NAME"; a subset says how many files and of which release', () => {
    assert.equal(scopeLabel(whole), 'tree 6.1');
    assert.equal(scopeLabel(subset), 'the 18-file 6.1 subset (tree 6.1-subset)');
  });

  it('why something may be missing: the subset, or the tree older or newer than the thread', () => {
    assert.equal(absenceWhy(subset), 'only 18 files of the tree are indexed');
    assert.equal(absenceWhy({ ...whole, threadDate: '2024-06-01' }), 'the tree dates from 2022-12-11, the thread from 2024-06-01: it may have been added since');
    assert.equal(absenceWhy({ ...whole, threadDate: '2020-01-01' }), 'the tree dates from 2022-12-11, the thread from 2020-01-01: it may have been renamed or removed since');
    assert.equal(unknownIn(whole, 'frob'), 'frob is unknown in tree 6.1: the index has no entry for it (it may be newer or older than the tree, or generated at build time)');
  });
});

describe('explainSymbol: absence is unknown', () => {
  it('a symbol with no rows: every answer unknown, and why (not "neither declared nor defined")', () => {
    const e = explainSymbol('frob', [], 'arm', env, none, [], { ...whole, threadDate: '2024-06-01' });
    assert.deepEqual([e.declared, e.defined, e.exported, e.builtinUse.answer, e.moduleUse.answer], ['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    assert.equal(e.builtinUse.why, 'frob is unknown in tree 6.1: the index has no entry for it (the tree dates from 2022-12-11, the thread from 2024-06-01: it may have been added since)');
  });

  it('declared, but no definition in any source file: unknown (a macro may make it); a definition that is not built: no', () => {
    const declaredOnly = explainSymbol('frob', [smpOnly[0]!], 'arm', env, none, [], whole);
    assert.equal(declaredOnly.defined, 'unknown');
    assert.equal(declaredOnly.builtinUse.answer, 'unknown');
    assert.match(declaredOnly.builtinUse.why, /^declared \(include\/linux\/frob\.h:10\), but tree 6\.1 shows no definition of it/);
    const notBuilt = explainSymbol('frob', smpOnly, 'arm', env, none, [], whole);
    assert.equal(notBuilt.defined, 'false');
    assert.equal(notBuilt.builtinUse.answer, 'false');
    assert.match(notBuilt.builtinUse.why, /^declared but not defined in this configuration \(kernel\/frob\.c:20 is built only when defined\(CONFIG_SMP\)\)/);
  });

  it('in a subset, the same rows answer "unknown": another file of the tree may define or export it', () => {
    const e = explainSymbol('frob', smpOnly, 'arm', env, none, [], subset);
    assert.deepEqual([e.defined, e.builtinUse.answer, e.moduleUse.answer], ['unknown', 'unknown', 'unknown']);
    assert.equal(
      e.builtinUse.why,
      'declared but not defined in this configuration (kernel/frob.c:20 is built only when defined(CONFIG_SMP)); the rest of the tree is not indexed, so another file may provide it',
    );
    // a module needs an export: "exported nowhere" is a whole tree's statement only
    const smp = explainSymbol('frob', smpOnly, 'arm', parseAssignment('SMP=y'), none, [], subset);
    assert.equal(smp.builtinUse.answer, 'true');
    assert.equal(smp.moduleUse.answer, 'unknown');
    assert.equal(explainSymbol('frob', smpOnly, 'arm', parseAssignment('SMP=y'), none, [], whole).moduleUse.answer, 'false');
  });

  it('what a subset does show stands: a definition built in the configuration is usable', () => {
    const exported = [...smpOnly, row('kernel/frob.c', 30, { kind: 'export', exportType: 'EXPORT_SYMBOL_GPL' })];
    const e = explainSymbol('frob', exported, 'arm', parseAssignment('SMP=y'), none, [], subset);
    assert.deepEqual([e.defined, e.exported, e.builtinUse.answer, e.moduleUse.answer], ['true', 'true', 'true', 'true']);
  });
});
