// What the watch loop (src/daemon/watch*.ts) and the poster (src/daemon/post*.ts)
// say to each other: the loop offers each new verdict row; the poster decides,
// writes the outbox, and sends what policy allows when flushed.

import type { Message, Verdict } from '../core/types.js';

export interface VerdictOffer {
  /** the thread's root Message-ID, as the store keys verdicts */
  threadRoot: string;
  /** the verdicts row just recorded */
  verdictId: number;
  verdict: Verdict;
  /** the thread as judged (the reply is threaded under the judged patch's posting) */
  messages: readonly Message[];
  /** the list the thread came from (its List-Id or the source's configured list), when known */
  list?: string;
  /** when the judged patch arrived (the embargo counts from it) */
  patchArrivedAt?: Date;
}

export type OfferOutcome = { kind: 'outbox'; path: string; key: string } | { kind: 'queued'; key: string; notBefore: Date } | { kind: 'skipped'; reason: string };

export interface FlushResult {
  sent: number;
  deferred: number;
  failed: number;
}

export interface Poster {
  /** decide about one verdict: never twice for the same (thread, patch revision, verdict) */
  offer(o: VerdictOffer, now?: Date): OfferOutcome;
  /** send what is due (embargo over, rate limits allow, retry backoff elapsed) */
  flush(now?: Date): Promise<FlushResult>;
  close(): Promise<void>;
}
