// Failures cross-referenced with a tree that does not show everything: a
// symbol or a file the tree lacks is stated as unknown there (which tree, and
// why it may be missing), and no index rule leans on it; the same rule still
// leans where the tree shows the reference broken (the other direction).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IndexPort } from '../../src/analyze/index-port.js';
import { indexGuardScope } from '../../src/analyze/rules/index-guard-scope.js';
import type { RuleInput } from '../../src/analyze/rules/types.js';
import { crossReference } from '../../src/analyze/xref.js';
import type { BuildFailure, Effect } from '../../src/core/types.js';
import { openIndexPort, type OpenedIndex } from '../../src/store/index-port.js';
import { ALPHA, ALPHA_VERSION, buildInto } from '../helpers/index-fixtures.js';

const failure = (over: Partial<BuildFailure>): BuildFailure => ({
  kind: 'undefined-reference',
  message: 'undefined reference',
  configs: [],
  fromRobot: false,
  cite: { messageId: '<report@example.org>', line: 4 },
  quoteDepth: 0,
  ...over,
});

const texts = (x: { evidence: { text: string }[] }) => x.evidence.map((e) => e.text);

describe('crossReference: what the tree lacks is unknown there', () => {
  let idx: OpenedIndex;
  let port: IndexPort;
  before(async () => {
    const b = await buildInto(ALPHA);
    b.db.close();
    idx = openIndexPort(b.dbPath);
    // a thread a year newer than the tree (6.3: 2023-04-23)
    port = idx.portFor({ date: new Date('2024-05-02') });
  });
  after(() => idx.close());

  it('names the tree and why it was chosen', () => {
    const [x] = crossReference([failure({ symbol: 'gizmo_register', arch: 'corvid' })], port, []);
    assert.equal(texts(x!)[0], `index facts from tree ${ALPHA_VERSION}; code of 2023-04-23; chosen because the thread is from 2024-05-02; the tree was released 2023-04-23, 12 months before`);
  });

  it('a symbol with no entry: unknown (it may have been added since), nothing reproduced or broken', () => {
    const [x] = crossReference([failure({ symbol: 'gizmo_from_next_year', file: 'drivers/gizmo/gizmo-core.c', arch: 'corvid' })], port, []);
    assert.ok(
      texts(x!).includes(
        `gizmo_from_next_year is unknown in tree ${ALPHA_VERSION}: the index has no entry for it (the tree dates from 2023-04-23, the thread from 2024-05-02: it may have been added since)`,
      ),
    );
    assert.ok(!texts(x!).some((t) => /not in tree|neither declared nor defined/.test(t)));
    assert.deepEqual([x!.reproduces, x!.referenceBroken, x!.explanation.defined], ['unknown', 'unknown', 'unknown']);
  });

  it('a file the tree lacks: unknown whether it is built; a file it has: its build condition', () => {
    const [missing] = crossReference([failure({ symbol: 'gizmo_register', file: 'drivers/gizmo/gizmo-new.c', arch: 'corvid' })], port, []);
    assert.ok(
      texts(missing!).includes(
        `drivers/gizmo/gizmo-new.c, which holds the reference, is unknown in tree ${ALPHA_VERSION} (the tree dates from 2023-04-23, the thread from 2024-05-02: it may have been added since): whether it is built is not known`,
      ),
    );
    assert.equal(missing!.caller, undefined);
    const [present] = crossReference([failure({ symbol: 'gizmo_register', file: 'drivers/gizmo/gizmo-core.c', arch: 'corvid' })], port, []);
    assert.ok(texts(present!).some((t) => t.startsWith('drivers/gizmo/gizmo-core.c, which holds the reference, is built ')));
    assert.ok(!texts(present!).some((t) => t.includes('is unknown in')));
  });

  it('index-guard-scope leans on a broken reference the tree shows, never on an unknown one', () => {
    const guard: Effect = {
      kind: 'guard-narrowed',
      detail: 'adds defined(CONFIG_SMP)',
      file: 'drivers/gizmo/gizmo-core.c',
      symbols: [],
      configs: ['SMP=y'],
      cite: { messageId: '<patch@example.org>', line: 20 },
    };
    const input = (xrefs: ReturnType<typeof crossReference>) => ({ xrefs, effects: [guard], port }) as unknown as RuleInput;
    // SMP=n, MMU=n fails; the guard keeps SMP=y, MMU=n, where the tree declares it and builds no definition
    const known = crossReference(
      [
        failure({
          symbol: 'flush_tlb_kernel_span',
          arch: 'corvid',
          configs: [
            { name: 'SMP', value: 'n' },
            { name: 'MMU', value: 'n' },
          ],
        }),
      ],
      port,
      [],
    );
    const hides = indexGuardScope.apply(input(known));
    assert.equal(hides.length, 1);
    assert.equal(hides[0]!.lean, 'hides');
    const unknown = crossReference([failure({ symbol: 'gizmo_from_next_year', arch: 'corvid', configs: [{ name: 'SMP', value: 'n' }] })], port, []);
    assert.deepEqual(indexGuardScope.apply(input(unknown)), []);
  });
});
