// Archive pages as people save or paste them, turned back into RFC 822 text.
//
// Three flavours, told apart by content:
// - pipermail message pages (subject, "Name addr at host", date line, body,
//   "More information about the X mailing list");
// - public-inbox/lore pages, thread (/T/) or message (/m/) views: each message
//   has a "From: Name @ 2021-11-30 17:29 UTC (permalink / raw)" or a full
//   header block, and ends at "^ permalink raw reply";
// - flat text: a mail body that lost its headers and maybe every newline.
// A page becomes one message per section with whatever headers it still shows;
// missing Message-IDs are made up from the content and flagged.

import { createHash } from 'node:crypto';
import type { HtmlHints } from '../mail/html-text.js';

export type PageFlavour = 'pipermail' | 'lore' | 'flat';

export interface PageMessage {
  headers: { name: string; value: string }[];
  body: string;
  notes: string[];
}

// [ \t], not \s: with the m flag, \s* crossing newlines made a run of blank lines quadratic
const PIPERMAIL_FOOTER = /^[ \t]*More information about the (.+?) mailing list[ \t]*$/m;
const PIPERMAIL_DATE = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d:\d\d:\d\d) ([A-Z]{1,5}|[+-]\d{4}) (\d{4})\s*$/;
// public-inbox formats the hour with strftime %k: space-padded ("2020-08-25  9:12")
const LORE_FROM = /^From: (.+?) @ (\d{4}-\d\d-\d\d) +(\d{1,2}):(\d\d)(?::(\d\d))? UTC\b/;
const LORE_END = /^\^ permalink raw reply/;
const LORE_MARKERS = /\(permalink \/ raw\)|\^ permalink raw reply|\[thread overview\]|Thread overview: \d+\+? messages|end of thread, other threads:/;

export function detectPageFlavour(text: string): PageFlavour | null {
  const head = text.slice(0, 256 * 1024);
  if (LORE_MARKERS.test(head)) return 'lore';
  if (PIPERMAIL_FOOTER.test(text.slice(-16 * 1024)) || pipermailHeaderAt(head.split('\n', 12)) >= 0) return 'pipermail';
  if (looksLikeKernelMailText(head)) return 'flat';
  return null;
}

