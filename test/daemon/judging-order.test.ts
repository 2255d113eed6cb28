// The order dirty threads go to a free worker: the cheapest first by their last
// judgement's cost, unknown ones as cheap, and any thread waiting past
// STARVATION_MS before all others. Keyed by root Message-ID: the store gives a
// thread a new row id whenever mail joins it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COSTS_KEPT, JudgingOrder, STARVATION_MS } from '../../src/daemon/judging-order.js';

const t = (id: number, root = `<r${id}@x>`) => ({ id, rootId: root });
const roots = (ts: { rootId: string }[]) => ts.map((x) => x.rootId);

describe('judging order', () => {
  it('a thread whose last judgement was slow waits behind cheap and new ones', () => {
    const o = new JudgingOrder();
    o.cost('<r1@x>', 600);
    o.cost('<r2@x>', 12);
    assert.deepEqual(roots(o.order([t(1), t(2), t(3)], 0)), ['<r3@x>', '<r2@x>', '<r1@x>']);
  });

  it('the cost follows the thread when mail gives it a new row id', () => {
    const o = new JudgingOrder();
    o.cost('<series@x>', 600);
    // the series, re-threaded, now has the highest id; a small new thread has a lower one
    assert.deepEqual(roots(o.order([t(7, '<series@x>'), t(5, '<small@x>')], 0)), ['<small@x>', '<series@x>']);
    assert.deepEqual(roots(o.order([t(9, '<series@x>'), t(8, '<small2@x>')], 10)), ['<small2@x>', '<series@x>']);
  });

  it('equal costs keep the oldest row first', () => {
    const o = new JudgingOrder();
    assert.deepEqual(roots(o.order([t(9), t(4), t(7)], 0)), ['<r4@x>', '<r7@x>', '<r9@x>']);
  });

  it('a slow thread kept waiting past the limit goes first, the longest wait first', () => {
    const o = new JudgingOrder();
    o.cost('<r1@x>', 600);
    o.cost('<r5@x>', 900);
    o.order([t(1)], 0);
    o.order([t(1), t(5)], 100);
    const later = STARVATION_MS + 100;
    assert.deepEqual(roots(o.order([t(1), t(2), t(5)], later)), ['<r1@x>', '<r5@x>', '<r2@x>']);
    // taken: its wait starts again the next time it is dirty
    o.taken('<r1@x>');
    assert.deepEqual(roots(o.order([t(1), t(2), t(5)], later)), ['<r5@x>', '<r2@x>', '<r1@x>']);
  });

  it('a wait ends with the thread no longer dirty; a cut-short list keeps the others', () => {
    const o = new JudgingOrder();
    o.order([t(1), t(2), t(3)], 0);
    assert.equal(o.waiting, 3);
    o.order([t(2)], 10, false);
    assert.equal(o.waiting, 3, 'the list was cut short: threads beyond it still wait');
    o.order([t(2)], 20);
    assert.equal(o.waiting, 1);
  });

  it('remembers a bounded number of costs, forgetting the oldest', () => {
    const o = new JudgingOrder();
    o.cost('<r0@x>', 999);
    for (let i = 1; i <= COSTS_KEPT; i++) o.cost(`<r${i}@x>`, 5);
    // thread 0's cost is forgotten: unknown counts as cheap
    assert.deepEqual(roots(o.order([t(1), t(0)], 0)), ['<r0@x>', '<r1@x>']);
  });
});
