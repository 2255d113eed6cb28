// What each message of a thread says, remembered across judgements: the daemon
// judges a growing thread again as each reply or patch of a series arrives, and
// re-reading every earlier message was two thirds of a judgement. An extraction
// depends only on its message (the store keeps one content per Message-ID), so
// the last messages' extractions are kept, bounded by count and by the text
// they came from (an extraction holds about three times its body).

import type { Extraction, Message } from '../core/types.js';
import { extractMessage } from '../extract/message.js';

export interface ExtractionMemoLimits {
  /** messages remembered */
  entries: number;
  /** characters of body behind them, all told */
  bodyChars: number;
}

export const DEFAULT_EXTRACTION_MEMO: ExtractionMemoLimits = { entries: 1000, bodyChars: 3_000_000 };

export class ExtractionMemo {
  private readonly map = new Map<string, { x: Extraction; chars: number }>();
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly limits: ExtractionMemoLimits = DEFAULT_EXTRACTION_MEMO,
    private readonly extractFn: (m: Message) => Extraction = extractMessage,
  ) {}

  /** the body's length and the subject too: a Message-ID reused with other content is not the same message */
  private static key(m: Message): string {
    return `${m.messageId}\0${m.body.length}\0${m.subject}`;
  }

  extract = (m: Message): Extraction => {
    const key = ExtractionMemo.key(m);
    const hit = this.map.get(key);
    if (hit) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, hit);
      return hit.x;
    }
    this.misses++;
    const x = this.extractFn(m);
    const chars = m.body.length;
    // one message bigger than the whole allowance is read again when asked
    if (chars > this.limits.bodyChars) return x;
    this.map.set(key, { x, chars });
    this.chars += chars;
    while (this.map.size > this.limits.entries || this.chars > this.limits.bodyChars) {
      const [oldest, entry] = this.map.entries().next().value!;
      this.map.delete(oldest);
      this.chars -= entry.chars;
    }
    return x;
  };

  get size(): number {
    return this.map.size;
  }
}