/** Enough kernel-mail markers that a headerless text is a mail body, not just any text. */
export function looksLikeKernelMailText(text: string): boolean {
  const markers = [
    /\bdiff --git a\//,
    /^[ \t]*[-+]{3} [ab]\//m,
    /\bSigned-off-by: /,
    /\bundefined reference to\b/,
    /\bmodpost: /,
    /\bCONFIG_[A-Z0-9_]+/,
    /\bconfig [A-Z][A-Z0-9_]+\s+(depends on|bool|tristate|select)\b/,
    /\b[0-9a-f]{12,40} \("[^"\n]{4,}"\)/,
    /\b\d+ files? changed, \d+ (insertion|deletion)/,
    /\[PATCH\b/,
    /(?<![\w/.-])[\w/.-]{1,200}\.[ch]:\d+(:\d+)?: (error|warning|undefined)/,
    /\b(Reported|Acked|Reviewed|Tested)-by: /,
    /^On .{6,120} wrote:$/m,
    /\bkernel test robot\b/,
  ];
  let hits = 0;
  for (const re of markers) if (re.test(text) && ++hits >= 2) return true;
  return false;
}

// ---- pipermail ---------------------------------------------------------------

/** Index of the date line of a pipermail header (subject, from, date), or -1. */
function pipermailHeaderAt(lines: string[]): number {
  for (let i = 1; i < Math.min(lines.length, 12); i++) {
    if (PIPERMAIL_DATE.test(lines[i] ?? '')) return i;
  }
  return -1;
}

const TZ_OFFSETS: Record<string, string> = {
  UTC: '+0000',
  GMT: '+0000',
  UT: '+0000',
  Z: '+0000',
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  CET: '+0100',
  CEST: '+0200',
  BST: '+0100',
  JST: '+0900',
  IST: '+0530',
  EET: '+0200',
  EEST: '+0300',
  AEST: '+1000',
  AEDT: '+1100',
  HKT: '+0800',
};

function pipermailDateToRfc2822(line: string): string | undefined {
  const m = PIPERMAIL_DATE.exec(line);
  if (!m) return undefined;
  const [, dow, mon, day, time, tz, year] = m;
  const off = /^[+-]\d{4}$/.test(tz!) ? tz : TZ_OFFSETS[tz!];
  return `${dow}, ${day} ${mon} ${year} ${time} ${off ?? '+0000'}`;
}

/** "Matt Sealey matt at genesi-usa.com" / "Seth Jennings sjenning at" */
function parsePipermailFrom(line: string): { name: string; address: string; munged: boolean } {
  const t = line.trim();
  // the user is read from its own start and the name is what comes before it
  // (`^(.*?)\s*(\S+)` split a long line every way between the three); a name stays on one line
  const m = /(?<!\S)(\S+) at\s*(\S*)$/.exec(t);
  const name = m ? t.slice(0, m.index).trimEnd() : '';
  if (!m || /[\n\r\u2028\u2029]/.test(name)) return { name: t, address: '', munged: true };
  const [, user, host] = m;
  if (host) return { name: name!.trim(), address: `${user}@${host}`, munged: false };
  return { name: name!.trim(), address: `${user}@unknown.invalid`, munged: true };
}

function parsePipermail(text: string, hints: HtmlHints | undefined): PageMessage[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // Skip leading blank/navigation lines to the subject
  let start = 0;
  while (start < lines.length && !lines[start]!.trim()) start++;
  const window = lines.slice(start, start + 12);
  const dateAt = pipermailHeaderAt(window);
  const notes: string[] = ['archive page (pipermail): headers recovered from the page'];
  const headers: { name: string; value: string }[] = [];
  let bodyStart = start;
  if (dateAt >= 0) {
    const subject = window[0]!.trim();
    // the from line is the last non-empty line before the date, possibly split over two
    const fromLines: string[] = [];
    for (let i = 1; i < dateAt; i++) if (window[i]!.trim()) fromLines.push(window[i]!.trim());
    const from = parsePipermailFrom(fromLines.join(' '));
    if (from.munged) notes.push('sender address cut by the archive');
    headers.push({ name: 'Subject', value: subject });
    headers.push({ name: 'From', value: from.address ? `"${from.name.replace(/"/g, '')}" <${from.address}>` : from.name });
    const date = pipermailDateToRfc2822(window[dateAt]!);
    if (date) headers.push({ name: 'Date', value: date });
    bodyStart = start + dateAt + 1;
  } else {
    notes.push('pipermail header not found; body only');
  }
  let end = lines.length;
  for (let i = lines.length - 1; i >= bodyStart; i--) {
    const fm = PIPERMAIL_FOOTER.exec(lines[i]!);
    if (fm) {
      headers.push({ name: 'List-Id', value: `<${fm[1]!.trim()}>` });
      end = i;
      break;
    }
  }
  // HTML saves carry "Previous message / Next message / Messages sorted by" navigation
  const body = lines
    .slice(bodyStart, end)
    .filter((l) => !/^\s*(Previous message( \(by thread\))?|Next message( \(by thread\))?|Messages sorted by): /.test(l))
    .join('\n');
  if (hints?.inReplyTo) headers.push({ name: 'In-Reply-To', value: hints.inReplyTo });
  return [{ headers, body: body.replace(/^\n+/, '').trimEnd() + '\n', notes }];
}

// ---- lore / public-inbox -----------------------------------------------------------

const LORE_HEADER = /^\s{0,2}(To|Cc|Subject|Date|Message-ID|Message-Id|In-Reply-To|References|From): ?(.*)$/;

/** v without a trailing marker; trimEnd, not /\s*x\s*$/, which is quadratic on long blank runs */
function stripSuffix(v: string, suffix: string): string {
  const t = v.trimEnd();
  return t.endsWith(suffix) ? t.slice(0, -suffix.length).trimEnd() : t;
}

function cleanLoreValue(v: string): string {
  return stripSuffix(stripSuffix(stripSuffix(v, '(raw)'), '[thread overview]'), '(permalink / raw)').trim();
}

function parseLore(text: string, hints: HtmlHints | undefined): PageMessage[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: PageMessage[] = [];
  let lastSubject: string | undefined;
  let rawIdx = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^\* /.test(line)) lastSubject = line.slice(2).trim();
    const short = LORE_FROM.exec(line);
    const full = !short && /^From: \S/.test(line) && i + 1 < lines.length && looksLikeLoreHeaderBlock(lines, i);
    if (!short && !full) {
      i++;
      continue;
    }
    const headers: { name: string; value: string }[] = [];
    const notes = ['archive page (public-inbox): headers recovered from the page'];
    if (short) {
      headers.push({ name: 'From', value: short[1]!.trim() });
      headers.push({ name: 'Date', value: `${short[2]} ${short[3]!.padStart(2, '0')}:${short[4]}:${short[5] ?? '00'} +0000` });
      if (/\(permalink \/ raw\)/.test(line) && hints && hints.rawMessageIds[rawIdx]) {
        headers.push({ name: 'Message-ID', value: hints.rawMessageIds[rawIdx]! });
        rawIdx++;
      }
      i++;
    }
    // header block: "Name: value" lines, indented continuations, up to a blank line
    let cur: { name: string; value: string } | undefined;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (!l.trim()) {
        i++;
        break;
      }
      const hm = LORE_HEADER.exec(l);
      if (hm && (!short || hm[1] !== 'From')) {
        let value = cleanLoreValue(hm[2]!);
        let name = hm[1]!;
        if (name === 'From' && / @ \d{4}-/.test(value)) value = value.replace(/ @ \d{4}-.*$/, '');
        if (name === 'Message-Id') name = 'Message-ID';
        if (name === 'Date') value = stripSuffix(value, '[thread overview]');
        cur = { name, value };
        headers.push(cur);
      } else if (cur && /^\s/.test(l)) {
        cur.value += ' ' + l.trim();
      }
    }
    const bodyLines: string[] = [];
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (LORE_END.test(l)) break;
      if (/^end of thread, other threads:/.test(l) || /^Thread overview: /.test(l)) break;
      if (/^\* /.test(l) && (LORE_FROM.test(lines[i + 1] ?? '') || /^@ \d{4}-/.test(lines[i + 1] ?? '') || /^\s+\d{4}-\d\d-\d\d /.test(lines[i + 1] ?? ''))) break;
      bodyLines.push(l);
    }
    if (!headers.some((h) => h.name === 'Subject') && lastSubject) headers.push({ name: 'Subject', value: lastSubject });
    if (!headers.some((h) => h.name === 'Message-ID') && hints && hints.rawMessageIds[rawIdx]) {
      headers.push({ name: 'Message-ID', value: hints.rawMessageIds[rawIdx]! });
      rawIdx++;
    }
    out.push({ headers, body: bodyLines.join('\n').trimEnd() + '\n', notes });
  }
  if (out.length === 0) return parseFlat(text);
  return out;
}

