// How a message's bytes go into a store row: its digest, the raw bytes and the
// parsed Message compressed. Apart from message-store.ts (no database here) so a
// parse worker can do this work off the main thread; same calls, same bytes.
//
// Brotli at quality 1: on the 10k kbuild sample it compresses in ~0.76 s what
// zlib's fastest level (what the store wrote before) took ~1.2 s for, to about
// the same size (54.5 MB against 53.4 MB of 124.6 MB raw), and reads back as
// fast. Compression was the largest single cost of a backfill. A brotli blob
// starts with BROTLI_TAG, a byte no zlib stream starts with (a zlib header's
// low nibble is 8, deflate), so the blobs of older stores read as before.
//
// The window is fitted to the blob (lgwin 10..24): most mail is a few KiB, and
// the encoder sets up a window and tables of that size per call.

import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, inflateSync } from 'node:zlib';
import type { Message } from '../core/types.js';

export interface EncodedMessage {
  /** sha256 of the raw bytes, hex */
  sha: string;
  /** the raw bytes compressed */
  raw: Buffer;
  /** the Message as JSON, compressed */
  parsed: Buffer;
}

/** First byte of a brotli blob; zlib's first byte is 0x?8. */
export const BROTLI_TAG = 0x62; // 'b'

/** the smallest window (2^bits bytes, 10..24) holding the whole input */
function windowBits(length: number): number {
  return Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.min(constants.BROTLI_MAX_WINDOW_BITS, Math.ceil(Math.log2(length + 16))));
}

export function compressBlob(bytes: Buffer): Buffer {
  const body = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 1,
      [constants.BROTLI_PARAM_LGWIN]: windowBits(bytes.length),
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = BROTLI_TAG;
  body.copy(out, 1);
  return out;
}

/** The bytes a stored blob holds: brotli (tagged) or, from older stores, zlib. */
export function decompressBlob(blob: Buffer): Buffer {
  return blob[0] === BROTLI_TAG ? brotliDecompressSync(blob.subarray(1)) : inflateSync(blob);
}

export function encodeMessage(m: Message): Buffer {
  return encodeJson(JSON.stringify(m));
}

/** encodeMessage of the Message whose JSON.stringify is `json`. */
export function encodeJson(json: string): Buffer {
  return compressBlob(Buffer.from(json, 'utf8'));
}

export function decodeMessage(blob: Buffer): Message {
  return JSON.parse(decompressBlob(blob).toString('utf8')) as Message;
}

export function shaOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** A row's encoding, from the raw bytes and JSON.stringify of their Message. */
export function encodeIncoming(raw: Buffer, json: string): EncodedMessage {
  return { sha: shaOf(raw), raw: compressBlob(raw), parsed: encodeJson(json) };
}
