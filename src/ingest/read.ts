// Files, directories and stdin to RawMail, streaming where the format allows.

import { createReadStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Origin, RawMail } from '../core/types.js';
import { htmlToText } from '../mail/html-text.js';
import { splitMbox } from './mbox.js';
import { detectPageFlavour, pageMessageToRfc822, parsePage } from './pages.js';
import { binaryReason, isGzip, sniff } from './sniff.js';

export interface ReadOptions {
  /** total decoded bytes accepted from one input */
  maxInputBytes?: number;
  maxMessageBytes?: number;
  /** bulk mode: skip oversize messages instead of failing */
  skipOversize?: boolean;
  onSkip?: (index: number, bytes: number) => void;
  stdin?: NodeJS.ReadableStream;
}

/** Pulls from an async iterator with a look-ahead buffer, so we can sniff then stream. */
class Peekable {
  private head: Buffer[] = [];
  private done = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  async peek(n: number): Promise<Buffer> {
    let have = this.head.reduce((a, b) => a + b.length, 0);
    while (have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      this.head.push(r.value);
      have += r.value.length;
    }
    const all = Buffer.concat(this.head);
    this.head = [all];
    return all.subarray(0, n);
  }

  async *rest(): AsyncGenerator<Buffer> {
    for (const b of this.head) if (b.length) yield b;
    this.head = [];
    if (this.done) return;
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

async function* toBuffers(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const c of stream as AsyncIterable<Buffer | string>) yield typeof c === 'string' ? Buffer.from(c) : c;
}

/** Caps decoded bytes: a gzip bomb or an endless pipe stops here. */
async function* capped(src: AsyncIterable<Buffer>, max: number, label: string, what: string): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const b of src) {
    total += b.length;
    if (total > max) {
      throw new KtriageError('E_TOO_LARGE', `${label}: ${what} more than ${Math.round(max / 1048576)} MiB; refusing to read further`);
    }
    yield b;
  }
}

async function* gunzip(src: AsyncIterable<Buffer>, label: string): AsyncGenerator<Buffer> {
  const z = createGunzip();
  const feed = (async () => {
    try {
      for await (const b of src) if (!z.write(b)) await new Promise((r) => z.once('drain', r));
      z.end();
    } catch (e) {
      z.destroy(e as Error);
    }
  })();
  try {
    for await (const out of z as AsyncIterable<Buffer>) yield out;
  } catch (e) {
    const msg = (e as Error).message || '';
    if (e instanceof KtriageError) throw e;
    if (/unexpected end/i.test(msg)) throw new KtriageError('E_TRUNCATED', `${label}: truncated gzip stream`);
    throw new KtriageError('E_GZIP', `${label}: not a valid gzip stream (${msg})`);
  } finally {
    z.destroy();
    await feed.catch(() => undefined);
  }
}

async function readAll(src: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of src) parts.push(b);
  return Buffer.concat(parts);
}

async function* fromPage(text: string, origin: Origin, hintsHtml?: string): AsyncGenerator<RawMail> {
  let body = text;
  let hints;
  if (hintsHtml !== undefined) {
    const conv = htmlToText(hintsHtml);
    body = conv.text;
    hints = conv.hints;
  }
  const flavour = detectPageFlavour(body);
  if (!flavour) throw new KtriageError('E_NOT_MAIL', `${origin.path}: a web page, but not a mail archive page`);
  const pms = parsePage(body, flavour, hints);
  for (let i = 0; i < pms.length; i++) {
    yield { bytes: pageMessageToRfc822(pms[i]!, origin.path, i), origin: { ...origin, kind: 'page', page: flavour, index: i } };
  }
}

