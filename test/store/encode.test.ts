// The store's blob encoding (src/store/encode.ts): the window fitted to the
// blob changes only the zlib header, never what a blob inflates to.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { deflateBlob, encodeIncoming, encodeMessage } from '../../src/store/encode.js';
import { decodeMessage } from '../../src/store/message-store.js';
import { makeMessage } from '../helpers/unit.js';

/** mail-like text of about `n` bytes: repeated header and diff lines, some of them numbered */
function text(n: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < n; i++) lines.push(i % 3 ? `+\tquill_write(dev, REG_${i % 17}, ${i});` : `Received: from relay${i}.example.org by mx.example.org`);
  return Buffer.from(lines.join('\n').slice(0, n));
}

describe('store blobs', () => {
  test("from empty to past the largest window, a blob inflates to its bytes and its deflate data is the full window's", () => {
    for (const n of [0, 1, 100, 249, 250, 251, 511, 1000, 4096, 30_000, 32_506, 32_507, 40_000, 300_000]) {
      const bytes = text(n);
      const blob = deflateBlob(bytes);
      assert.deepEqual(inflateSync(blob), bytes, `${n} bytes`);
      const full = deflateSync(bytes, { level: constants.Z_BEST_SPEED });
      assert.deepEqual(blob.subarray(2), full.subarray(2), `${n} bytes: deflate data past the header`);
    }
  });

  test('a small blob says its small window in the header; a big one the full 32 KiB', () => {
    // CINFO, the high nibble of the first byte, is log2(window) - 8
    assert.equal(deflateBlob(text(100))[0]! >> 4, 1);
    assert.equal(deflateBlob(text(100_000))[0]! >> 4, 7);
  });

  test('encodeIncoming stores the JSON it is given, which decodes to the Message', () => {
    const m = makeMessage({ messageId: '<a1@example.org>', body: 'Signed-off-by: Wren Halloway <wren@example.org>\n' });
    const raw = text(2000);
    const e = encodeIncoming(raw, JSON.stringify(m));
    assert.deepEqual(e.parsed, encodeMessage(m));
    assert.deepEqual(decodeMessage(e.parsed), JSON.parse(JSON.stringify(m)));
    assert.deepEqual(inflateSync(e.raw), raw);
    assert.match(e.sha, /^[0-9a-f]{64}$/);
  });
});
