// Extractions remembered by message content, for the triage worker: a daemon
// judges a growing thread again with each new message, and reading every older
// message again was a large part of each judgement. A Message-ID can be reused
// with other content, so the key is a hash of the whole parsed message. Bounded
// by an estimate of the memory held (an extraction holds about twice its body).
// Safe because nothing downstream changes an extraction (checked by freezing
// them over the 10k kbuild archive: same verdicts, no write).

import { createHash } from 'node:crypto';
import type { Extraction, Message } from '../core/types.js';
import { extractMessage } from '../extract/message.js';

export function extractionMemo(maxBytes: number): (m: Message) => Extraction {
  const memo = new Map<string, { x: Extraction; bytes: number }>();
  let held = 0;
  return (m: Message) => {
    const key = createHash('sha1').update(JSON.stringify(m)).digest('base64');
    const hit = memo.get(key);
    if (hit) {
      memo.delete(key);
      memo.set(key, hit);
      return hit.x;
    }
    const x = extractMessage(m);
    const bytes = 2 * m.body.length + 2048;
    if (bytes > maxBytes / 8) return x; // a huge message is not kept
    memo.set(key, { x, bytes });
    held += bytes;
    for (const [k, v] of memo) {
      if (held <= maxBytes) break;
      memo.delete(k);
      held -= v.bytes;
    }
    return x;
  };
}
