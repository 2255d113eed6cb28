// Worker side of the parse pool: parseMail for messages the main thread sends,
// one at a time, answering with the Message as JSON and its store encoding, or
// the error. JSON, not the object: the store makes that text anyway, and a
// string crosses threads as one copy where cloning a Message walks it on both
// sides (cloning the 10k kbuild sample's Messages costs ~1 s, parsing their
// JSON ~0.3 s).

import { parentPort } from 'node:worker_threads';
import { parseMail } from '../mail/parse.js';
import { encodeIncoming } from '../store/encode.js';
import type { ParseReply, ParseRequest } from './parse-pool.js';

const port = parentPort;
if (!port) throw new Error('parse-worker runs as a worker thread');

port.on('message', (req: ParseRequest) => {
  // a cloned Buffer arrives as a Uint8Array: the same memory as a Buffer again
  const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
  parseMail({ bytes, origin: req.origin }).then(
    // the store's digest and deflate too: the main thread's other big cost
    (message) => {
      const json = JSON.stringify(message);
      const { sha, raw, parsed } = encodeIncoming(bytes, json);
      // both blobs in one buffer of their size, handed over rather than copied: a deflate's
      // output is a view of a bigger buffer (16 KiB or more), which a clone would copy whole
      const blobs = new Uint8Array(raw.length + parsed.length);
      blobs.set(raw, 0);
      blobs.set(parsed, raw.length);
      port.postMessage({ id: req.id, json, sha, blobs, rawLength: raw.length } satisfies ParseReply, [blobs.buffer]);
    },
    (e: unknown) => port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies ParseReply),
  );
});
