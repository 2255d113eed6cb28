// The reading half of the watch loop, one per source: pull (or, for IMAP,
// watch: IDLE) from the stored checkpoint; each batch parsed, stored with the
// checkpoint that covers it in one transaction, then threaded; the judge is
// told. A poison message (damaged, too large, unparseable, refused by the
// store) is an error row and the checkpoint moves past it. A source that fails
// is retried with backoff from its stored checkpoint (nothing read and not
// stored is lost: it is read again), and never stops the other sources.

import { KtriageError } from '../core/errors.js';
import { imapPassword, imapSource, parseImapUrl, type ImapSource } from '../ingest/sources/imap.js';
import { openSource, type MailSource, type SourceItem } from '../ingest/sources/open-source.js';
import { parseMail } from '../mail/parse.js';
import { addMessage, getCheckpoint, rethreadPending, setCheckpoint, type IncomingMessage, type StoreDb } from '../store/store.js';
import { recordWatchError, type WatchError } from '../store/watch-store.js';
import { batches } from './batches.js';
import type { SourceConfig } from './config.js';
import type { Judge } from './judge.js';
import type { Logger } from './log.js';
import type { WatchMetrics } from './metrics.js';

/** how long a source may say nothing before what it gave is committed */
const IDLE_MS = 250;
/** how long a message may wait in a batch while the source keeps giving (steady traffic has no quiet spell) */
const MAX_WAIT_MS = 250;
const MAX_BACKOFF_MS = 60_000;

export async function openWatchedSource(spec: SourceConfig, log: Logger): Promise<MailSource> {
  if (/^imaps?:\/\//i.test(spec.url)) {
    const target = parseImapUrl(spec.url);
    return imapSource(target, {
      password: imapPassword(target),
      notice: (line) => log.warn({ stage: 'source' }, line),
      ...(spec.pollSeconds ? { pollMs: spec.pollSeconds * 1000 } : {}),
    });
  }
  return openSource(spec.url);
}

const watches = (s: MailSource): s is ImapSource => typeof (s as Partial<ImapSource>).watch === 'function';

export interface RunnerContext {
  db: StoreDb;
  judge: Judge;
  metrics: WatchMetrics;
  once: boolean;
  batch: () => number;
  pollSeconds: () => number;
}

export class SourceRunner {
  readonly abort = new AbortController();
  done: Promise<void> = Promise.resolve();
  caughtUpAt: number | undefined;
  lastError: string | undefined;
  failed = false;
  private readonly log: Logger;

  constructor(
    readonly spec: SourceConfig,
    readonly source: MailSource,
    private readonly ctx: RunnerContext,
    log: Logger,
  ) {
    this.log = log.child({ source: source.label, ...(spec.list ? { list: spec.list } : {}) });
  }

  start(): void {
    this.done = this.run();
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const checkpoint = getCheckpoint(this.ctx.db, this.source.key);
        const items = !this.ctx.once && watches(this.source) ? this.source.watch(checkpoint, { signal }) : this.source.pull(checkpoint);
        for await (const b of batches(items, { max: this.ctx.batch(), idleMs: IDLE_MS, maxWaitMs: MAX_WAIT_MS, signal })) {
          if (b.items.length) await this.commit(b.items);
          if (b.caughtUp) this.caughtUpAt = Date.now();
          attempt = 0;
        }
        this.caughtUpAt = Date.now();
        this.lastError = undefined;
        if (this.ctx.once || signal.aborted) return;
        await sleep(this.spec.pollSeconds ? this.spec.pollSeconds * 1000 : this.ctx.pollSeconds() * 1000, signal);
      } catch (e) {
        if (signal.aborted) return;
        this.lastError = (e as Error).message;
        this.ctx.metrics.errors.inc({ stage: 'source' });
        if (this.ctx.once) {
          this.failed = true;
          this.log.error({ stage: 'source', err: this.lastError }, 'the source failed');
          return;
        }
        const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt++);
        this.log.error({ stage: 'source', err: this.lastError, retryInSeconds: wait / 1000 }, 'the source failed; reading it again from its checkpoint');
        await sleep(wait, signal);
      }
    }
  }

  /** One batch: parsed here, stored with its checkpoint in one transaction, then threaded. */
  private async commit(items: SourceItem[]): Promise<void> {
    const { db, metrics } = this.ctx;
    const label = this.source.label;
    const poison: WatchError[] = [];
    const parsed: IncomingMessage[] = [];
    for (const item of items) {
      if (item.kind === 'skip') {
        poison.push({ stage: 'source', source: label, detail: `message ${item.skip.index + 1}: ${item.skip.detail}` });
        metrics.skipped.inc({ source: label, reason: item.skip.reason });
        continue;
      }
      try {
        const message = await parseMail(item.raw);
        parsed.push({ raw: item.raw.bytes, message });
      } catch (e) {
        poison.push({ stage: 'parse', source: label, detail: `message ${(item.raw.origin.index ?? 0) + 1}: cannot be parsed as mail (${(e as Error).message})` });
        metrics.skipped.inc({ source: label, reason: 'unparseable' });
      }
    }
    const stored: string[] = [];
    // one message refused by the store is rolled back alone (a savepoint), the batch goes on
    const addOne = db.transaction((m: IncomingMessage) => addMessage(db, m, this.spec.list));
    db.transaction(() => {
      for (const incoming of parsed) {
        try {
          const outcome = addOne(incoming);
          if (outcome === 'new') stored.push(incoming.message.messageId);
          else if (outcome === 'overflow') poison.push({ stage: 'store', source: label, messageId: incoming.message.messageId, detail: 'too many different messages under one Message-ID' });
        } catch (e) {
          poison.push({ stage: 'store', source: label, messageId: incoming.message.messageId, detail: (e as Error).message });
        }
      }
      for (const p of poison) recordWatchError(db, p);
      setCheckpoint(db, this.source.key, items.at(-1)!.checkpoint);
    })();
    metrics.messagesIn.inc({ source: label }, parsed.length);
    for (const p of poison) {
      metrics.errors.inc({ stage: p.stage });
      this.log.warn({ stage: p.stage, msgid: p.messageId, err: p.detail }, 'message skipped: error row written');
    }
    for (const id of stored) this.ctx.judge.note(id);
    rethreadPending(db);
    this.log.debug({ stage: 'store', messages: parsed.length, new: stored.length }, 'batch stored');
    this.ctx.judge.kick();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

/** A source's spec refused at start (bad URL, no password, no such directory): one line. */
export function sourceError(spec: SourceConfig, e: unknown): KtriageError {
  if (e instanceof KtriageError) return e;
  return new KtriageError('E_IO', `${spec.url}: ${(e as Error).message}`);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
