// The worker side of the triage pool: the kernel index opened once, then one
// thread at a time: the parsed messages in, the verdict (plain data) out, or
// the engine's error as text. The main thread keeps IDLE and /healthz
// answering meanwhile.

import { parentPort, workerData } from 'node:worker_threads';
import { triageMessages } from '../analyze/triage.js';
import { chooseIndex, threadTreeHints } from '../cli/index-choice.js';
import type { TriageReply, TriageRequest, TriageWorkerData } from './triage-pool.js';

const port = parentPort;
if (!port) throw new Error('triage-worker runs as a worker thread');
const data = workerData as TriageWorkerData;
const index = chooseIndex({ index: data.index.path, tree: data.index.tree, noIndex: data.index.none }, process.env, {
  warn: (line) => port.postMessage({ kind: 'log', line } satisfies TriageReply),
});

// this isolate's heap (process.memoryUsage's heap and external figures are per isolate)
const memory = () => {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
};

port.on('message', (req: TriageRequest) => {
  try {
    const verdict = triageMessages(req.messages, { port: index?.portFor(threadTreeHints(req.messages)), ...(req.linked ? { linked: req.linked } : {}) });
    port.postMessage({ kind: 'verdict', id: req.id, verdict, memory: memory() } satisfies TriageReply);
  } catch (e) {
    port.postMessage({ kind: 'error', id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), memory: memory() } satisfies TriageReply);
  }
});
port.postMessage({ kind: 'ready' } satisfies TriageReply);
