// `depends on X` judged by how the failing symbol resolves, and `select X`
// judged by X's dependencies, both from the tree (test/fixtures/trees/epsilon).
// Each thread in test/fixtures/index-threads/epsilon/<name>.mbox has beside it
// <name>.expected.json: the findings the index rules must return (rule, lean,
// words of the reason), the verdict with the index, and without it when the
// index decides. Without an index, or against a tree where the symbols are
// unknown, the rules find nothing.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { judgePatch } from '../../src/analyze/decide.js';
import { buildFacts } from '../../src/analyze/facts.js';
import type { IndexPort } from '../../src/analyze/index-port.js';
import { dependencyForm } from '../../src/analyze/rules/index-depends-resolution.js';
import { guarantees } from '../../src/analyze/rules/index-select-dependencies.js';
import type { KconfigRow } from '../../src/index/types.js';
import { triageMessages } from '../../src/analyze/triage.js';
import { crossReference } from '../../src/analyze/xref.js';
import { loadMessages } from '../../src/cli/load.js';
import { extractMessage } from '../../src/extract/message.js';
import { buildThread } from '../../src/mail/thread.js';
import { openIndexPort, type OpenedIndex } from '../../src/store/index-port.js';
import { ALPHA, buildInto, REPO, TREES } from '../helpers/index-fixtures.js';

const DIR = join(REPO, 'test', 'fixtures', 'index-threads', 'epsilon');
const RULES = new Set(['index-depends-resolution', 'index-select-dependencies']);

interface Expected {
  verdict: string;
  withoutIndex?: string;
  findings: { rule: string; lean: string; mentions: string[] }[];
  why: string;
}

async function findings(file: string, port: IndexPort) {
  const thread = buildThread(await loadMessages(join(DIR, file)));
  const facts = buildFacts(thread, thread.messages.map(extractMessage));
  const xrefs = crossReference(
    facts.failures.map((f) => f.failure),
    port,
    [],
  );
  return facts.patches.flatMap((rec) => judgePatch(rec, facts, { blind: true, port }, xrefs).findings).filter((f) => RULES.has(f.rule));
}

const open = async (tree: string) => {
  const b = await buildInto(tree);
  b.db.close();
  return openIndexPort(b.dbPath);
};

describe('index-depends-resolution and index-select-dependencies on the epsilon tree', () => {
  let eps: OpenedIndex;
  let alpha: OpenedIndex;
  before(async () => {
    eps = await open(join(TREES, 'epsilon'));
    alpha = await open(ALPHA);
  });
  after(() => {
    eps.close();
    alpha.close();
  });

  const threads = readdirSync(DIR)
    .filter((f) => f.endsWith('.mbox'))
    .sort();
  it('has a thread for each direction of each rule', () => {
    assert.deepEqual(
      threads.map((t) => t.replace(/-[a-z]+\.mbox$/, '')),
      ['depends-broken', 'depends-optional', 'depends-real', 'depends-stub', 'depends-unrelated', 'select-carried', 'select-implied', 'select-nodeps', 'select-selected', 'select-unmet'],
    );
  });

  for (const file of threads) {
    const exp = JSON.parse(readFileSync(join(DIR, file.replace(/\.mbox$/, '.expected.json')), 'utf8')) as Expected;
    it(`${file}: ${exp.findings.map((f) => `${f.rule} ${f.lean}`).join(', ') || 'no index-rule finding'}; verdict ${exp.verdict}`, async () => {
      const got = await findings(file, eps.portFor({}));
      assert.deepEqual(
        got.map((f) => `${f.rule} ${f.lean}`),
        exp.findings.map((f) => `${f.rule} ${f.lean}`),
      );
      exp.findings.forEach((f, k) => {
        for (const m of f.mentions) assert.ok(got[k]!.reason.includes(m), `"${m}" in: ${got[k]!.reason}`);
        // every finding cites the patch's line and the tree
        assert.ok(got[k]!.evidence.some((e) => e.source === 'mail') && got[k]!.evidence.some((e) => e.source === 'index'));
      });
      const messages = await loadMessages(join(DIR, file));
      assert.equal(triageMessages(messages, { port: eps.portFor({}) }).verdict, exp.verdict);
      if (exp.withoutIndex) assert.equal(triageMessages(messages, {}).verdict, exp.withoutIndex);
    });
  }

  it('unknown in the tree: no finding (alpha has none of these symbols)', async () => {
    for (const file of threads) assert.deepEqual(await findings(file, alpha.portFor({})), [], file);
  });
});

describe('dependencyForm', () => {
  it('reads `X` and `X || !X` (either order), nothing else', () => {
    assert.deepEqual(dependencyForm('FROBNIC'), { symbol: 'FROBNIC', form: 'plain' });
    assert.deepEqual(dependencyForm('FROBNIC||!FROBNIC'), { symbol: 'FROBNIC', form: 'optional' });
    assert.deepEqual(dependencyForm('!FROBNIC||FROBNIC'), { symbol: 'FROBNIC', form: 'optional' });
    assert.equal(dependencyForm('FROBNIC||!QUILLBUS'), undefined);
    assert.equal(dependencyForm('FROBNIC||COMPILE_TEST'), undefined);
    assert.equal(dependencyForm('!FROBNIC'), undefined);
  });
});

describe('guarantees: what the selector carries', () => {
  // a Kconfig of a few symbols, as the port gives it
  const defs: Record<string, Partial<KconfigRow>> = {
    LPSS: { dependsOn: ['X86 && ACPI && PCI'] },
    BOARD: { dependsOn: ['LPSS'], selects: [{ symbol: 'DMA' }] },
  };
  const port = {
    kconfig: (n: string) => {
      const d = defs[n.replace(/^CONFIG_/, '')];
      return d
        ? [{ name: n, path: 'Kconfig', line: 1, type: 'bool', prompt: null, enclosing: [], selects: [], implies: [], defaults: [], help: null, arch: null, dependsOn: [], ...d } as KconfigRow]
        : [];
    },
  } as unknown as IndexPort;

  it('the same term, one alternative of the needed `||`, or a chain of dependencies and selects', () => {
    assert.ok(guarantees(['OF'], 'OF', port, null));
    assert.ok(guarantees(['PCI'], 'ARCH_FOO||PCI', port, null));
    assert.ok(guarantees(['BOARD'], 'ACPI', port, null));
    assert.ok(guarantees(['BOARD'], 'DMA', port, null));
  });

  it('an `||` of ours guarantees a term only when each of its alternatives does', () => {
    assert.ok(guarantees(['LPSS||COMPILE_TEST'], 'ARCH_FOO||ACPI||COMPILE_TEST', port, null));
    assert.ok(!guarantees(['LPSS||COMPILE_TEST'], 'ACPI', port, null));
    assert.ok(!guarantees(['OF'], 'HAS_IOMEM', port, null));
    assert.ok(!guarantees(['BOARD'], '!UML', port, null));
  });
});
