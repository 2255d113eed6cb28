// `ktriage watch`: the daemon. Sources are read (source-runner.ts), new mail
// stored and threaded, changed threads judged in a worker (judge.ts), new
// verdicts offered to the poster, and the poster flushed on a timer. The main
// thread never judges, so IDLE, /healthz and /metrics stay responsive.
// stop() is the graceful end (SIGTERM): sources stop and store what they read,
// the thread in hand finishes or is abandoned (left dirty), then everything
// closes. reload() applies a new config (SIGHUP); the caller validates it.

import { dirname, join } from 'node:path';
import { KtriageError } from '../core/errors.js';
import { openStoreDb, rethreadPending, storePath, type StoreDb } from '../store/store.js';
import type { SourceConfig, WatchConfig } from './config.js';
import { sourceConfigs } from './config.js';
import { createPoster } from './poster.js';
import { startHealth, type HealthServer } from './health.js';
import { Judge } from './judge.js';
import type { Logger } from './log.js';
import { createMetrics, type WatchMetrics } from './metrics.js';
import { openWatchedSource, sourceError, SourceRunner } from './source-runner.js';
import { TriagePool, type WorkerMemory } from './triage-pool.js';
import { chooseIndex } from '../cli/index-choice.js';
import { digestEml } from '../report/digest/eml.js';
import { isoWeek } from '../report/digest/weeks.js';
import { digestMessageId, dueWeek, expandRecipients, makeDigest, pendingRecipients, renderChart, sendDigestOnce } from './digest.js';
import { reconcileOutbox, writeOutbox } from './outbox.js';
import { allPostKeys } from '../store/post-store.js';
import { createJsonlWriter, type JsonlWriter } from './jsonl.js';
import { createSmtpTransport } from './smtp-send.js';
import { recordPost } from '../store/verdict-store.js';
import type { Poster } from './types.js';

export type PosterFactory = (db: StoreDb, config: Record<string, unknown>, opts: { outboxDir: string; log: Logger }) => Poster;

