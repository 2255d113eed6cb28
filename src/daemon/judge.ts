// The judging half of the watch loop: the threads the store marked dirty,
// the cheapest first (judging-order.ts), as many at once as there are triage
// workers (never one thread twice at once), so a long series does not hold up
// the mail behind it. A thread that gained only messages that cannot change its verdict
// (significance.ts; the worker reads them, as it must to judge) is not judged
// again; any other is judged by the worker, and its verdict, the verdict row
// (recordVerdict adds one only when the verdict, judged patch or confidence
// changed), the poster's offer and the "judged" mark are written in one
// transaction: a kill -9 between any two steps leaves the thread dirty, judged
// again on restart, and the poster's idempotency key keeps the summary from
// being written twice.

import { LIMITS } from '../core/limits.js';
import type { Message, Verdict } from '../core/types.js';
import { storedLinkedReports } from '../ingest/linked-reports.js';
import { firstPostAbout } from '../store/post-store.js';
import { recordReportLinks, threadLinks } from '../store/report-links.js';
import { dirtyThreads, latestVerdict, markJudged, recordVerdict, threadMessages, verdictHistory, type StoreDb } from '../store/store.js';
import { judgedCount, messageAddedAt, recordWatchError, setJudgedCount, threadMemberIds, threadRow, type ThreadRow } from '../store/watch-store.js';
import type { Logger } from './log.js';
import type { WatchMetrics } from './metrics.js';
import type { TriagePool } from './triage-pool.js';
import { JudgingOrder } from './judging-order.js';
import type { OfferOutcome, Poster } from './types.js';

export interface JudgeContext {
  db: StoreDb;
  /** one worker each; as many threads are judged at once */
  pools: readonly TriagePool[];
  poster: () => Poster;
  metrics: WatchMetrics;
  log: Logger;
  /** judge only threads on these lists (undefined: all) */
  lists: () => ReadonlySet<string> | undefined;
  /** told of each new verdict row, after its transaction (the JSON lines for other tools) */
  onVerdict?: (v: { threadRoot: string; verdictId: number; list?: string; verdict: Verdict }) => void;
}

export class Judge {
  /** messages stored and not yet judged in this run, by Message-ID */
  private readonly arrived = new Set<string>();
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;
  /** the roots of the threads in the workers now */
  private readonly hands = new Set<string>();
  /** the pools not judging a thread now */
  private readonly free: TriagePool[];
  /** wakes a drain waiting on the threads in hand: new mail may have made another thread dirty */
  private wake: (() => void) | undefined;
  /** the cheapest thread first, none left waiting long (judging-order.ts) */
  private readonly order = new JudgingOrder();

  /** a root of a thread in a worker now (for logs and /healthz) */
  get inHand(): string | undefined {
    return this.hands.values().next().value;
  }

  constructor(private readonly ctx: JudgeContext) {
    this.free = [...ctx.pools];
  }

  /** A new message was stored (under this Message-ID). */
  note(messageId: string): void {
    this.arrived.add(messageId);
  }

