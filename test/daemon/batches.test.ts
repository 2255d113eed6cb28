// batches(): when a batch of a source's items is handed to the store. Steady
// traffic (an item every 20 ms, never 250 ms of quiet) must not wait for a
// full batch; a backfill (items as fast as they are read) still fills one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { batches } from '../../src/daemon/batches.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* steady(n: number, everyMs: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    await sleep(everyMs);
    yield i;
  }
}

async function* instant(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function firstBatch(src: AsyncIterable<number>, opts: Parameters<typeof batches>[1]): Promise<{ items: number[]; ms: number }> {
  const t0 = Date.now();
  for await (const b of batches(src, opts)) if (b.items.length) return { items: b.items, ms: Date.now() - t0 };
  throw new Error('no batch');
}

test('steady traffic: a batch is handed over once its first item has waited maxWaitMs, not when it is full', async () => {
  const b = await firstBatch(steady(100, 20), { max: 1000, idleMs: 250, maxWaitMs: 100 });
  assert.ok(b.ms < 600, `first batch after ${b.ms} ms`);
  assert.ok(b.items.length >= 2 && b.items.length < 20, `${b.items.length} items`);
  assert.deepEqual(b.items, [...b.items.keys()]);
});

test('steady traffic without maxWaitMs: the batch waits for a quiet spell or for max (what maxWaitMs bounds)', async () => {
  const b = await firstBatch(steady(30, 20), { max: 1000, idleMs: 250 });
  assert.equal(b.items.length, 30);
});

test('a backfill still goes in full batches, and every item once in order', async () => {
  const seen: number[] = [];
  const sizes: number[] = [];
  for await (const b of batches(instant(450), { max: 200, idleMs: 250, maxWaitMs: 100 })) {
    if (b.items.length) sizes.push(b.items.length);
    seen.push(...b.items);
  }
  assert.deepEqual(sizes, [200, 200, 50]);
  assert.deepEqual(seen, [...Array(450).keys()]);
});

test('items handed over are not kept: a long-lived abort signal holds no reference to what was read', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const refs: WeakRef<object>[] = [];
  async function* source() {
    for (let i = 0; i < 300; i++) {
      const item = { bytes: Buffer.alloc(64 * 1024, i) };
      refs.push(new WeakRef(item));
      yield item;
      // a slow trickle: some batches end on the idle timer, most on a full batch
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 30));
    }
  }
  const controller = new AbortController();
  let seen = 0;
  for await (const b of batches(source(), { max: 10, idleMs: 5, maxWaitMs: 20, signal: controller.signal })) seen += b.items.length;
  assert.equal(seen, 300);
  for (let k = 0; k < 3; k++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  const alive = refs.filter((r) => r.deref() !== undefined).length;
  // the signal is still alive here (the daemon's lives as long as the daemon)
  assert.ok(!controller.signal.aborted);
  assert.ok(alive <= 10, `${alive} of 300 items still reachable after they were handed over`);
});
