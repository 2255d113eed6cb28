// A triage worker for the daemon tests (given to the pool as its worker
// module): the real engine, except for threads whose subject asks for a
// fault: "engine-throws" (the engine's error), "worker-dies" (the worker
// exits mid-triage), "slow-triage" (the worker busy for 3 s before judging),
// "heap-hog" (the worker holds ever more memory, as a runaway judgement would),
// "needs-room" (the judgement needs ~120 MB of heap, as a big thread can),
// "tell-heap-cap" (the worker answers with its own heap cap, as an engine error).

import { parentPort, resourceLimits } from 'node:worker_threads';
import { triageMessages } from '../../src/analyze/triage.js';
import type { TriageReply, TriageRequest } from '../../src/daemon/triage-pool.js';

const port = parentPort!;
port.on('message', (req: TriageRequest) => {
  const subjects = req.messages.map((m) => m.subject).join('\n');
  if (subjects.includes('worker-dies')) process.exit(3);
  if (subjects.includes('engine-throws')) {
    port.postMessage({ kind: 'error', id: req.id, error: 'TypeError: the engine tripped on this thread' } satisfies TriageReply);
    return;
  }
  if (subjects.includes('heap-hog')) {
    const held: string[][] = [];
    // until the heap cap ends the worker (or 4 GB, far past any cap a test sets)
    for (let i = 0; i < 4096; i++) held.push(Array.from({ length: 1 << 14 }, (_, k) => `${i}:${k}`));
    port.postMessage({ kind: 'error', id: req.id, error: `held ${held.length} chunks: no heap cap` } satisfies TriageReply);
    return;
  }
  if (subjects.includes('tell-heap-cap')) {
    port.postMessage({ kind: 'error', id: req.id, error: `heap cap ${resourceLimits.maxOldGenerationSizeMb ?? 'none'} MB` } satisfies TriageReply);
    return;
  }
  if (subjects.includes('needs-room')) {
    // ~120 MB live: past a 64 MB cap, within four times it
    const held = Array.from({ length: 40 }, (_, i) => Array.from({ length: 1 << 14 }, (_, k) => `${i}:${k}`.padEnd(40, '.')));
    if (held.length !== 40) throw new Error('unreachable');
  }
  if (subjects.includes('slow-triage')) {
    const end = Date.now() + 3000;
    while (Date.now() < end) {
      // busy: the worker's event loop is blocked as by a long judgement
    }
  }
  port.postMessage({ kind: 'verdict', id: req.id, verdict: triageMessages(req.messages) } satisfies TriageReply);
});
port.postMessage({ kind: 'ready' } satisfies TriageReply);
