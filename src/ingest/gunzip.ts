// gzip input as a stream of inflated chunks, torn down the moment its reader
// stops: a bomb refused at the size cap, a corrupt stream, a reader that has
// seen enough. Nothing is left inflating or reading the file behind it.
//
// The feed writes compressed chunks into zlib and waits for 'drain' when zlib
// is full; a failed or destroyed zlib never drains, so the wait also ends on
// 'close' (otherwise the feed, and whoever awaits it, hangs forever: the CLI
// then exits 13 with nothing said).

import type { Gunzip } from 'node:zlib';
import { createGunzip } from 'node:zlib';
import { KtriageError } from '../core/errors.js';

function drainedOrClosed(z: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      z.off('drain', done);
      z.off('close', done);
      resolve();
    };
    z.on('drain', done);
    z.on('close', done);
  });
}

/** zlib's messages in words a user can act on. */
function gzipError(e: unknown, label: string): KtriageError {
  if (e instanceof KtriageError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (/unexpected end/i.test(msg)) return new KtriageError('E_TRUNCATED', `${label}: truncated gzip stream`);
  return new KtriageError('E_GZIP', `${label}: not a valid gzip stream (${msg})`);
}

export async function* gunzip(src: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
  // 256 KiB out per chunk, not zlib's 16 KiB: each chunk passes several async
  // generators (cap, peek, split), and at 16 KiB those steps cost more than inflating
  const z = createGunzip({ chunkSize: 256 * 1024 });
  const it = src[Symbol.asyncIterator]();
  let feedError: unknown;
  const feed = async () => {
    for (;;) {
      if (z.destroyed) return;
      const r = await it.next();
      if (z.destroyed) return;
      if (r.done) {
        z.end();
        return;
      }
      if (!z.write(r.value)) await drainedOrClosed(z);
    }
  };
  // a read error of the compressed input (EIO, a KtriageError from below) ends the output with it
  feed().catch((e: unknown) => {
    feedError = e;
    z.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  try {
    for await (const out of z as AsyncIterable<Buffer>) yield out;
  } catch (e) {
    throw gzipError(feedError ?? e, label);
  } finally {
    z.destroy();
    // stop the source too (closes the file); not awaited: a source waiting on a
    // pipe that never writes again must not hold the caller here
    it.return?.().catch(() => undefined);
  }
}