  /** Judge what is dirty (now, or after the pass under way). */
  kick(): void {
    this.again = true;
    this.wake?.();
    if (this.running || this.stopping) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopping) this.kick();
    });
  }

  /** Resolves when nothing is dirty and nothing is being judged. */
  async idle(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Take no new thread; the one in hand may finish within `graceMs`, else it is abandoned (left dirty). */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([this.running.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
    clearTimeout(timer);
    if (late) {
      this.ctx.log.warn({ stage: 'shutdown', msgid: this.inHand }, 'the thread in hand did not finish in time: abandoned, it stays marked for judging');
      await Promise.all(this.ctx.pools.map((p) => p.abandon()));
      await this.running;
    }
  }

  private async drain(): Promise<void> {
    const inFlight = new Map<number, Promise<void>>();
    try {
      for (;;) {
        this.again = false;
        if (!this.stopping && this.free.length) {
          const limit = 50 + inFlight.size;
          const rows = dirtyThreads(this.ctx.db, limit);
          const dirty = rows.filter((t) => !inFlight.has(t.id));
          this.ctx.metrics.dirtyThreads.set(dirty.length + inFlight.size);
          for (const t of this.order.order(dirty, Date.now(), rows.length < limit)) {
            if (!this.free.length || this.stopping) break;
            this.order.taken(t.rootId);
            const pool = this.free.pop()!;
            const run = this.judgeOne(t.id, pool).finally(() => {
              inFlight.delete(t.id);
              this.free.push(pool);
            });
            inFlight.set(t.id, run);
          }
        }
        if (!inFlight.size) {
          if (this.again && !this.stopping) continue;
          return;
        }
        // one finished (a worker is free again) or, with a worker free, more mail arrived: look again
        const woken = new Promise<void>((r) => (this.wake = this.free.length ? r : undefined));
        await Promise.race([...inFlight.values(), woken]);
        this.wake = undefined;
      }
    } finally {
      await Promise.allSettled(inFlight.values());
    }
  }

  private forget(members: readonly string[]): void {
    for (const id of members) this.arrived.delete(id);
  }

  private async judgeOne(threadId: number, pool: TriagePool): Promise<void> {
    const { db, metrics } = this.ctx;
    const row = threadRow(db, threadId);
    if (!row) return;
    const members = threadMemberIds(db, threadId);
    const log = this.ctx.log.child({ stage: 'triage', msgid: row.rootId, ...(row.lists[0] ? { list: row.lists[0] } : {}) });
    const settle = (judged: boolean) =>
      db.transaction(() => {
        markJudged(db, threadId);
        if (judged) setJudgedCount(db, row.rootId, row.count);
      })();
    if (row.count > LIMITS.maxMessagesPerThread) {
      log.warn({ messages: row.count }, `not judged: more than ${LIMITS.maxMessagesPerThread} messages`);
      settle(true);
      return this.forget(members);
    }
    const lists = this.ctx.lists();
    if (lists && !row.lists.some((l) => lists.has(l))) {
      log.debug({ lists: row.lists }, 'not judged: on no configured list');
      settle(true);
      return this.forget(members);
    }
    const messages = threadMessages(db, threadId);
    const started = Date.now();
    this.hands.add(row.rootId);
    // a report the thread's patches link to that the store holds is judged with them (Closes:/Link:)
    const out = await pool.triage(messages, storedLinkedReports(db, messages), this.harmlessIf(row, members)).finally(() => this.hands.delete(row.rootId));
    // a verdict's cost orders the next judgement; "unchanged" (a harmless reply) says nothing of it,
    // and a failure (a timeout, a worker outgrowing its heap) is the costliest kind
    if (out.ok && !('unchanged' in out)) this.order.cost(row.rootId, out.ms);
    else if (!out.ok) this.order.cost(row.rootId, Date.now() - started);
    if (!out.ok && out.reason === 'abandoned') return;
    // the thread changed while it was judged: its new row is dirty and judged next
    const now = threadRow(db, threadId);
    const stale = !now || now.rootId !== row.rootId || now.count !== row.count;
    if (out.ok && 'unchanged' in out) {
      if (stale) return;
      log.debug('only messages that cannot change the verdict arrived: not judged again');
      metrics.threadsUnchanged.inc();
      settle(true);
      return this.forget(members);
    }
    log.debug({ messages: messages.length, ms: out.ok ? out.ms : undefined, stale }, stale ? 'judged, but the thread changed meanwhile: judged again' : 'judged');
    if (stale) return;
    this.forget(members);
    if (!out.ok) {
      // one thread's failure is a row and a line, never the end of the loop
      const last = messages.at(-1)?.messageId;
      db.transaction(() => {
        recordWatchError(db, { stage: 'triage', threadRoot: row.rootId, ...(last ? { messageId: last } : {}), detail: out.error });
        markJudged(db, threadId);
        setJudgedCount(db, row.rootId, row.count);
      })();
      metrics.errors.inc({ stage: 'triage' });
      log.error({ err: out.error, attempts: out.attempts }, 'the thread could not be judged: error row written');
      return;
    }
    metrics.threadsTriaged.inc();
    metrics.triageSeconds.observe(out.ms / 1000);
    this.record(row, messages, out.verdict, log);
  }

  /**
   * The messages whose harmlessness alone would leave the last verdict standing: the last
   * judgement covers the messages before them. Undefined: the thread is judged whatever they say.
   */
  private harmlessIf(row: ThreadRow, members: readonly string[]): string[] | undefined {
    const fresh = members.filter((id) => this.arrived.has(id));
    const judged = judgedCount(this.ctx.db, row.rootId);
    // a thread never judged is judged, even of harmless mail only: whether it has a verdict
    // must not depend on what this run happens to remember (a restart forgets `arrived`)
    if (judged === 0) return undefined;
    // dirty with no message new to it: what changed is elsewhere (a report its patch names arrived)
    if (fresh.length === 0) return undefined;
    return judged + fresh.length === row.count ? fresh : undefined;
  }

  private record(row: ThreadRow, messages: Message[], verdict: Parameters<typeof recordVerdict>[2], log: Logger): void {
    const { db, metrics } = this.ctx;
    let offered: OfferOutcome | undefined;
    let changed = false;
    try {
      db.transaction(() => {
        recordReportLinks(db, messages);
        noteSummarisedReports(db, row.rootId, verdict);
        changed = recordVerdict(db, row.rootId, verdict, messages);
        if (changed) {
          const stored = latestVerdict(db, row.rootId)!;
          const arrivedAt = stored.patchId ? messageAddedAt(db, stored.patchId) : undefined;
          offered = this.ctx.poster().offer({
            threadRoot: row.rootId,
            verdictId: stored.id,
            verdict,
            messages,
            ...(row.lists[0] ? { list: row.lists[0] } : {}),
            ...(arrivedAt ? { patchArrivedAt: arrivedAt } : {}),
          });
        }
        markJudged(db, row.id);
        setJudgedCount(db, row.rootId, row.count);
      })();
    } catch (e) {
      // the verdict and its offer stand or fall together: neither is kept, the thread is judged again with its next message
      const detail = (e as Error).message;
      db.transaction(() => {
        recordWatchError(db, { stage: 'post', threadRoot: row.rootId, detail });
        markJudged(db, row.id);
      })();
      metrics.errors.inc({ stage: 'post' });
      log.error({ err: detail }, 'the verdict could not be recorded and offered');
      return;
    }
    if (changed) {
      metrics.verdicts.inc({ verdict: verdict.verdict });
      const stored = latestVerdict(db, row.rootId);
      if (stored) this.ctx.onVerdict?.({ threadRoot: row.rootId, verdictId: stored.id, ...(row.lists[0] ? { list: row.lists[0] } : {}), verdict });
      log.info({ verdict: verdict.verdict, confidence: verdict.confidence, offer: offered?.kind }, 'new verdict');
    }
    if (offered) metrics.posts.inc({ outcome: offered.kind });
  }
}

/**
 * A fix for a report ktriage already summarised says so, once, in its own summary (the
 * reply about the fix), instead of a second post under the report.
 */
function noteSummarisedReports(db: StoreDb, root: string, verdict: Verdict): void {
  if (verdict.verdict !== 'fixes' && verdict.verdict !== 'partial' && verdict.verdict !== 'hides') return;
  const notes: string[] = [];
  for (const l of threadLinks(db, root).answers) {
    if (!l.root || l.root === root) continue;
    // the report's own thread was judged (its summary is in the store, the digest lists it), or a reply was written about it
    const judged = verdictHistory(db, l.root)[0];
    const posted = firstPostAbout(db, l.root);
    const at = posted ?? judged?.judgedAt;
    if (at) notes.push(`${l.messageId}${l.subject ? ` ("${l.subject}")` : ''}, which ktriage ${posted ? 'summarised' : `judged ${judged!.verdict}`} on ${at.slice(0, 10)}`);
  }
  if (notes.length) verdict.summary += `\n\nThis answers the report ${notes.slice(0, 3).join('; ')}.`;
}
