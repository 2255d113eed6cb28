// The order dirty threads go to a free worker: the cheapest first by their last
// judgement's cost, unknown ones as cheap, and any thread waiting past
// STARVATION_MS before all others.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COSTS_KEPT, JudgingOrder, STARVATION_MS } from '../../src/daemon/judging-order.js';

const ids = (ts: { id: number }[]) => ts.map((t) => t.id);

describe('judging order', () => {
  it('a thread whose last judgement was slow waits behind cheap and new ones', () => {
    const o = new JudgingOrder();
    o.cost(1, 600);
    o.cost(2, 12);
    assert.deepEqual(ids(o.order([{ id: 1 }, { id: 2 }, { id: 3 }], 0)), [3, 2, 1]);
  });

  it('equal costs keep the oldest thread first', () => {
    const o = new JudgingOrder();
    assert.deepEqual(ids(o.order([{ id: 9 }, { id: 4 }, { id: 7 }], 0)), [4, 7, 9]);
  });

  it('a slow thread kept waiting past the limit goes first, the longest wait first', () => {
    const o = new JudgingOrder();
    o.cost(1, 600);
    o.cost(5, 900);
    o.order([{ id: 1 }], 0);
    o.order([{ id: 1 }, { id: 5 }], 100);
    const later = STARVATION_MS + 100;
    assert.deepEqual(ids(o.order([{ id: 1 }, { id: 2 }, { id: 5 }], later)), [1, 5, 2]);
    // taken: its wait starts again the next time it is dirty
    o.taken(1);
    assert.deepEqual(ids(o.order([{ id: 1 }, { id: 2 }, { id: 5 }], later)), [5, 2, 1]);
  });

  it('remembers a bounded number of costs, forgetting the oldest', () => {
    const o = new JudgingOrder();
    o.cost(0, 999);
    for (let i = 1; i <= COSTS_KEPT; i++) o.cost(i, 1);
    // thread 0's cost is forgotten: unknown counts as cheap, and the id breaks the tie
    assert.deepEqual(ids(o.order([{ id: 1 }, { id: 0 }], 0)), [0, 1]);
  });
});
