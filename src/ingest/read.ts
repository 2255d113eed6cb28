// Files, directories and stdin to RawMail, streaming where the format allows.

import { createReadStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { KtriageError, type ErrorCode } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Origin, RawMail } from '../core/types.js';
import { htmlToText } from '../mail/html-text.js';
import { gunzip } from './gunzip.js';
import { splitMbox } from './mbox.js';
import { detectPageFlavour, pageMessageToRfc822, parsePage } from './pages.js';
import { isGzip, messageDamage, sniff } from './sniff.js';
import { nothingReadError, sizeText, type SkippedMessage, type SkipReason } from './skips.js';

export type { SkippedMessage, SkipReason } from './skips.js';

export interface ReadOptions {
  /** total decoded bytes accepted from one input */
  maxInputBytes?: number;
  maxMessageBytes?: number;
  /** @deprecated ignored: an archive (mbox, Maildir) always skips and counts its damaged messages */
  skipOversize?: boolean;
  /** each damaged message of an archive, skipped (the rest is read) */
  onSkip?: (skip: SkippedMessage) => void;
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

  /** Stop the source without reading it (a refused input closes its file at once). */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.it.return?.().catch(() => undefined);
  }

  /** Everything, peeked bytes first. Stopping it stops the source (a file closes, zlib is torn down). */
  async *rest(): AsyncGenerator<Buffer> {
    try {
      for (const b of this.head) if (b.length) yield b;
      this.head = [];
      while (!this.done) {
        const r = await this.it.next();
        if (r.done) this.done = true;
        else yield r.value;
      }
    } finally {
      if (!this.done) {
        this.done = true;
        await this.it.return?.();
      }
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
  const raw = new Peekable(chunks[Symbol.asyncIterator]());
  let p = raw;
  try {
    const gz = isGzip(await raw.peek(LIMITS.sniffBytes));
    const maxInput = opts.maxInputBytes ?? LIMITS.maxThreadInputBytes;
    p = new Peekable(capped(gz ? gunzip(raw.rest(), origin.path) : raw.rest(), maxInput, origin.path, gz ? 'expands to' : 'is')[Symbol.asyncIterator]());
    yield* fromSniffed(p, await p.peek(LIMITS.sniffBytes), origin, opts);
  } finally {
    // whatever ended the read (the end, a refusal, a reader that stopped), nothing reads on
    p.close();
    raw.close();
  }
}

async function* fromSniffed(p: Peekable, head: Buffer, origin: Origin, opts: ReadOptions): AsyncGenerator<RawMail> {
  const label = origin.path;
  const maxMsg = opts.maxMessageBytes ?? LIMITS.maxMessageBytes;
  const kind = sniff(head);
  switch (kind.kind) {
    case 'empty':
      throw new KtriageError('E_EMPTY', `${label}: empty input`);
    case 'binary':
      throw new KtriageError('E_BINARY', `${label}: binary data, not mail (${kind.why})`);
    case 'unknown':
      throw new KtriageError('E_NOT_MAIL', `${label}: not mail (no mbox separator, no RFC 822 headers, not an archive page)`);
    case 'mbox': {
      let read = 0;
      const skips: SkippedMessage[] = [];
      const skip = (s: SkippedMessage) => {
        skips.push(s);
        opts.onSkip?.(s);
      };
      // a message's number counts the oversized ones splitMbox skipped before it
      let split = 0;
      let oversized = 0;
      const onOversize = (index: number, bytes: number) => {
        oversized++;
        skip({ index, reason: 'too-large', bytes, detail: `is larger than the ${sizeText(maxMsg)} limit per message` });
      };
      for await (const bytes of splitMbox(p.rest(), { maxMessageBytes: maxMsg, skipOversize: true, onSkip: onOversize, label })) {
        const index = split++ + oversized;
        const damage = messageDamage(bytes);
        if (damage) {
          skip({ index, reason: damage.reason, bytes: bytes.length, detail: damage.detail });
          continue;
        }
        read++;
        yield { bytes, origin: { ...origin, kind: origin.kind === 'stdin' ? 'stdin' : 'mbox', index } };
      }
      if (read === 0 && skips.length) throw nothingReadError(label, skips);
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
  const skips: SkippedMessage[] = [];
  const skip = (s: SkippedMessage) => {
    skips.push(s);
    opts.onSkip?.(s);
  };
  let read = 0;
  for (let i = 0; i < names.length; i++) {
    const path = join(dir, names[i]!);
    const st = await fsp.stat(path);
    if (!st.isFile()) continue;
    if (st.size > max) {
      skip({ index: i, reason: 'too-large', bytes: st.size, detail: `(${names[i]}) is larger than the ${sizeText(max)} limit per message` });
      continue;
    }
    // one file is one message: read it whole, so a damaged one is skipped before anything of it is yielded
    let mails: RawMail[];
    try {
      mails = await readAllMails(fromStream(toBuffers(createReadStream(path)), { kind: 'maildir', path, index: i }, { ...opts, maxInputBytes: max }));
    } catch (e) {
      const reason = e instanceof KtriageError ? DAMAGE_REASON[e.code] : undefined;
      if (!reason) throw e;
      skip({ index: i, reason, bytes: st.size, detail: `(${names[i]}) ${DAMAGE_DETAIL[reason]}` });
      continue;
    }
    read += mails.length;
    yield* mails;
  }
  if (read === 0 && skips.length) throw nothingReadError(dir, skips);
}

/** What a refused Maildir file counts as; other errors (I/O) stop the read. */
const DAMAGE_REASON: Partial<Record<ErrorCode, SkipReason>> = {
  E_BINARY: 'binary',
  E_NOT_MAIL: 'not-mail',
  E_EMPTY: 'not-mail',
  E_TRUNCATED: 'not-mail',
  E_GZIP: 'not-mail',
  E_TOO_LARGE: 'too-large',
};
const DAMAGE_DETAIL: Record<SkipReason, string> = {
  binary: 'is binary data',
  'not-mail': 'is not mail',
  'too-large': 'is over the per-message limit',
  unparseable: 'cannot be parsed as mail',
  'duplicate-id': 'repeats a Message-ID too often',
};

async function readAllMails(src: AsyncIterable<RawMail>): Promise<RawMail[]> {
  const out: RawMail[] = [];
  for await (const m of src) out.push(m);
  return out;
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
    const isMaildir = await Promise.all(
      ['cur', 'new'].map((d) =>
        fsp.stat(join(spec, d)).then(
          (s) => s.isDirectory(),
          () => false,
        ),
      ),
    );
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

/** Every message in bytes from elsewhere (an archive server's answer), sniffed and bounded like a file. */
export function readMailStream(chunks: AsyncIterable<Buffer>, origin: Origin, opts: ReadOptions = {}): AsyncGenerator<RawMail> {
  return fromStream(chunks, origin, opts);
}
