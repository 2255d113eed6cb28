// A minimal Poster until the real one (src/daemon/poster.ts, issue 11's
// posting part) lands: every verdict worth a summary becomes a file in the
// outbox, nothing is sent. The file is named from a hash of the idempotency
// key (thread, judged patch and revision, verdict), never from a Message-ID,
// written atomically (tmp + rename), and recorded as a posts row under that
// key: offered again (a rerun after kill -9, a rescan), it is skipped.

import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerdictKind } from '../core/types.js';
import { renderEmail } from '../report/email.js';
import { judgedPatch } from '../store/verdict-store.js';
import { recordPost, wasPosted, type StoreDb } from '../store/store.js';
import type { Logger } from './log.js';
import type { FlushResult, OfferOutcome, Poster, VerdictOffer } from './types.js';

/** Verdicts that say nothing a list would want to read: no patch to judge, nothing failing. */
const NOT_WORTH_A_SUMMARY: readonly VerdictKind[] = ['no-patch', 'no-failure'];

export function idempotencyKey(o: VerdictOffer): string {
  const patch = judgedPatch(o.verdict) ?? '';
  const revision = o.messages.find((m) => m.messageId === patch)?.subjectInfo.revision ?? '';
  return JSON.stringify([o.threadRoot, patch, revision, o.verdict.verdict]);
}

export function outboxName(key: string): string {
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.eml`;
}

export function createFallbackPoster(db: StoreDb, config: Record<string, unknown>, opts: { outboxDir: string; log: Logger }): Poster {
  const from = typeof config.from === 'string' ? config.from : 'ktriage <ktriage@localhost>';
  mkdirSync(opts.outboxDir, { recursive: true });
  return {
    offer(o, now = new Date()): OfferOutcome {
      if (NOT_WORTH_A_SUMMARY.includes(o.verdict.verdict)) return { kind: 'skipped', reason: `${o.verdict.verdict}: nothing to answer` };
      const key = idempotencyKey(o);
      if (wasPosted(db, key)) return { kind: 'skipped', reason: 'already in the outbox' };
      const content = renderEmail(o.verdict, { from, now });
      const path = join(opts.outboxDir, outboxName(key));
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, content);
      renameSync(tmp, path);
      recordPost(db, { key, threadRoot: o.threadRoot, verdictId: o.verdictId, kind: 'outbox', destination: path, content }, now);
      opts.log.info({ msgid: o.threadRoot, list: o.list, path }, 'summary written to the outbox');
      return { kind: 'outbox', path, key };
    },
    flush(): Promise<FlushResult> {
      return Promise.resolve({ sent: 0, deferred: 0, failed: 0 });
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
