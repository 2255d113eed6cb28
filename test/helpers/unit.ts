// Small builders for the ingest/mail/extract unit tests: messages, body lines,
// chunked streams, temp dirs. (test/helpers/mail.ts belongs to the analyze tests.)

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message, RawMail } from '../../src/core/types.js';
import { bodyLines, type BodyLine } from '../../src/extract/lines.js';
import { parseSubject } from '../../src/mail/subject.js';

/** A Message built in memory, for extract/ and thread tests. */
export function makeMessage(over: Partial<Message> = {}): Message {
  const subject = over.subject ?? '[PATCH] mm: test';
  return {
    messageId: '<test-1@example.org>',
    messageIdInferred: false,
    references: [],
    from: { name: 'Ada Hacker', address: 'ada@example.org' },
    body: '',
    origin: { kind: 'eml', path: 'test.eml' },
    notes: [],
    ...over,
    to: over.to ?? [],
    cc: over.cc ?? [],
    subject,
    subjectInfo: over.subjectInfo ?? parseSubject(subject),
  };
}

/** Body lines of a text given as an array of lines (joined with LF). */
export function linesOf(text: string | string[], robot = false): BodyLine[] {
  return bodyLines(Array.isArray(text) ? text.join('\n') + '\n' : text, robot);
}

export function raw(text: string | Buffer, path = 'test.eml'): RawMail {
  return { bytes: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), origin: { kind: 'eml', path } };
}

/** The buffer cut at the given offsets, as an async stream of chunks. */
export async function* chunksAt(buf: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let prev = 0;
  for (const c of [...cuts, buf.length]) {
    if (c > prev) yield buf.subarray(prev, c);
    prev = Math.max(prev, c);
  }
}

/** The buffer in pieces of `size` bytes. */
export async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Await a promise expected to reject with a KtriageError of `code`; returns the error. */
export async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<Error & { code: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code !== code) throw new Error(`expected ${code}, got ${err.code ?? 'no code'}: ${err.message}`);
    return err as Error & { code: string };
  }
  throw new Error(`expected rejection with ${code}, but it resolved`);
}

/** A temp dir for one test file; `cleanup` removes it. */
export async function makeTempDir(prefix = 'ktriage-test-'): Promise<{ dir: string; path: (...p: string[]) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, path: (...p) => join(dir, ...p), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