export interface WatcherOptions {
  config: WatchConfig;
  once: boolean;
  log: Logger;
  /** default: the outbox-only fallback poster */
  makePoster?: PosterFactory;
  /** the triage worker module (default src/daemon/triage-worker) */
  triageWorkerUrl?: URL;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Watcher {
  private config: WatchConfig;
  private readonly log: Logger;
  readonly db: StoreDb;
  readonly outboxDir: string;
  readonly metrics: WatchMetrics;
  private readonly pools: TriagePool[];
  private poster: Poster;
  private readonly judge: Judge;
  private readonly runners = new Map<string, SourceRunner>();
  private health: HealthServer | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private digestTimer: NodeJS.Timeout | undefined;
  private jsonl: JsonlWriter | undefined;
  private digesting: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private stopped!: () => void;
  private readonly finished = new Promise<void>((r) => (this.stopped = r));
  private readonly startedAt = Date.now();

  private constructor(
    private readonly opts: WatcherOptions,
    db: StoreDb,
  ) {
    this.config = opts.config;
    this.log = opts.log;
    this.db = db;
    this.outboxDir = this.config.outbox ?? join(dirname(storePath(this.config.db)), 'outbox');
    this.metrics = createMetrics(
      () => {
        const lag = new Map<string, number>();
        for (const r of this.runners.values()) lag.set(r.source.label, r.caughtUpAt === undefined ? (Date.now() - this.startedAt) / 1000 : (Date.now() - r.caughtUpAt) / 1000);
        return lag;
      },
      () => sumMemory(this.pools?.map((p) => p.workerMemory)),
    );
    this.pools = Array.from(
      { length: this.config.triageWorkers },
      () =>
        new TriagePool({
          index: { path: this.config.index.path, tree: this.config.index.tree, none: this.config.index.none },
          timeoutMs: this.config.triageTimeoutSeconds * 1000,
          heapMb: this.config.triageWorkerHeapMb,
          ...(opts.triageWorkerUrl ? { workerUrl: opts.triageWorkerUrl } : {}),
          log: (line) => this.log.warn({ stage: 'triage' }, line.replace(/^ktriage: /, '')),
          onRestart: (why) => {
            this.metrics.workerRestarts.inc();
            this.log.warn({ stage: 'triage', msgid: this.judge.inHand }, `${why}: worker restarted`);
          },
        }),
    );
    this.poster = this.makePoster();
    this.judge = new Judge({
      db,
      pools: this.pools,
      poster: () => this.poster,
      metrics: this.metrics,
      log: this.log,
      lists: () => (this.config.lists ? new Set(this.config.lists) : undefined),
      onVerdict: (v) => {
        try {
          this.jsonl?.write({ ...v, judgedAt: new Date() });
        } catch (e) {
          this.log.error({ stage: 'jsonl', err: (e as Error).message }, 'a JSON line could not be written');
        }
      },
    });
    // the JSON lines for other tools: "-" is stdout (the logs are on stderr)
    if (this.config.jsonl) {
      try {
        this.jsonl = createJsonlWriter(this.config.jsonl === '-' ? process.stdout : this.config.jsonl);
      } catch (e) {
        throw new KtriageError('E_IO', `${this.config.jsonl}: cannot open the JSON lines file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
  }

  /** Open the store (waiting for another process's lock up to storeLockWaitSeconds) and the sources; one-line errors. */
  static async open(opts: WatcherOptions): Promise<Watcher> {
    const path = storePath(opts.config.db);
    const db = await openStoreWaiting(path, opts.config.storeLockWaitSeconds, opts.log);
    let w: Watcher | undefined;
    try {
      w = new Watcher(opts, db);
      for (const spec of sourceConfigs(opts.config)) await w.addSource(spec, true);
      if (!w.runners.size) throw new KtriageError('E_USAGE', 'no sources: give them on the command line or under "sources" in the config file');
      return w;
    } catch (e) {
      if (w) await w.close();
      else db.close();
      throw e;
    }
  }

  private makePoster(): Poster {
    const make = this.opts.makePoster ?? createPoster;
    return make(this.db, this.config.post, { outboxDir: this.outboxDir, log: this.log });
  }

  private runnerContext() {
    return {
      db: this.db,
      judge: this.judge,
      metrics: this.metrics,
      once: this.opts.once,
      batch: () => this.config.batch,
      pollSeconds: () => this.config.pollSeconds,
    };
  }

  private async addSource(spec: SourceConfig, strict: boolean): Promise<void> {
    let source;
    try {
      source = await openWatchedSource(spec, this.log);
    } catch (e) {
      if (strict) throw sourceError(spec, e);
      this.log.error({ stage: 'source', err: (e as Error).message }, `${spec.url}: cannot be opened; left out`);
      return;
    }
    if (this.runners.has(source.key)) return;
    this.runners.set(source.key, new SourceRunner(spec, source, this.runnerContext(), this.log));
  }

  get healthPort(): number | undefined {
    return this.health?.port;
  }

  healthStatus(): { ok: boolean; [k: string]: unknown } {
    return {
      ok: this.stopping === undefined,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      judging: this.judge.inHand ?? null,
      sources: [...this.runners.values()].map((r) => ({
        source: r.source.label,
        caughtUpSecondsAgo: r.caughtUpAt === undefined ? null : Math.round((Date.now() - r.caughtUpAt) / 1000),
        ...(r.lastError ? { lastError: r.lastError } : {}),
      })),
    };
  }

  /** Until stop() (or, with --once, one pass over every source): the exit code. */
  async run(): Promise<number> {
    // messages a killed run stored but did not thread, threads it did not judge
    rethreadPending(this.db);
    const stray = reconcileOutbox(this.outboxDir, allPostKeys(this.db));
    if (stray.length) this.log.info({ stage: 'post', files: stray.length }, 'removed outbox files a killed run wrote but never recorded');
    this.judge.kick();
    if (this.config.health) {
      this.health = await startHealth(this.config.health.host, this.config.health.port, () => this.healthStatus(), this.metrics.registry);
      this.log.info({ stage: 'health', port: this.health.port }, `health on http://${this.config.health.host}:${this.health.port}/healthz and /metrics`);
    }
    for (const r of this.runners.values()) r.start();
    this.log.info({ sources: [...this.runners.values()].map((r) => r.source.label), outbox: this.outboxDir, once: this.opts.once }, 'watching');
    if (this.opts.once) {
      await Promise.all([...this.runners.values()].map((r) => r.done));
      await this.judge.idle();
      await this.flush();
      await this.sendDueDigests();
      const failed = [...this.runners.values()].some((r) => r.failed);
      await this.close();
      return failed ? 1 : 0;
    }
    this.startFlushTimer();
    // the digest is due once a week: looked at every minute (a daemon down at the hour sends it when back)
    void this.sendDueDigests();
    this.digestTimer = setInterval(() => void this.sendDueDigests(), 60_000);
    await this.finished;
    return 0;
  }

  /** Each configured digest whose week is due and not yet sent to every recipient: made and sent (or written to the outbox without SMTP). */
  sendDueDigests(now: Date = new Date()): Promise<void> {
    this.digesting ??= (async () => {
      for (const s of this.config.digests) {
        const label = dueWeek(now, s);
        if (!label || !this.db.open) continue;
        const dlog = this.log.child({ stage: 'digest', week: label });
        try {
          const window = isoWeek(label);
          const index = this.config.index.none ? undefined : chooseIndex({ index: this.config.index.path, tree: this.config.index.tree });
          let digest, to;
          try {
            digest = makeDigest(this.db, { window, list: s.list, subsystem: s.subsystem, index });
            to = expandRecipients(s.to, s.subsystem, index);
          } finally {
            index?.close();
          }
          const pending = pendingRecipients(this.db, digest, to);
          if (!pending.length) continue;
          const chart = renderChart(digest);
          const from = this.config.post.from;
          if (this.config.post.smtp) {
            const transport = createSmtpTransport(this.config.post.smtp);
            try {
              const r = await sendDigestOnce(this.db, digest, chart, { transport, from, to: pending, now });
              dlog.info({ to: r.sent }, `digest ${label} sent`);
            } finally {
              transport.close();
            }
          } else {
            for (const rcpt of pending) {
              const key = `digest|${digest.window.label}|${digest.scope.join(',')}|${rcpt.toLowerCase()}`;
              const eml = await digestEml(digest, chart, { from, to: [rcpt], date: now, messageId: digestMessageId(label, rcpt, from) });
              const path = writeOutbox(this.outboxDir, key, eml.toString('utf8'));
              recordPost(this.db, { key, kind: 'outbox', destination: rcpt, content: path }, now);
              dlog.info({ path }, `digest ${label} for ${rcpt} written to the outbox (no SMTP configured)`);
            }
          }
        } catch (e) {
          this.metrics.errors.inc({ stage: 'digest' });
          dlog.error({ err: (e as Error).message }, `digest ${label} not sent; tried again in a minute`);
        }
      }
    })().finally(() => (this.digesting = undefined));
    return this.digesting;
  }

  private startFlushTimer(): void {
    clearInterval(this.flushTimer);
    this.flushTimer = setInterval(() => void this.flush(), this.config.flushSeconds * 1000);
  }

  private flush(): Promise<void> {
    this.flushing ??= this.poster
      .flush()
      .then(
        (r) => {
          if (r.sent) this.metrics.posts.inc({ outcome: 'sent' }, r.sent);
          if (r.deferred) this.metrics.posts.inc({ outcome: 'deferred' }, r.deferred);
          if (r.failed) this.metrics.posts.inc({ outcome: 'failed' }, r.failed);
        },
        (e: Error) => {
          this.metrics.errors.inc({ stage: 'post' });
          this.log.error({ stage: 'post', err: e.message }, 'flushing the poster failed');
        },
      )
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Graceful end: sources store what they read and stop, the thread in hand finishes or is abandoned, all closes. */
  stop(why: string): Promise<void> {
    this.stopping ??= (async () => {
      this.log.info({ stage: 'shutdown' }, `${why}: stopping`);
      clearInterval(this.flushTimer);
      clearInterval(this.digestTimer);
      await Promise.all([...this.runners.values()].map((r) => r.stop()));
      await this.digesting;
      await this.judge.stop(this.config.graceSeconds * 1000);
      await this.flushing;
      await this.close();
      this.log.info({ stage: 'shutdown' }, 'stopped');
      this.stopped();
    })();
    return this.stopping;
  }

  private async close(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.digestTimer);
    await this.judge.stop(0);
    await Promise.all(this.pools.map((p) => p.close()));
    await this.poster.close();
    this.jsonl?.close();
    this.jsonl = undefined;
    await this.health?.close();
    this.health = undefined;
    if (this.db.open) this.db.close();
  }

  /** Apply a validated new config: sources added and removed, the rest live where it can be; what needs a restart is said. */
  async reload(next: WatchConfig): Promise<void> {
    const old = this.config;
    for (const [k, label] of [
      ['db', 'the store'],
      ['outbox', 'the outbox'],
      ['health', 'the health port'],
      ['index', 'the index'],
      ['triageTimeoutSeconds', 'the triage timeout'],
    ] as const) {
      if (JSON.stringify(old[k]) !== JSON.stringify(next[k])) this.log.warn({ stage: 'reload' }, `${label} (${k}) changes only on a restart; kept as it was`);
    }
    this.config = { ...next, db: old.db, outbox: old.outbox, health: old.health, index: old.index, triageTimeoutSeconds: old.triageTimeoutSeconds };
    this.log.level = next.logLevel;
    if (JSON.stringify(old.post) !== JSON.stringify(next.post)) {
      await this.flushing;
      await this.poster.close();
      this.poster = this.makePoster();
    }
    if (old.flushSeconds !== next.flushSeconds) this.startFlushTimer();
    const wanted = new Set(sourceConfigs(next).map((s) => s.url));
    for (const [key, r] of this.runners) {
      if (wanted.has(r.spec.url)) continue;
      this.runners.delete(key);
      await r.stop();
      this.log.info({ source: r.source.label, stage: 'reload' }, 'source removed');
    }
    const have = new Set([...this.runners.values()].map((r) => r.spec.url));
    for (const spec of sourceConfigs(next)) {
      if (have.has(spec.url)) continue;
      const before = new Set(this.runners.keys());
      await this.addSource(spec, false);
      for (const [key, r] of this.runners)
        if (!before.has(key)) {
          r.start();
          this.log.info({ source: r.source.label, stage: 'reload' }, 'source added');
        }
    }
    this.log.info({ stage: 'reload' }, 'config reloaded');
  }
}

function isLocked(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
  }
  return false;
}

/** The store, writable: another process holding its write lock is waited for, then one line. */
async function openStoreWaiting(path: string, waitSeconds: number, log: Logger): Promise<StoreDb> {
  const deadline = Date.now() + waitSeconds * 1000;
  let told = false;
  for (;;) {
    let db: StoreDb | undefined;
    try {
      db = openStoreDb(path);
      // opening only reads; a write lock held elsewhere shows when one is asked for (busy_timeout waits 5 s)
      db.exec('BEGIN IMMEDIATE; ROLLBACK');
      return db;
    } catch (e) {
      db?.close();
      if (!isLocked(e)) throw e;
      if (Date.now() >= deadline) throw new KtriageError('E_IO', `${path}: the store is locked by another process (another ktriage ingest or watch?); waited ${waitSeconds} s, giving up`);
      if (!told) log.warn({ stage: 'store' }, `${path}: the store is locked by another process; waiting up to ${waitSeconds} s`);
      told = true;
      await sleep(1000);
    }
  }
}

/** The workers' memory together, as /metrics reports it (undefined until one has reported). */
function sumMemory(ms: readonly (WorkerMemory | undefined)[] | undefined): WorkerMemory | undefined {
  const known = (ms ?? []).filter((m): m is WorkerMemory => m !== undefined);
  if (!known.length) return undefined;
  return known.reduce((a, m) => ({ heapUsed: a.heapUsed + m.heapUsed, heapTotal: a.heapTotal + m.heapTotal, external: a.external + m.external }));
}
