// The daemon's Prometheus metrics (prom-client), in a registry of its own
// (two watchers in one process, as in tests, do not collide).

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WorkerMemory } from './triage-pool.js';

export interface WatchMetrics {
  registry: Registry;
  messagesIn: Counter<'source'>;
  skipped: Counter<'source' | 'reason'>;
  threadsTriaged: Counter<never>;
  threadsUnchanged: Counter<never>;
  verdicts: Counter<'verdict'>;
  posts: Counter<'outcome'>;
  errors: Counter<'stage'>;
  workerRestarts: Counter<never>;
  triageSeconds: Histogram<never>;
  dirtyThreads: Gauge<never>;
}

/** `lag(source)`: seconds since the source was last caught up (read to its end, or waiting in IDLE). */
export function createMetrics(lag: () => Map<string, number>, workerMemory: () => WorkerMemory | undefined = () => undefined): WatchMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ktriage_' });
  const registers = [registry];
  const m: WatchMetrics = {
    registry,
    messagesIn: new Counter({ name: 'ktriage_messages_in_total', help: 'messages read from a source and stored (new or already known)', labelNames: ['source'], registers }),
    skipped: new Counter({ name: 'ktriage_messages_skipped_total', help: 'messages skipped: unparseable, too large, damaged', labelNames: ['source', 'reason'], registers }),
    threadsTriaged: new Counter({ name: 'ktriage_threads_triaged_total', help: 'threads judged by the engine', registers }),
    threadsUnchanged: new Counter({ name: 'ktriage_threads_not_rejudged_total', help: 'threads that gained only messages that cannot change the verdict', registers }),
    verdicts: new Counter({ name: 'ktriage_verdicts_total', help: 'new verdict rows (the verdict or judged patch changed), by verdict', labelNames: ['verdict'], registers }),
    posts: new Counter({ name: 'ktriage_posts_total', help: "the poster's answers to offers and flushes", labelNames: ['outcome'], registers }),
    errors: new Counter({ name: 'ktriage_errors_total', help: 'error rows written, by stage', labelNames: ['stage'], registers }),
    workerRestarts: new Counter({ name: 'ktriage_triage_worker_restarts_total', help: 'triage workers restarted after dying or timing out', registers }),
    triageSeconds: new Histogram({ name: 'ktriage_triage_seconds', help: 'time to judge one thread', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60], registers }),
    dirtyThreads: new Gauge({ name: 'ktriage_threads_waiting', help: 'threads changed and not judged yet', registers }),
  };
  new Gauge({
    name: 'ktriage_source_lag_seconds',
    help: 'seconds since the source was last caught up',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const [source, seconds] of lag()) this.set({ source }, seconds);
    },
  });
  new Gauge({
    name: 'ktriage_triage_worker_memory_bytes',
    help: "the triage worker's V8 heap (used, total) and external memory, as it last reported",
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      const w = workerMemory();
      if (w) for (const kind of ['heapUsed', 'heapTotal', 'external'] as const) this.set({ kind }, w[kind]);
    },
  });
  return m;
}
