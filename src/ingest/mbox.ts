// Streaming mbox splitter for mboxo and mboxrd (what lore's t.mbox.gz serves).
//
// A message starts at a "From " line that has the From_ shape (sender, then a
// date: "From mboxrd@z Thu Jan  1 00:00:00 1970", git's "From <sha> Mon Sep 17
// 00:00:00 2001"). Lines quoted as ">From " / ">>From " lose one '>' (mboxrd;
// for mboxo this is what every reader does too). Memory holds one message plus
// one read chunk, never the whole file.

import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';

const HEADER_START = /^[\x21-\x39\x3b-\x7e]{1,76}:[ \t]/;
const FROM_LINE = /^From \S+ +(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[, ]|\S+ +\S+ +\d)/;
const NL = 0x0a;
const FROM_AFTER_NL = Buffer.from('\nFrom ', 'latin1');

/** Does a line starting "From " begin at `pos` (or might it, the chunk ending first)? */
function isFromAt(chunk: Buffer, pos: number): boolean {
  const n = Math.min(5, chunk.length - pos);
  for (let i = 0; i < n; i++) if (chunk[pos + i] !== FROM_AFTER_NL[i + 1]) return false;
  return true;
}

export function isFromLine(line: string): boolean {
  return FROM_LINE.test(line);
}

/** Sniff: does this text start (after blank lines) with an mbox From_ line? */
export function looksLikeMbox(head: string): boolean {
  const firstLine = head.replace(/^\s*\n/, '').split('\n', 1)[0] ?? '';
  return isFromLine(firstLine);
}

export interface MboxOptions {
  maxMessageBytes?: number;
  /** skip (and count) oversize messages instead of failing: for bulk ingest */
  skipOversize?: boolean;
  onSkip?: (index: number, bytes: number) => void;
  label?: string;
}

function unescapeFromLines(msg: Buffer): Buffer {
  // fast path: no '>From ' anywhere
  if (msg.indexOf('>From ') < 0) return msg;
  const text = msg.toString('latin1'); // byte-preserving
  return Buffer.from(text.replace(/^>(>*From )/gm, '$1'), 'latin1');
}

/** Drop the From_ line and the blank separator line that ends each message. */
function finishMessage(lines: Buffer[], total: number): Buffer {
  let buf = Buffer.concat(lines, total);
  const firstNl = buf.indexOf(NL);
  buf = firstNl >= 0 ? buf.subarray(firstNl + 1) : Buffer.alloc(0);
  let end = buf.length;
  // mbox separates messages by one blank line; strip exactly one
  if (end >= 2 && buf[end - 1] === NL && buf[end - 2] === NL) end -= 1;
  else if (end >= 4 && buf.subarray(end - 4, end).toString('latin1') === '\r\n\r\n') end -= 2; // CRLF files
  return unescapeFromLines(buf.subarray(0, end));
}

/**
 * Split a byte stream into messages. Throws E_TRUNCATED when the stream ends in
 * the middle of a line or in the headers of its last message, E_TOO_LARGE for an
 * oversized message (unless skipOversize), E_NOT_MAIL when it is not an mbox.
 */
