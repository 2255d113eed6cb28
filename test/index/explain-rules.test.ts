// explainSymbol over rows made up for the case: which definitions of other
// arches count as "defined elsewhere", and the Makefile citation helpers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAssignment } from '../../src/index/cond.js';
import { builtWhen, citeMakefile, explainSymbol } from '../../src/index/explain.js';
import { archOfPath, type SymbolRow } from '../../src/index/types.js';

const row = (path: string, line: number, over: Partial<SymbolRow> = {}): SymbolRow => ({
  name: 'frob',
  kind: 'func',
  path,
  line,
  cond: '1',
  buildCond: isC(path) ? '1' : null,
  buildVia: [],
  moduleOnly: false,
  arch: archOfPath(path),
  ...over,
});
const isC = (p: string) => /\.(c|S)$/.test(p);

describe('explainSymbol: definitions for other arches', () => {
  const env = parseAssignment('SMP=y');

  it("a static inline in another arch's .c file is not a definition elsewhere (as it is not one here)", () => {
    const rows = [row('arch/plover/lib/frob.c', 7, { storage: 'static-inline' }), row('arch/plover/lib/other.c', 3, { storage: 'static' })];
    const e = explainSymbol('frob', rows, 'corvid', env, () => false);
    assert.equal(e.defined, 'false');
    assert.equal(e.builtinUse.why, 'neither declared nor defined in this configuration (no definition in any source file of the tree): a call is an implicit declaration at compile time');
  });

  it('a global one there is named', () => {
    const rows = [row('arch/plover/lib/frob.c', 7, { storage: 'global' }), row('arch/plover/lib/inl.c', 2, { storage: 'static-inline' })];
    const e = explainSymbol('frob', rows, 'corvid', env, () => false);
    assert.equal(
      e.builtinUse.why,
      'neither declared nor defined in this configuration (none for corvid: only arch/plover defines it (arch/plover/lib/frob.c:7)): a call is an implicit declaration at compile time',
    );
  });
});

describe('the Makefile citation of a row', () => {
  it('"cond (Makefile:line)", or the condition alone when no Makefile line is known', () => {
    const r = row('kernel/smp.c', 4, {
      buildCond: 'defined(CONFIG_SMP)',
      buildVia: [
        { makefile: 'kernel/Makefile', line: 12 },
        { makefile: 'Makefile', line: 3 },
      ],
    });
    assert.equal(citeMakefile(r), ' (kernel/Makefile:12)');
    assert.equal(builtWhen(r), 'defined(CONFIG_SMP) (kernel/Makefile:12)');
    assert.equal(builtWhen({ ...r, buildVia: [] }), 'defined(CONFIG_SMP)');
  });
});

describe('explainSymbol: a definition built as a module', () => {
  const rows = [
    row('include/linux/frob.h', 5, { kind: 'proto' }),
    row('drivers/frob/core.c', 12, { storage: 'global', buildCond: 'defined(CONFIG_FROB)' }),
    row('drivers/frob/core.c', 20, { kind: 'export', exportType: 'EXPORT_SYMBOL_GPL', buildCond: 'defined(CONFIG_FROB)' }),
  ];

  it('is not in vmlinux: built-in code cannot link against it, another module can (through the export)', () => {
    const e = explainSymbol('frob', rows, null, parseAssignment('FROB=m'), () => false);
    assert.equal(e.defined, 'true');
    assert.deepEqual(e.builtinUse, { answer: 'false', why: "defined at drivers/frob/core.c:12, which is built as a module with CONFIG_FROB=m: built-in code cannot link against a module's symbol" });
    assert.equal(e.moduleUse.answer, 'true');
  });

  it('built in (=y), built-in code can use it; a module elsewhere in the configuration changes nothing', () => {
    assert.equal(explainSymbol('frob', rows, null, parseAssignment('FROB=y,OTHER=m'), () => false).builtinUse.answer, 'true');
  });
});
