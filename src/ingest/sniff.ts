// What is this input? Decided from content, never from the file name.

import { LIMITS } from '../core/limits.js';
import { looksLikeHtml } from '../mail/html-text.js';
import { looksLikeMbox } from './mbox.js';
import { detectPageFlavour, type PageFlavour } from './pages.js';

export type InputKind = { kind: 'empty' } | { kind: 'binary'; why: string } | { kind: 'mbox' } | { kind: 'eml' } | { kind: 'html' } | { kind: 'page'; flavour: PageFlavour } | { kind: 'unknown' };

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

export function binaryReason(head: Buffer): string | null {
  const n = Math.min(head.length, LIMITS.sniffBytes);
  if (n === 0) return null;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return 'contains NUL bytes';
    // tab, LF, CR, FF and ESC appear in real mail; other C0 controls do not
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control / n > LIMITS.binaryControlRatio ? 'mostly control bytes' : null;
}

const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]{1,76}:/;
const KNOWN_HEADERS = /^(from|subject|date|message-id|received|return-path|delivered-to|mime-version|to|in-reply-to|references|x-[a-z0-9-]+|list-id|dkim-signature|arc-seal|content-type):/i;

/** An RFC 822 header block: header lines and folded continuations up to a blank line. */
export function looksLikeRfc822(head: string): boolean {
  const lines = head.replace(/^\s*\n/, '').split(/\r?\n/, 400);
  let headerLines = 0;
  let known = 0;
  for (const line of lines) {
    if (line === '') return headerLines > 0 && known > 0;
    if (/^[ \t]/.test(line)) {
      if (headerLines === 0) return false;
      continue;
    }
    if (!HEADER_LINE.test(line)) return false;
    headerLines++;
    if (KNOWN_HEADERS.test(line)) known++;
  }
  // 400 header lines without a blank: only plausible if it ran off the sniff window
  return headerLines > 20 && known > 2;
}

export function sniff(head: Buffer): InputKind {
  if (head.length === 0 || head.toString('latin1').trim() === '') return { kind: 'empty' };
  // An archive is judged message by message (messageDamage): one damaged
  // message, NUL bytes and all, does not make the whole file binary.
  if (looksLikeMbox(head.toString('latin1'))) return { kind: 'mbox' };
  const bin = binaryReason(head);
  if (bin) return { kind: 'binary', why: bin };
  const text = head.toString('utf8');
  if (looksLikeHtml(text)) return { kind: 'html' };
  // A lore message page starts like a header block ("Date: ... [thread overview]",
  // "Message-ID: <...> (raw)"): its markers in the header block decide.
  if (looksLikeRfc822(text)) {
    const headerBlock = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
    return detectPageFlavour(headerBlock) === 'lore' ? { kind: 'page', flavour: 'lore' } : { kind: 'eml' };
  }
  const flavour = detectPageFlavour(text);
  return flavour ? { kind: 'page', flavour } : { kind: 'unknown' };
}

/**
 * What makes one message of an archive unreadable, or null. NUL bytes anywhere
 * (no mail transport passes them; a disk or a download damaged this one), mostly
 * control bytes, or no header block at its start.
 */
export function messageDamage(msg: Buffer): { reason: 'binary' | 'not-mail'; detail: string } | null {
  if (msg.indexOf(0) >= 0) return { reason: 'binary', detail: 'contains NUL bytes' };
  const head = msg.subarray(0, LIMITS.sniffBytes);
  const bin = binaryReason(head);
  if (bin) return { reason: 'binary', detail: `is ${bin}` };
  // only the first line: later header lines may be mangled and mailparser copes
  const first = /^[^\n]*/.exec(head.toString('latin1').replace(/^(?:[ \t]*\r?\n)+/, ''))![0];
  if (first !== '' && !HEADER_LINE.test(first)) return { reason: 'not-mail', detail: 'does not start with a mail header' };
  return null;
}
