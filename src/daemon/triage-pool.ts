// Triage off the main thread: one worker (worker_threads) judges one thread
// at a time while the main thread keeps reading mail, IDLEing and answering
// /healthz. The engine throwing is an answer (the thread's error row); the
// worker dying or taking longer than the timeout is not: the worker is
// restarted and the thread tried once more before it becomes an error row.

import { Worker } from 'node:worker_threads';
import type { LinkedReports, Message, Verdict } from '../core/types.js';

export interface TriageWorkerData {
  index: { path?: string; tree?: string; none?: boolean };
}

export interface TriageRequest {
  id: number;
  messages: Message[];
  /** reports the thread's patches link to that the store holds (a Map crosses to the worker as is) */
  linked?: LinkedReports;
  /**
   * the messages that arrived since the thread was last judged, when the last verdict stands
   * unless one of them can move it: the worker reads them (it would anyway, to judge) and answers
   * `unchanged` without judging when none can (a "thanks", a question about something else)
   */
  harmlessIf?: string[];
}

/** the worker's own memory after a triage (its V8 heap and the Buffers it holds): what RSS is made of */
export interface WorkerMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export type TriageReply =
  | { kind: 'ready' }
  | { kind: 'log'; line: string }
  | { kind: 'verdict'; id: number; verdict: Verdict; memory?: WorkerMemory }
  | { kind: 'unchanged'; id: number; memory?: WorkerMemory }
  | { kind: 'error'; id: number; error: string; memory?: WorkerMemory };

export type TriageOutcome =
  | { ok: true; verdict: Verdict; ms: number; attempts: number }
  /** only messages that cannot move the verdict arrived (harmlessIf): not judged again */
  | { ok: true; unchanged: true; ms: number; attempts: number }
  /** engine: the engine threw on this thread; worker: the worker died or timed out twice; abandoned: shut down meanwhile */
  | { ok: false; reason: 'engine' | 'worker' | 'abandoned'; error: string; attempts: number };

export interface TriagePoolOptions {
  index: TriageWorkerData['index'];
  timeoutMs: number;
  /** the worker module (tests give one of their own); default ./triage-worker */
  workerUrl?: URL;
  /** a line from the worker (the index could not be opened, ...) */
  log?: (line: string) => void;
  /** a worker died or timed out and was restarted */
  onRestart?: (why: string) => void;
  /** the worker's old generation at most (MB): past it the worker ends, and the thread is tried once more with RETRY_HEAP_FACTOR times the room */
  heapMb?: number;
}

/**
 * The room a thread gets on its second attempt, as a multiple of heapMb: a big thread that
 * outgrew the everyday cap is judged, a runaway one still ends (and becomes an error row).
 */
export const RETRY_HEAP_FACTOR = 4;

/** a small young generation: what a worker grows for throughput it keeps, and the daemon lives long (the main thread's can only be set when node starts: README) */
const TRIAGE_WORKER_LIMITS = { maxYoungGenerationSizeMb: 6 };

type Attempt = { kind: 'verdict'; verdict: Verdict } | { kind: 'unchanged' } | { kind: 'error'; error: string } | { kind: 'died'; why: string } | { kind: 'abandoned' };

export class TriagePool {
  /** the worker's memory as it last reported it (for /metrics) */
  workerMemory: WorkerMemory | undefined;
  private worker: Worker | undefined;
  private nextId = 0;
  /** settles the attempt in flight when the worker dies or is abandoned */
  private interrupt: ((a: Attempt) => void) | undefined;
  private closed = false;

  constructor(private readonly opts: TriagePoolOptions) {}

  private defaultUrl(): URL {
    // run from source under tsx (tests) or built in dist/; '../daemon/' so that the CLI's bundle
    // (dist/bundle/, a sibling of dist/daemon/) finds the same file
    return new URL(import.meta.url.endsWith('.ts') ? '../daemon/triage-worker.ts' : '../daemon/triage-worker.js', import.meta.url);
  }

