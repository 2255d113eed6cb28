// How a message's bytes go into a store row: its digest, the raw bytes and the
// parsed Message deflated. Apart from message-store.ts (no database here) so a
// parse worker can do this work off the main thread; same calls, same bytes.
//
// Deflate at level 1 (zlib's fastest): on real list mail it costs ~60% of the
// default level's time and stores ~5% more bytes; a blob of either level
// inflates to the same bytes, so older stores read as before.
//
// The window is fitted to the blob (windowBits 9..15): most mail is a few KiB,
// and zlib sets up (allocates, clears) its whole 32 KiB window and tables per
// call, a quarter of the time of a small message's deflate. The compressed
// data is the same as with the full window (a window larger than the input
// finds no other match: all 20,000 blobs of the 10k kbuild sample came out
// equal past the 2-byte header, whose window size field differs).

import { createHash } from 'node:crypto';
import { constants, deflateSync } from 'node:zlib';
import type { Message } from '../core/types.js';

export interface EncodedMessage {
  /** sha256 of the raw bytes, hex */
  sha: string;
  /** deflate of the raw bytes */
  raw: Buffer;
  /** deflate of the Message as JSON */
  parsed: Buffer;
}

/** the smallest window (2^bits bytes) holding the whole input with zlib's lookahead (MIN_LOOKAHEAD: 262 bytes) */
function windowBits(length: number): number {
  return Math.max(9, Math.min(15, Math.ceil(Math.log2(length + 262))));
}

export function deflateBlob(bytes: Buffer): Buffer {
  return deflateSync(bytes, { level: constants.Z_BEST_SPEED, windowBits: windowBits(bytes.length) });
}

export function encodeMessage(m: Message): Buffer {
  return encodeJson(JSON.stringify(m));
}

/** encodeMessage of the Message whose JSON.stringify is `json`. */
export function encodeJson(json: string): Buffer {
  return deflateBlob(Buffer.from(json, 'utf8'));
}

export function shaOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** A row's encoding, from the raw bytes and JSON.stringify of their Message. */
export function encodeIncoming(raw: Buffer, json: string): EncodedMessage {
  return { sha: shaOf(raw), raw: deflateBlob(raw), parsed: encodeJson(json) };
}
