// The one file that knows mailparser (in maintenance mode; keep it replaceable).
// Bytes in, our Message out.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressObject, ParsedMail } from 'mailparser';

// mailparser loads html-to-text, he and encoding-japanese when it is imported,
// though only HTML bodies and Japanese charsets use them: ~50 ms of every
// `ktriage thread`. They are put in require's cache as stand-ins that load the
// real module on first call. (mailparser is in maintenance mode: this file is
// the only one that knows it.)
const require = createRequire(import.meta.url);
// mailparser's own dependencies (mailsplit, iconv-lite, …), resolved as mailparser resolves them
const mailparserRequire = createRequire(require.resolve('mailparser'));
function lazyModule(name: string): void {
  let path: string;
  try {
    path = mailparserRequire.resolve(name);
  } catch {
    return;
  }
  if (require.cache[path]) return;
  let real: Record<string, unknown> | undefined;
  const load = () => {
    if (!real) {
      delete require.cache[path];
      real = mailparserRequire(name) as Record<string, unknown>;
    }
    return real;
  };
  const exports = new Proxy(
    {},
    {
      get: (_t, key) => {
        if (key === '__esModule') return false;
        // every export mailparser uses from these modules is a function
        return (...args: unknown[]) => (load()[key as string] as (...a: unknown[]) => unknown)(...args);
      },
    },
  );
  require.cache[path] = { id: path, filename: path, loaded: true, exports } as unknown as NodeJS.Module;
}
for (const m of ['html-to-text', 'he', 'encoding-japanese']) lazyModule(m);

// linkify-it compiles its large patterns when mailparser builds its instance at
// load time (~15 ms), for links in text turned into HTML, which PARSER_OPTIONS
// switches off. The stand-in records the configuring calls (tlds, add, set)
// and builds the real instance, replaying them, only if anything else is used.
function lazyLinkify(): void {
  let path: string;
  try {
    path = mailparserRequire.resolve('linkify-it');
  } catch {
    return;
  }
  if (require.cache[path]) return;
  const factory = (...factoryArgs: unknown[]) => {
    const calls: [string, unknown[]][] = [];
    let real: Record<string, (...a: unknown[]) => unknown> | undefined;
    const load = () => {
      if (!real) {
        delete require.cache[path];
        const create = mailparserRequire('linkify-it') as (...a: unknown[]) => Record<string, (...a: unknown[]) => unknown>;
        real = create(...factoryArgs);
        for (const [name, args] of calls) (real[name] as (...a: unknown[]) => unknown)(...args);
      }
      return real;
    };
    const stand: Record<string, unknown> = new Proxy(
      {},
      {
        get: (_t, key) => {
          if (key === 'tlds' || key === 'add' || key === 'set') {
            return (...args: unknown[]) => {
              if (real) (real[key] as (...a: unknown[]) => unknown)(...args);
              else calls.push([key, args]);
              return stand;
            };
          }
          const v = load()[key as string];
          return typeof v === 'function' ? v.bind(real) : v;
        },
      },
    );
    return stand;
  };
  require.cache[path] = { id: path, filename: path, loaded: true, exports: factory } as unknown as NodeJS.Module;
}
lazyLinkify();
const { simpleParser, MailParser } = require('mailparser') as typeof import('mailparser');
guardQuotedPrintable(require); // libqp's decoder is quadratic on long runs of blanks
import { LIMITS } from '../core/limits.js';
import { enclosed } from '../core/text.js';
import type { Address, Message, RawMail } from '../core/types.js';
import { readAttachments } from './attachments.js';
import { htmlToText } from './html-text.js';
import { decodeQuotedPrintable, guardQuotedPrintable } from './qp-guard.js';
import { cleanBody } from './quirks.js';
import { bogusReference, participantAddresses, readMessageId, scanIds } from './msgid.js';
import { findPullRequest } from './pull.js';
import { parseSubject } from './subject.js';

// Text/HTML conversions off: we only need text/plain, and they cost half the time.
const PARSER_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true } as const;

function idList(raw: string[]): string[] {
  return scanIds(raw.join(' ')).slice(-LIMITS.maxReferences);
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): Address {
  const obj = Array.isArray(a) ? a[0] : a;
  const v = obj?.value?.[0];
  if (!v) return { name: '', address: '' };
  let name = (v.name ?? '').trim();
  let address = (v.address ?? '').trim();
  // archives write "user at host"; addressparser takes the words as a name
  if (!address && / at \S/.test(name)) {
    // the user is read from its own start and the name is what comes before it, less the blanks
    // (`^(.*?)\s*(\S+)` split a long name every way between the three); a name stays on one line
    const m = /(?<!\S)(\S+) at (\S+)$/.exec(name);
    const before = m ? name.slice(0, m.index).trimEnd() : '';
    if (m && !/[\n\r\u2028\u2029]/.test(before)) {
      name = before;
      address = `${m[1]}@${m[2]}`;
    }
  }
  return { name, address };
}

