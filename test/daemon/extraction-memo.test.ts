// The worker's remembered extractions: the same message gives the same extraction
// without reading it again; another message under the same Message-ID does not
// get the first one's; the memory held stays under its bound.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { extractionMemo } from '../../src/daemon/extraction-memo.js';
import { extractMessage } from '../../src/extract/message.js';
import { toJson } from '../../src/report/render.js';
import { loadMessages } from '../../src/cli/load.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'store', 'corvid-adc.mbox');

test('remembered by content, not by Message-ID; verdicts as without it', async () => {
  const mails = await loadMessages(FIX);
  const extract = extractionMemo(8 * 1024 * 1024);
  const first = extract(mails[1]!);
  assert.equal(extract(mails[1]!), first, 'the same message: the same extraction, not read again');
  assert.deepEqual(first, extractMessage(mails[1]!));
  const reused = { ...mails[1]!, body: `${mails[1]!.body}\nanother text under the same Message-ID\n` };
  assert.notEqual(extract(reused), first);
  // a growing thread judged again and again: the same verdicts as a fresh reading
  for (let k = 1; k <= mails.length; k++) {
    assert.deepEqual(toJson(triageMessages(mails.slice(0, k), { extract })), toJson(triageMessages(mails.slice(0, k))));
  }
});

test('bounded: the least recently used go first', async () => {
  const [mail] = await loadMessages(FIX);
  const variants = Array.from({ length: 20 }, (_, i) => ({ ...mail!, body: `${mail!.body}\nvariant ${i}\n` }));
  const weight = 2 * variants[0]!.body.length + 2048 + 16;
  // room for eight of them
  const extract = extractionMemo(8 * weight);
  const first = extract(variants[0]!);
  for (const v of variants.slice(1, 7)) extract(v);
  assert.equal(extract(variants[0]!), first, 'still held, and now the most recently used');
  for (const v of variants.slice(7)) extract(v);
  assert.notEqual(extract(variants[0]!), first, 'evicted once the others filled the room');
});
