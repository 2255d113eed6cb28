// The store's blob encoding (src/store/encode.ts): brotli, tagged, its window
// fitted to the blob; blobs an older store wrote with zlib read as before.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { constants, deflateSync } from 'node:zlib';
import { BROTLI_TAG, compressBlob, decompressBlob, encodeIncoming, encodeMessage } from '../../src/store/encode.js';
import { decodeMessage } from '../../src/store/message-store.js';
import { makeMessage } from '../helpers/unit.js';

/** mail-like text of about `n` bytes: repeated header and diff lines, some of them numbered */
function text(n: number): Buffer {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < n; i++) {
    lines.push(i % 3 ? `+\tquill_write(dev, REG_${i % 17}, ${i});` : `Received: from relay${i}.example.org by mx.example.org`);
    length += lines.at(-1)!.length + 1;
  }
  return Buffer.from(lines.join('\n').slice(0, n));
}

const SIZES = [0, 1, 100, 1000, 1024, 1025, 4096, 30_000, 65_536, 300_000, 3_000_000];

describe('store blobs', () => {
  test('from empty to past 1 MiB, a blob is tagged, smaller than the text, and gives back its bytes', () => {
    for (const n of SIZES) {
      const bytes = text(n);
      const blob = compressBlob(bytes);
      assert.equal(blob[0], BROTLI_TAG, `${n} bytes`);
      if (n >= 1000) assert.ok(blob.length < bytes.length / 2, `${n} bytes: ${blob.length} stored`);
      assert.deepEqual(decompressBlob(blob), bytes, `${n} bytes`);
    }
  });

  test('a zlib blob of an older store, at any window, is read as zlib (its first byte is never the tag)', () => {
    for (const n of SIZES) {
      const bytes = text(n);
      for (const windowBits of [9, 12, 15]) {
        const old = deflateSync(bytes, { level: constants.Z_BEST_SPEED, windowBits });
        assert.notEqual(old[0], BROTLI_TAG);
        assert.deepEqual(decompressBlob(old), bytes, `${n} bytes, window 2^${windowBits}`);
      }
    }
    const m = makeMessage({ messageId: '<old@example.org>' });
    assert.deepEqual(decodeMessage(deflateSync(Buffer.from(JSON.stringify(m)))), JSON.parse(JSON.stringify(m)));
  });

  test('encodeIncoming stores the JSON it is given, which decodes to the Message', () => {
    const m = makeMessage({ messageId: '<a1@example.org>', body: 'Signed-off-by: Wren Halloway <wren@example.org>\n' });
    const raw = text(2000);
    const e = encodeIncoming(raw, JSON.stringify(m));
    assert.deepEqual(e.parsed, encodeMessage(m));
    assert.deepEqual(decodeMessage(e.parsed), JSON.parse(JSON.stringify(m)));
    assert.deepEqual(decompressBlob(e.raw), raw);
    assert.match(e.sha, /^[0-9a-f]{64}$/);
  });
});
