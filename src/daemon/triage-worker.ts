// The worker side of the triage pool: the kernel index opened once, then one
// thread at a time: the parsed messages in, the verdict (plain data) out, or
// the engine's error as text. The main thread keeps IDLE and /healthz
// answering meanwhile.

import { parentPort, workerData } from 'node:worker_threads';
import { triageMessages } from '../analyze/triage.js';
import { chooseIndex, threadTreeHints } from '../cli/index-choice.js';
import { ExtractionMemo } from './extraction-memo.js';
import { verdictMover } from './significance.js';
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

// a thread is judged again as it grows: its earlier messages are not read again
const memo = new ExtractionMemo();

port.on('message', (req: TriageRequest) => {
  try {
    if (req.harmlessIf) {
      const fresh = new Set(req.harmlessIf);
      const news = req.messages.filter((m) => fresh.has(m.messageId));
      // all of them found and none can move the verdict: the last one stands
      if (news.length === fresh.size && !news.some((m) => verdictMover(memo.extract(m)))) {
        port.postMessage({ kind: 'unchanged', id: req.id, memory: memory() } satisfies TriageReply);
        return;
      }
    }
    const verdict = triageMessages(req.messages, {
      port: index?.portFor(threadTreeHints(req.messages)),
      extract: memo.extract,
      ...(req.linked ? { linked: req.linked } : {}),
    });
    port.postMessage({ kind: 'verdict', id: req.id, verdict, memory: memory() } satisfies TriageReply);
  } catch (e) {
    port.postMessage({ kind: 'error', id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), memory: memory() } satisfies TriageReply);
  }
});
port.postMessage({ kind: 'ready' } satisfies TriageReply);