function allAddresses(a: AddressObject | AddressObject[] | undefined): Address[] {
  const objs = Array.isArray(a) ? a : a ? [a] : [];
  return objs
    .flatMap((o) => o.value.map((v) => ({ name: (v.name ?? '').trim(), address: (v.address ?? '').trim() })))
    .filter((x) => x.address)
    .slice(0, 64);
}

function listOf(parsed: ParsedMail): string | undefined {
  // mailparser folds List-* into headers.get('list'); read the raw header line instead
  const raw = headerText(parsed, 'list-id')[0]?.replace(/\s+/g, ' ');
  if (raw) {
    // what `/<([^>]+)>/` finds, as a search (the pattern read to the end from every unclosed '<')
    const id = enclosed(raw, '<', '>', 1);
    // a copy: the slice would pin the whole header block (~6 KB on vger) as long as the Message lives
    return Buffer.from((id ? raw.slice(id.start + 1, id.end - 1) : raw).trim(), 'utf8').toString('utf8');
  }
  return undefined;
}

function headerText(parsed: ParsedMail, name: string): string[] {
  const out: string[] = [];
  for (const line of parsed.headerLines) {
    if (line.key === name) out.push(line.line.slice(line.line.indexOf(':') + 1).trim());
  }
  return out;
}

// The parts of mailparser a single-part plain-text mail goes through, used directly (see plainMail).
interface HeaderNode {
  contentType: string | false;
  charset: string | false;
  encoding: string | false;
  disposition: string | false;
  flowed: boolean;
  delSp: boolean;
  headers: { lines: ParsedMail['headerLines']; getList(): unknown[] };
  addHeaderChunk(line: Buffer): void;
  parseHeaders(): void;
}
const { MimeNode } = mailparserRequire('@zone-eu/mailsplit') as { MimeNode: new (parent: false, config: object) => HeaderNode };
// processHeaders reads only its options and libmime: one instance serves every message. The
// HTML and text forms it makes of each address list are never read here (he.encode, ~5% of a parse).
const headerReader = Object.assign(new MailParser(PARSER_OPTIONS), { getAddressesHTML: () => '', getAddressesText: () => '' }) as unknown as {
  processHeaders(lines: unknown[]): ParsedMail['headers'];
  libmime: { decodeFlowed(text: string, delSp: boolean): string; normalizeCharset(charset: string): string };
};
const iconv = mailparserRequire('iconv-lite') as { decode(bytes: Buffer, charset: string): string };
/** charsets of one byte a character (as libmime names them), where decoding a part whole equals decoding its chunks */
const SINGLE_BYTE_CHARSET = /^(?:windows-125\d|ISO-8859-\d{1,2}|KOI8-[RU])$/;
/** the headers parseMail reads from mailparser's decoding; the rest it reads raw from headerLines */
const DECODED_HEADERS = new Set(['subject', 'from', 'to', 'cc']);
const LF = 0x0a;
const CR = 0x0d;
/** mailsplit's header limit is 1 MiB; past this much a header goes the whole way, limits and all */
const PLAIN_HEADER_MAX = 64 * 1024;

/** Where the header block ends: just past its first empty line (mailsplit splits lines at LF), or -1. */
function headerEnd(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length && at <= PLAIN_HEADER_MAX) {
    if (bytes[at] === LF) return at + 1;
    if (bytes[at] === CR && bytes[at + 1] === LF) return at + 2;
    const nl = bytes.indexOf(LF, at);
    if (nl < 0) return -1;
    at = nl + 1;
  }
  return -1;
}

/**
 * What simpleParser gives for a mail of one text/plain part in UTF-8, ASCII or a one-byte
 * charset (latin-1, …), as 7bit, 8bit or quoted-printable, flowed or not, with no
 * Content-Disposition other than inline: 98 mails in 100 on the lists.
 * The same header parsing (mailsplit's MimeNode, mailparser's processHeaders) and the same body
 * decoding (the whole part, then `\r\n` to `\n`), without the streams around them, which cost
 * most of simpleParser's time. Anything else returns undefined and goes through simpleParser;
 * test/mail/plain-parse.test.ts holds the two equal on every fixture (and they were on all
 * 13,000 messages of ../shared's bench, corpus and traffic).
 */
