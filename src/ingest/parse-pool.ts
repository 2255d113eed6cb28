// parseMail in worker threads, for a backfill: the main thread reads, splits
// and writes batches while the workers parse (mailparser is most of the cost).
// Answers keep the order messages were sent in (the caller waits on each in
// turn). A worker that dies or cannot start leaves its messages to be parsed
// in this thread: never a lost message, only a slower run.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Message, Origin, RawMail } from '../core/types.js';
import { parseMail } from '../mail/parse.js';
import type { EncodedMessage } from '../store/encode.js';

export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  origin: Origin;
}

/**
 * `json`: JSON.stringify of the Message (what its stored blob holds; a key whose
 * value is undefined is left out, as in the store); `blobs`: the encoding's raw
 * blob (its first `rawLength` bytes) then its parsed blob.
 */
export type ParseReply = { id: number; json: string; sha: string; blobs: Uint8Array; rawLength: number } | { id: number; error: string };

/** A parsed message; `encoded` when a worker also did the store's encoding. */
export interface Parsed {
  message: Message;
  encoded?: EncodedMessage;
}

/** A Buffer cloned to another thread arrives as a Uint8Array: the same memory as a Buffer again. */
const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

const parseHere = (raw: RawMail): Promise<Parsed> => parseMail(raw).then((message) => ({ message }));

interface Pending {
  raw: RawMail;
  resolve: (p: Parsed) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  dead: boolean;
}

/** Workers to start: one per core (the main thread mostly waits on them), at least one, at most four. */
export function defaultParseWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private id = 0;

  constructor(workers = defaultParseWorkers()) {
    // run from source under tsx (tests, bench) or built in dist/
    // '../ingest/': the same file from dist/ingest/ and from the CLI's bundle in dist/bundle/
    const file = import.meta.url.endsWith('.ts') ? '../ingest/parse-worker.ts' : '../ingest/parse-worker.js';
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { worker: new Worker(new URL(file, import.meta.url)), pending: new Map(), dead: false };
      slot.worker.on('message', (r: ParseReply) => {
        const p = slot.pending.get(r.id);
        if (!p) return;
        slot.pending.delete(r.id);
        if ('error' in r) p.reject(new Error(r.error));
        else {
          const blobs = asBuffer(r.blobs);
          p.resolve({ message: JSON.parse(r.json) as Message, encoded: { sha: r.sha, raw: blobs.subarray(0, r.rawLength), parsed: blobs.subarray(r.rawLength) } });
        }
      });
      const died = (): void => {
        if (slot.dead) return;
        slot.dead = true;
        for (const p of slot.pending.values()) parseHere(p.raw).then(p.resolve, p.reject);
        slot.pending.clear();
      };
      slot.worker.on('error', died);
      slot.worker.on('exit', died);
      this.slots.push(slot);
    }
  }

  /** The Message of `raw` (and its store encoding), parsed by the least busy live worker (here when none is left). */
  parse(raw: RawMail): Promise<Parsed> {
    const live = this.slots.filter((s) => !s.dead);
    if (!live.length) return parseHere(raw);
    // round robin, skipping a worker with a long queue behind one big message
    let slot = live[this.next++ % live.length]!;
    for (const s of live) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.id++;
    return new Promise<Parsed>((resolve, reject) => {
      slot.pending.set(id, { raw, resolve, reject });
      slot.worker.postMessage({ id, bytes: raw.bytes, origin: raw.origin } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map((s) => {
        s.dead = true; // an exit now is ours, not a crash
        return s.worker.terminate();
      }),
    );
  }
}
