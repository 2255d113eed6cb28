// Runs fuzz inputs through a small pool of worker threads (test/fuzz/worker.mjs)
// with a watchdog: an input that does not finish in time is a hang (the
// worker is terminated and replaced), a worker that dies is a crash (memory
// limit or an error outside the pipeline's own handling).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface FuzzInput {
  id: string;
  text: string;
  /** how it was made (mutations), for the report */
  how: string;
}

export type Outcome = 'ok' | 'refused' | 'crash' | 'hang' | 'oom';

export interface FuzzResult {
  id: string;
  how: string;
  outcome: Outcome;
  ms: number;
  bytes: number;
  error?: string;
  heap?: number;
}

export interface FuzzOptions {
  workers?: number;
  /** per input, whatever its size (refusals included) */
  timeoutMs?: number;
  /** each worker's heap limit */
  maxOldMb?: number;
}

const WORKER = new URL('./worker.mjs', import.meta.url);

export async function runFuzz(inputs: Iterable<FuzzInput>, opts: FuzzOptions = {}): Promise<FuzzResult[]> {
  const { workers = 2, timeoutMs = 5000, maxOldMb = 512 } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-fuzz-'));
  const queue = [...inputs];
  const results: FuzzResult[] = [];
  let next = 0;

  const lane = () =>
    new Promise<void>((resolveLane) => {
      let worker: Worker;
      let current: { input: FuzzInput; timer: NodeJS.Timeout; start: number } | undefined;

      const finish = (r: Omit<FuzzResult, 'id' | 'how' | 'bytes'>) => {
        if (!current) return;
        clearTimeout(current.timer);
        results.push({ id: current.input.id, how: current.input.how, bytes: Buffer.byteLength(current.input.text), ...r });
        current = undefined;
      };
      const dispatch = () => {
        if (next >= queue.length) {
          void worker.terminate();
          resolveLane();
          return;
        }
        const input = queue[next++]!;
        const path = join(dir, `${input.id.replace(/[^\w.-]/g, '_')}.mbox`);
        writeFileSync(path, input.text);
        const start = Date.now();
        current = {
          input,
          start,
          timer: setTimeout(() => {
            finish({ outcome: 'hang', ms: Date.now() - start, error: `no answer in ${timeoutMs} ms` });
            void worker.terminate();
            spawn();
          }, timeoutMs),
        };
        worker.postMessage({ id: input.id, path });
      };
      const spawn = () => {
        worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: maxOldMb }, stdout: true, stderr: true });
        worker.on('message', (m: { ready?: boolean; result?: Outcome; ms?: number; error?: string; heap?: number }) => {
          if (m.ready) return dispatch();
          finish({ outcome: m.result!, ms: m.ms!, error: m.error, heap: m.heap });
          dispatch();
        });
        worker.on('error', (e: Error & { code?: string }) => {
          const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
          finish({ outcome: oom ? 'oom' : 'crash', ms: current ? Date.now() - current.start : 0, error: String(e.stack ?? e).slice(0, 600) });
          spawn();
        });
      };
      spawn();
    });

  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

export function summarise(results: FuzzResult[]): string {
  const by = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const slowest = [...results].sort((a, b) => b.ms - a.ms)[0];
  const heap = Math.max(0, ...results.map((r) => r.heap ?? 0));
  return `${results.length} inputs: ${by('ok')} ok, ${by('refused')} refused, ${by('crash')} crashes, ${by('hang')} hangs, ${by('oom')} out of memory; slowest ${slowest ? `${slowest.ms.toFixed(0)} ms (${slowest.id}, ${slowest.how})` : '-'}; peak worker heap ${(heap / 1048576).toFixed(0)} MB`;
}