function plainMail(bytes: Buffer): Pick<ParsedMail, 'headerLines' | 'headers' | 'subject' | 'from' | 'to' | 'cc' | 'text' | 'attachments' | 'html'> | undefined {
  const end = headerEnd(bytes);
  if (end < 0) return undefined;
  const node = new MimeNode(false, PARSER_OPTIONS);
  node.addHeaderChunk(bytes.subarray(0, end));
  node.parseHeaders();
  // inline (what mutt writes) is how mailparser reads a part with no disposition
  if (node.contentType !== 'text/plain' || (node.disposition && node.disposition !== 'inline')) return undefined;
  if (!['', '7bit', '8bit', 'quoted-printable'].includes(node.encoding || '')) return undefined;
  // mailparser leaves UTF-8 and ASCII as they are and converts the rest with iconv-lite
  const charset = node.charset || 'utf-8';
  const converted = !['ascii', 'usascii', 'utf8'].includes(charset.toLowerCase().replace(/[^a-z0-9]+/g, ''));
  const iconvName = converted ? headerReader.libmime.normalizeCharset(charset) : undefined;
  if (iconvName !== undefined && !SINGLE_BYTE_CHARSET.test(iconvName)) return undefined;
  // each line is decoded on its own, so the four parseMail reads come out as from all of them
  const headers = headerReader.processHeaders((node.headers.getList() as { key: string }[]).filter((l) => DECODED_HEADERS.has(l.key)));
  let body = bytes.subarray(end);
  if (node.encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  // mailsplit's FlowedDecoder, on the whole part as it does
  if (node.flowed && body.length) body = Buffer.from(headerReader.libmime.decodeFlowed(body.toString('binary'), node.delSp), 'binary');
  const text = (iconvName !== undefined ? iconv.decode(body, iconvName) : body.toString()).replace(/\r?\n/g, '\n');
  const get = <K extends 'subject' | 'from' | 'to' | 'cc'>(key: K) => headers.get(key) as ParsedMail[K];
  return {
    headerLines: node.headers.lines,
    headers,
    subject: get('subject'),
    from: get('from'),
    to: get('to'),
    cc: get('cc'),
    // mailparser leaves text out for an empty body
    text: text || undefined,
    html: false,
    attachments: [],
  };
}

/** Whether parseMail reads `bytes` without simpleParser (for the tests that hold the two equal). */
export function readsPlain(bytes: Buffer): boolean {
  return plainMail(bytes) !== undefined;
}

/** `viaSimpleParser`: every mail through simpleParser, as before the plain path (tests, comparisons). */
export async function parseMail(raw: RawMail, opts: { viaSimpleParser?: boolean } = {}): Promise<Message> {
  const parsed = (opts.viaSimpleParser ? undefined : plainMail(raw.bytes)) ?? (await simpleParser(raw.bytes, PARSER_OPTIONS));
  const notes = headerText(parsed, 'x-ktriage-note');
  const inferred = headerText(parsed, 'x-ktriage-inferred');
  // read from the raw header: mailparser keeps a fold or tab inside the id, and splits References on them
  let messageId = readMessageId(headerText(parsed, 'message-id')[0]);
  let messageIdInferred = inferred.includes('message-id');
  if (!messageId) {
    const digest = createHash('sha1').update(raw.bytes).digest('hex').slice(0, 20);
    messageId = `<nomsgid-${digest}@ktriage.invalid>`;
    messageIdInferred = true;
    notes.push('no Message-ID header; one was derived from the content');
  }
  let text = parsed.text ?? '';
  if (!text.trim() && typeof parsed.html === 'string' && parsed.html) {
    text = htmlToText(parsed.html).text;
    notes.push('HTML-only mail; text taken from the HTML part');
  }
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim();
  const addresses = participantAddresses(firstAddress(parsed.from), allAddresses(parsed.to), allAddresses(parsed.cc), listOf(parsed));
  const real = (id: string) => id !== messageId && !bogusReference(id, addresses);
  const references = idList(headerText(parsed, 'references')).filter(real);
  const inReplyTo = idList(headerText(parsed, 'in-reply-to')).find(real) ?? references[references.length - 1];
  // mailparser turns an unparseable Date header into "now"; read the header ourselves
  const rawDate = headerText(parsed, 'date')[0]?.replace(/\s+/g, ' ');
  const date = rawDate ? new Date(rawDate) : undefined;
  const attachments = readAttachments(
    (parsed.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      charset: (a.headers?.get('content-type') as { params?: { charset?: string } } | undefined)?.params?.charset,
      content: a.content,
    })),
    notes,
  );
  const message: Message = {
    messageId,
    messageIdInferred,
    inReplyTo,
    references,
    from: firstAddress(parsed.from),
    to: allAddresses(parsed.to),
    cc: allAddresses(parsed.cc),
    date: date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined,
    subject,
    subjectInfo: parseSubject(subject),
    list: listOf(parsed),
    body: cleanBody(text),
    ...(attachments.length ? { attachments } : {}),
    origin: raw.origin,
    notes,
  };
  const pull = findPullRequest(message.body);
  if (pull) message.pull = pull;
  return message;
}