  private start(heapMb = this.opts.heapMb): Worker {
    const url = this.opts.workerUrl ?? this.defaultUrl();
    const workerData = { index: this.opts.index } satisfies TriageWorkerData;
    // from source (tests): a worker does not inherit tsx's loader (Node 20), so it registers it before the module
    const options = { workerData, resourceLimits: { ...TRIAGE_WORKER_LIMITS, ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}) } };
    const w = url.href.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`, { ...options, eval: true })
      : new Worker(url, options);
    w.on('message', (r: TriageReply) => {
      if (r.kind === 'log') this.opts.log?.(r.line);
      else if ('memory' in r && r.memory) this.workerMemory = r.memory;
    });
    const died = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.interrupt?.({ kind: 'died', why });
    };
    w.on('error', (e) => died(`the triage worker failed: ${e.message}`));
    w.on('exit', (code) => died(`the triage worker exited (code ${code})`));
    this.worker = w;
    return w;
  }

  private attempt(messages: Message[], linked?: LinkedReports, harmlessIf?: string[], heapMb?: number): Promise<Attempt> {
    const w = this.worker ?? this.start(heapMb);
    const id = this.nextId++;
    return new Promise<Attempt>((resolve) => {
      const done = (a: Attempt) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        this.interrupt = undefined;
        resolve(a);
      };
      const onMessage = (r: TriageReply) => {
        if (r.kind === 'verdict' && r.id === id) done({ kind: 'verdict', verdict: r.verdict });
        else if (r.kind === 'unchanged' && r.id === id) done({ kind: 'unchanged' });
        else if (r.kind === 'error' && r.id === id) done({ kind: 'error', error: r.error });
      };
      const timer = setTimeout(() => {
        done({ kind: 'died', why: `the triage took longer than ${Math.round(this.opts.timeoutMs / 1000)} s` });
        void this.kill();
      }, this.opts.timeoutMs);
      this.interrupt = done;
      w.on('message', onMessage);
      w.postMessage({ id, messages, ...(linked?.size ? { linked } : {}), ...(harmlessIf?.length ? { harmlessIf } : {}) } satisfies TriageRequest);
    });
  }

  /** Judge one thread: a worker that dies or times out is restarted and the thread tried once more. */
  async triage(messages: Message[], linked?: LinkedReports, harmlessIf?: string[]): Promise<TriageOutcome> {
    const started = Date.now();
    let last = '';
    for (let attempts = 1; attempts <= 2; attempts++) {
      if (this.closed) return { ok: false, reason: 'abandoned', error: 'shutting down', attempts };
      // the retry in a roomier worker of its own, which goes once it has answered
      const roomy = attempts > 1 && this.opts.heapMb !== undefined;
      const a = await this.attempt(messages, linked, harmlessIf, roomy ? this.opts.heapMb! * RETRY_HEAP_FACTOR : undefined);
      if (roomy) await this.kill();
      if (a.kind === 'verdict') return { ok: true, verdict: a.verdict, ms: Date.now() - started, attempts };
      if (a.kind === 'unchanged') return { ok: true, unchanged: true, ms: Date.now() - started, attempts };
      if (a.kind === 'error') return { ok: false, reason: 'engine', error: a.error, attempts };
      if (a.kind === 'abandoned') return { ok: false, reason: 'abandoned', error: 'shutting down', attempts };
      last = a.why;
      this.opts.onRestart?.(a.why);
    }
    return { ok: false, reason: 'worker', error: `${last} (twice on this thread)`, attempts: 2 };
  }

  private async kill(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  /** Stop the thread in hand now (SIGTERM's grace is over): its triage resolves as abandoned. */
  async abandon(): Promise<void> {
    this.closed = true;
    this.interrupt?.({ kind: 'abandoned' });
    await this.kill();
  }

  async close(): Promise<void> {
    await this.abandon();
  }
}
