// Quoted-printable decoding in linear time, in place of the decoder mailparser
// would use.
//
// mailparser decodes quoted-printable parts with libqp (through mailsplit),
// whose decode() first strips the blanks that end each line with
// /[\t ]+$/gm. A run of blanks that does not end its line makes that pattern
// try every start position in the run and scan to its end: quadratic (a 50 KB
// run takes 6 s, 1 MB about 40 minutes), long before any of our limits applies.
// Mail controls those runs, so the decoder is replaced (once, when parse.ts
// loads mailparser) by one doing the same three steps as plain loops, with the
// very same bytes out for quoted-printable text (test/ingest/qp-guard.test.ts
// compares the two on random input): the text a maintainer sees does not
// change. Raw 8-bit bytes, which quoted-printable should not hold but mailers
// send, are copied as they are (as libqp 2.1.2 does; mailparser's 2.1.1 reads
// them as UTF-8 first and writes U+FFFD for every non-ASCII character).

import { createRequire } from 'node:module';
import { Transform, type TransformCallback } from 'node:stream';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const EQ = 0x3d;

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/** Blanks right before a line end (LF or CR) or the end of input are dropped (RFC 2045 6.7 (3)). */
function dropTrailingBlanks(s: Buffer): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  let runStart = -1;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (b === SP || b === TAB) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0) {
      if (b !== LF && b !== CR) n += s.copy(out, n, runStart, i);
      runStart = -1;
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** Soft line breaks: "=" then CRLF or LF, or "=" as the very last byte. */
function dropSoftBreaks(s: Buffer): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (b === EQ) {
      if (s[i + 1] === LF) {
        i += 1;
        continue;
      }
      if (s[i + 1] === CR && s[i + 2] === LF) {
        i += 2;
        continue;
      }
      if (i === s.length - 1) continue;
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** The bytes a quoted-printable body stands for; what libqp 2.1.2's decode() returns, in linear time. */
export function decodeQuotedPrintable(input: Buffer): Buffer {
  const s = dropSoftBreaks(dropTrailingBlanks(input));
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const b = s[i]!;
    if (b === EQ) {
      const hi = hexValue(s[i + 1]);
      const lo = hexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[n++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return Buffer.from(out.subarray(0, n));
}

/** The stream mailsplit builds per quoted-printable part: the whole part, decoded at its end (as libqp's does). */
export class QuotedPrintableDecoder extends Transform {
  inputBytes = 0;
  outputBytes = 0;
  private readonly chunks: Buffer[] = [];

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.length) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      this.chunks.push(b);
      this.inputBytes += b.length;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.inputBytes) {
      const out = decodeQuotedPrintable(Buffer.concat(this.chunks, this.inputBytes));
      this.outputBytes += out.length;
      this.push(out);
    }
    done();
  }
}

/**
 * Put the linear decoder where mailsplit looks it up (`new libqp.Decoder()` for
 * each part). `require` is parse.ts's; the libqp patched is the one mailsplit
 * itself resolves. Returns false when that layout is not found (another
 * mailparser): the guard's time test then fails rather than passing unguarded.
 */
export function guardQuotedPrintable(require: NodeJS.Require): boolean {
  try {
    const fromMailparser = createRequire(require.resolve('mailparser'));
    const fromMailsplit = createRequire(fromMailparser.resolve('@zone-eu/mailsplit'));
    const libqp = fromMailsplit('libqp') as { Decoder?: unknown };
    if (typeof libqp.Decoder !== 'function') return false;
    libqp.Decoder = QuotedPrintableDecoder;
    return true;
  } catch {
    return false;
  }
}