function looksLikeLoreHeaderBlock(lines: string[], i: number): boolean {
  let seen = 0;
  for (let k = i; k < Math.min(lines.length, i + 30); k++) {
    if (!lines[k]!.trim()) break;
    if (/^\s{0,2}(To|Cc|Subject|Date|Message-I[Dd]|In-Reply-To|References): /.test(lines[k]!)) seen++;
  }
  return seen >= 2;
}

// ---- flat text -------------------------------------------------------------------------

function parseFlat(text: string): PageMessage[] {
  const notes = ['headerless text: no From, Date or Message-ID survived'];
  if (!text.includes('\n') || text.split('\n').length <= 2) notes.push('every line break was lost; lines are recovered heuristically');
  return [{ headers: [], body: text.trim() + '\n', notes }];
}

// ---- assembling ---------------------------------------------------------------------------

export function parsePage(text: string, flavour: PageFlavour, hints?: HtmlHints): PageMessage[] {
  switch (flavour) {
    case 'pipermail':
      return parsePipermail(text, hints);
    case 'lore':
      return parseLore(text, hints);
    case 'flat':
      return parseFlat(text);
  }
}

function headerSafe(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').trim();
}

/**
 * RFC 822 text for a page message. A made-up Message-ID is derived from the
 * body, so the same page always yields the same ID, and is flagged.
 */
export function pageMessageToRfc822(pm: PageMessage, path: string, index: number): Buffer {
  const hs = pm.headers.map((h) => ({ name: h.name, value: headerSafe(h.value) }));
  const extra: string[] = [];
  if (!hs.some((h) => h.name.toLowerCase() === 'message-id')) {
    const digest = createHash('sha1')
      .update(hs.map((h) => h.value).join('\n'))
      .update(pm.body)
      .digest('hex')
      .slice(0, 20);
    hs.push({ name: 'Message-ID', value: `<page-${digest}@ktriage.invalid>` });
    extra.push('X-Ktriage-Inferred: message-id');
  }
  if (!hs.some((h) => h.name.toLowerCase() === 'subject')) extra.push('X-Ktriage-Inferred: subject');
  for (const n of pm.notes) extra.push(`X-Ktriage-Note: ${headerSafe(n)}`);
  extra.push(`X-Ktriage-Page: ${headerSafe(path)}#${index}`);
  const head = [...hs.map((h) => `${h.name}: ${h.value}`), ...extra, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'].join('\n');
  return Buffer.from(`${head}\n\n${pm.body}`, 'utf8');
}