async function* fromStream(chunks: AsyncIterable<Buffer>, origin: Origin, opts: ReadOptions): AsyncGenerator<RawMail> {
  const label = origin.path;
  const maxInput = opts.maxInputBytes ?? LIMITS.maxThreadInputBytes;
  const maxMsg = opts.maxMessageBytes ?? LIMITS.maxMessageBytes;
  let p = new Peekable(chunks[Symbol.asyncIterator]());
  let head = await p.peek(LIMITS.sniffBytes);
  if (isGzip(head)) {
    p = new Peekable(capped(gunzip(p.rest(), label), maxInput, label, 'expands to')[Symbol.asyncIterator]());
    head = await p.peek(LIMITS.sniffBytes);
  } else {
    p = new Peekable(capped(p.rest(), maxInput, label, 'is')[Symbol.asyncIterator]());
    head = await p.peek(LIMITS.sniffBytes);
  }
  const kind = sniff(head);
  switch (kind.kind) {
    case 'empty':
      throw new KtriageError('E_EMPTY', `${label}: empty input`);
    case 'binary':
      throw new KtriageError('E_BINARY', `${label}: binary data, not mail (${kind.why})`);
    case 'unknown':
      throw new KtriageError('E_NOT_MAIL', `${label}: not mail (no mbox separator, no RFC 822 headers, not an archive page)`);
    case 'mbox': {
      let i = 0;
      for await (const bytes of splitMbox(p.rest(), { maxMessageBytes: maxMsg, skipOversize: opts.skipOversize, onSkip: opts.onSkip, label })) {
        const bin = binaryReason(bytes.subarray(0, 4096));
        if (bin && !opts.skipOversize) throw new KtriageError('E_BINARY', `${label}: message ${i + 1} is binary data (${bin})`);
        yield { bytes, origin: { ...origin, kind: origin.kind === 'stdin' ? 'stdin' : 'mbox', index: i++ } };
      }
      return;
    }
    case 'eml': {
      const bytes = await readAll(capped(p.rest(), maxMsg, label, 'is a message of'));
      yield { bytes, origin };
      return;
    }
    case 'html': {
      const html = (await readAll(capped(p.rest(), maxMsg, label, 'is a page of'))).toString('utf8');
      yield* fromPage('', origin, html);
      return;
    }
    case 'page': {
      const text = (await readAll(capped(p.rest(), maxMsg, label, 'is a page of'))).toString('utf8');
      yield* fromPage(text, origin);
      return;
    }
  }
}

async function* fromMaildir(dir: string, opts: ReadOptions): AsyncGenerator<RawMail> {
  const names: string[] = [];
  for (const sub of ['cur', 'new']) {
    let entries: string[] = [];
    try {
      entries = await fsp.readdir(join(dir, sub));
    } catch {
      continue;
    }
    for (const e of entries) if (!e.startsWith('.')) names.push(join(sub, e));
  }
  // Maildir names start with the delivery time: sorting gives arrival order
  names.sort((a, b) => a.slice(4).localeCompare(b.slice(4)));
  if (names.length === 0) throw new KtriageError('E_EMPTY', `${dir}: Maildir has no messages`);
  const max = opts.maxMessageBytes ?? LIMITS.maxMessageBytes;
  for (let i = 0; i < names.length; i++) {
    const path = join(dir, names[i]!);
    const st = await fsp.stat(path);
    if (!st.isFile()) continue;
    if (st.size > max) {
      if (opts.skipOversize) {
        opts.onSkip?.(i, st.size);
        continue;
      }
      throw new KtriageError('E_TOO_LARGE', `${path}: message of ${(st.size / 1048576).toFixed(1)} MB is over the ${Math.round(max / 1048576)} MiB limit`);
    }
    yield* fromStream(toBuffers(createReadStream(path)), { kind: 'maildir', path, index: i }, { ...opts, maxInputBytes: max });
  }
}

/** Every message in a file, Maildir or stdin ('-'). */
export async function* readMails(spec: string, opts: ReadOptions = {}): AsyncGenerator<RawMail> {
  if (spec === '-') {
    const stdin = opts.stdin ?? process.stdin;
    yield* fromStream(toBuffers(stdin), { kind: 'stdin', path: '<stdin>' }, opts);
    return;
  }
  let st;
  try {
    st = await fsp.stat(spec);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KtriageError('E_NOT_FOUND', `${spec}: no such file or directory`);
    throw new KtriageError('E_IO', `${spec}: cannot read (${code ?? (e as Error).message})`);
  }
  if (st.isDirectory()) {
    const isMaildir = await Promise.all(['cur', 'new'].map((d) => fsp.stat(join(spec, d)).then((s) => s.isDirectory(), () => false)));
    if (!isMaildir.some(Boolean)) throw new KtriageError('E_NOT_MAIL', `${spec}: a directory, but not a Maildir (no cur/ or new/)`);
    yield* fromMaildir(spec, opts);
    return;
  }
  if (!st.isFile()) throw new KtriageError('E_IO', `${spec}: not a regular file`);
  const stream = createReadStream(spec, { highWaterMark: 256 * 1024 });
  const wrapped = (async function* () {
    try {
      yield* toBuffers(stream);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new KtriageError('E_IO', `${spec}: cannot read (${code ?? (e as Error).message})`);
    }
  })();
  yield* fromStream(wrapped, { kind: 'eml', path: spec }, opts);
}
