// An mbox or .mbox.gz file as a source. Checkpoint: how many messages of the
// file were consumed, and the file's identity (a digest of its first bytes):
// a file that grew (an mbox appended to) resumes after the count, a file
// replaced by another starts again (the store's dedupe makes that safe).
// Reading streams: one message at a time, never the whole archive.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { gunzip } from '../gunzip.js';
import { readMails } from '../read.js';
import { isGzip } from '../sniff.js';
import type { SkippedMessage } from '../skips.js';
import { readJsonCheckpoint, type MailSource, type SourceItem } from './source.js';

const HEAD_BYTES = 64 * 1024;

const Checkpoint = z.object({ head: z.string(), consumed: z.number().int().nonnegative() });
type Checkpoint = z.infer<typeof Checkpoint>;

async function fileHead(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex').slice(0, 32);
  } finally {
    await fh.close();
  }
}

function readCheckpoint(value: string | undefined): Checkpoint | undefined {
  return readJsonCheckpoint(value, Checkpoint);
}

/** Lines starting "From " (each message has one; an unescaped one in a body is rare): a total for the progress bar, read at disk speed. */
async function countFromLines(path: string): Promise<number> {
  const head = Buffer.alloc(2);
  const fh = await open(path, 'r');
  await fh.read(head, 0, 2, 0).finally(() => fh.close());
  const file = createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
  const chunks = isGzip(head) ? gunzip(file, path) : file;
  let n = 0;
  let atLineStart = true;
  let carry = '';
  for await (const c of chunks) {
    const text = carry + c.toString('latin1');
    if (atLineStart && text.startsWith('From ')) n++;
    for (let i = text.indexOf('\nFrom '); i >= 0; i = text.indexOf('\nFrom ', i + 1)) n++;
    // a separator split across chunks: keep the tail so it is seen once
    carry = text.slice(-6);
    atLineStart = false;
    if (carry.includes('\nFrom ')) carry = '';
  }
  return n;
}

export function mboxSource(path: string): MailSource {
  const abs = resolve(path);
  return {
    key: `mbox:${abs}`,
    label: path,
    finite: true,
    async estimate() {
      try {
        return await countFromLines(abs);
      } catch {
        return undefined;
      }
    },
    async *pull(checkpoint: string | undefined): AsyncGenerator<SourceItem> {
      const head = await fileHead(abs);
      const cp = readCheckpoint(checkpoint);
      const start = cp && cp.head === head ? cp.consumed : 0;
      const mark = (consumed: number) => JSON.stringify({ head, consumed } satisfies Checkpoint);
      // skips arrive through a callback while the reader runs: queue them, yield in order
      const skips: SkippedMessage[] = [];
      const flush = function* (): Generator<SourceItem> {
        while (skips.length) {
          const s = skips.shift()!;
          if (s.index >= start) yield { kind: 'skip', skip: s, checkpoint: mark(s.index + 1) };
        }
      };
      // an archive is not a thread: no total-size cap (memory is one message); the per-message and gunzip caps hold
      for await (const raw of readMails(abs, { maxInputBytes: Number.MAX_SAFE_INTEGER, onSkip: (s) => skips.push(s) })) {
        yield* flush();
        const index = raw.origin.index ?? 0;
        if (index < start) continue;
        yield { kind: 'mail', raw: { ...raw, origin: { ...raw.origin, path } }, checkpoint: mark(index + 1) };
      }
      yield* flush();
    },
  };
}
