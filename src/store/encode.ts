// How a message's bytes go into a store row: its digest, the raw bytes and the
// parsed Message deflated. Apart from message-store.ts (no database here) so a
// parse worker can do this work off the main thread; same calls, same bytes.

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Message } from '../core/types.js';

export interface EncodedMessage {
  /** sha256 of the raw bytes, hex */
  sha: string;
  /** deflate of the raw bytes */
  raw: Buffer;
  /** deflate of the Message as JSON */
  parsed: Buffer;
}

export function encodeMessage(m: Message): Buffer {
  return deflateSync(Buffer.from(JSON.stringify(m), 'utf8'));
}

export function shaOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

export function encodeIncoming(raw: Buffer, message: Message): EncodedMessage {
  return { sha: shaOf(raw), raw: deflateSync(raw), parsed: encodeMessage(message) };
}