export async function* splitMbox(chunks: AsyncIterable<Buffer>, opts: MboxOptions = {}): AsyncGenerator<Buffer> {
  const max = opts.maxMessageBytes ?? LIMITS.maxMessageBytes;
  const label = opts.label ?? 'input';
  let cur: Buffer[] = [];
  let curBytes = 0;
  let oversize = false;
  let index = 0;
  let started = false;
  let prevBlank = true;

  const flush = function* (): Generator<Buffer> {
    if (!started) return;
    if (oversize) {
      opts.onSkip?.(index, curBytes);
    } else if (cur.length) {
      yield finishMessage(cur, curBytes);
    }
    index++;
    cur = [];
    curBytes = 0;
    oversize = false;
  };

  // A From_ line right after a non-blank line (mail concatenated without the
  // blank separator) only splits when the next line is a header.
  let pending: Buffer | null = null;

  const takeLine = function* (line: Buffer): Generator<Buffer> {
    if (pending) {
      const p = pending;
      pending = null;
      if (HEADER_START.test(line.subarray(0, 80).toString('latin1'))) {
        yield* flush();
        started = true;
      }
      yield* takeLine2(p);
    }
    // "From " check only on candidate lines: cheap first-byte test
    if (line.length > 5 && line[0] === 0x46 && line[4] === 0x20) {
      const head = line.subarray(0, Math.min(line.length, 200)).toString('latin1');
      if (isFromLine(head)) {
        if (prevBlank || !started) {
          yield* flush();
          started = true;
        } else {
          pending = line;
          return;
        }
      }
    }
    yield* takeLine2(line);
  };

  const takeLine2 = function* (line: Buffer): Generator<Buffer> {
    if (!started) {
      if (line.toString('latin1').trim() === '') return; // leading blank lines
      throw new KtriageError('E_NOT_MAIL', `${label}: not an mbox (first line is not a "From " separator)`);
    }
    prevBlank = line.length === 1 || (line.length === 2 && line[0] === 0x0d);
    if (oversize) {
      curBytes += line.length;
      return;
    }
    cur.push(line);
    curBytes += line.length;
    if (curBytes > max) {
      if (!opts.skipOversize) {
        throw new KtriageError('E_TOO_LARGE', `${label}: message ${index + 1} is larger than the ${Math.round(max / 1048576)} MiB limit per message`);
      }
      oversize = true;
      cur = [];
    }
  };

  // A run of whole lines none of which starts "From ", taken at once: what
  // takeLine2 does line by line, with the same bytes kept and counted.
  const takeBlock = (block: Buffer): void => {
    const last = block.length < 2 ? 0 : block.lastIndexOf(NL, block.length - 2) + 1;
    const lastLen = block.length - last;
    prevBlank = lastLen === 1 || (lastLen === 2 && block[last] === 0x0d);
    curBytes += block.length;
    if (oversize) return;
    cur.push(block);
    if (curBytes > max) {
      if (!opts.skipOversize) {
        throw new KtriageError('E_TOO_LARGE', `${label}: message ${index + 1} is larger than the ${Math.round(max / 1048576)} MiB limit per message`);
      }
      oversize = true;
      cur = [];
    }
  };

  // The unfinished last line of a chunk, kept as parts and joined once its
  // newline comes: joining at every chunk is quadratic in the line's length (a
  // gzip bomb of one endless line spent 24 s here before any limit applied).
  let carry: Buffer[] = [];
  let carryBytes = 0;
  // the rest of a line too long for any message is counted, not kept
  let droppingLine = false;

  const dropCarry = () => {
    if (!opts.skipOversize) throw new KtriageError('E_TOO_LARGE', `${label}: a line of message ${index + 1} exceeds the per-message limit`);
    oversize = true;
    cur = [];
    curBytes += carryBytes;
    carry = [];
    carryBytes = 0;
    droppingLine = true;
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    let pos = 0;
    const first = chunk.indexOf(NL);
    if (droppingLine) {
      curBytes += first < 0 ? chunk.length : first + 1;
      if (first < 0) continue;
      droppingLine = false;
      prevBlank = false;
      pos = first + 1;
    } else if (carryBytes && first >= 0) {
      carry.push(chunk.subarray(0, first + 1));
      const line = Buffer.concat(carry, carryBytes + first + 1);
      carry = [];
      carryBytes = 0;
      yield* takeLine(line);
      pos = first + 1;
    }
    for (;;) {
      // inside a message, the lines up to the next "From " line are one block
      // (most of an archive; a generator step per line cost more than the rest of the split)
      if (started && !pending && !isFromAt(chunk, pos)) {
        const from = chunk.indexOf(FROM_AFTER_NL, pos);
        const end = from >= 0 ? from + 1 : chunk.lastIndexOf(NL) + 1;
        if (end > pos) {
          takeBlock(chunk.subarray(pos, end));
          pos = end;
        }
      }
      const nl = chunk.indexOf(NL, pos);
      if (nl < 0) break;
      yield* takeLine(chunk.subarray(pos, nl + 1));
      pos = nl + 1;
    }
    if (pos < chunk.length) {
      // a copy: the slice would pin the whole read chunk
      carry.push(Buffer.from(chunk.subarray(pos)));
      carryBytes += chunk.length - pos;
      if (carryBytes > max) dropCarry();
    }
  }
  if (pending) {
    const p: Buffer = pending;
    pending = null;
    yield* takeLine2(p);
  }
  if (carryBytes || droppingLine) {
    // The last line has no newline: a cut file. Every mbox writer ends messages with one.
    throw new KtriageError('E_TRUNCATED', `${label}: truncated mbox: message ${index + 1} ends mid-line (no final newline)`);
  }
  if (started && !oversize && cur.length) {
    const last = Buffer.concat(cur, curBytes);
    // headers must end with a blank line before the body
    const headerEnd = last.indexOf('\n\n');
    const headerEndCrlf = last.indexOf('\r\n\r\n');
    if (headerEnd < 0 && headerEndCrlf < 0) {
      throw new KtriageError('E_TRUNCATED', `${label}: truncated mbox: message ${index + 1} ends inside its headers`);
    }
    const missing = missingClosingBoundary(last);
    if (missing) {
      throw new KtriageError('E_TRUNCATED', `${label}: truncated mbox: message ${index + 1} stops before its MIME end boundary "--${missing}--"`);
    }
  }
  yield* flush();
  if (!started) throw new KtriageError('E_EMPTY', `${label}: no messages found`);
}

/** The boundary of a multipart message whose closing delimiter never comes. */
export function missingClosingBoundary(msg: Buffer): string | null {
  const headEnd = msg.indexOf('\n\n');
  const head = msg
    .subarray(0, headEnd < 0 ? msg.length : headEnd)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  const ct = /^content-type:\s*multipart\/[^;\n]*;[^\n]*?boundary="?([^";\n]+)"?/im.exec(head);
  if (!ct) return null;
  const boundary = ct[1]!.trim();
  return msg.indexOf(`--${boundary}--`) >= 0 ? null : boundary;
}
