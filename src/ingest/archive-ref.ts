// What `ktriage thread <arg>` names when it is not a file: a Message-ID, bare or
// in a public-inbox (lore) URL, and which archive to ask for its thread. Pure:
// the caller says whether a file exists and what the configuration holds.
// The forms are b4's (b4/__init__.py get_msgid, get_pi_thread_by_msgid).

import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';

/** An inbox of a public-inbox server: `<base>/<list>/<msgid>/t.mbox.gz` is a thread. */
export interface ArchiveInbox {
  /** scheme, host and any path prefix the server is mounted under, no trailing '/' */
  base: string;
  /** the inbox name ("linux-mm"), or "all" for a server's combined index */
  list: string;
}

export type InputRef =
  | { kind: 'stdin' }
  | { kind: 'file'; path: string }
  /** a Message-ID without brackets; `inbox` when the input was an archive URL */
  | { kind: 'message-id'; messageId: string; inbox?: ArchiveInbox };

/** lore.kernel.org: the documented default, as in b4 (`b4.midmask`). */
export const DEFAULT_ARCHIVE = 'https://lore.kernel.org/all/%s';

/** Path segments that lore serves as redirectors, not inboxes: the thread lives under "all". */
const REDIRECTOR_LISTS = new Set(['r']);

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * File, stdin or Message-ID, decided one way: '-' is stdin; an existing path is
 * a file (it wins over any reading as an id); a URL or a string with an '@' (or
 * a percent-encoded one) is a Message-ID; anything else is a file name, which
 * then fails as a missing file.
 */
export function classifyInput(arg: string, exists: (path: string) => boolean): InputRef {
  if (arg === '-') return { kind: 'stdin' };
  if (exists(arg)) return { kind: 'file', path: arg };
  const text = arg.trim();
  const scheme = SCHEME.exec(text);
  if (scheme) return fromUrl(text, scheme[1]!.toLowerCase());
  if (text.includes('@') || /%40/i.test(text)) return { kind: 'message-id', messageId: bareMessageId(text) };
  return { kind: 'file', path: arg };
}

/** `<id>`, `id`, `id:id`, `rfc822msgid:id`, `id%40host` → `id@host`. */
export function bareMessageId(text: string): string {
  let id = text.trim();
  // notmuch and mutt spell it "id:…"; b4 strips any "<word>id:" prefix the same way
  id = id.replace(/^\w*id:/i, '');
  id = unbracket(id);
  // a percent-encoded id (copied from a URL) has no '@' of its own
  if (!id.includes('@') && /%40/i.test(id)) id = decode(id);
  return checkMessageId(id, text);
}

/** Angle brackets around an id, stripped without a regex (a run of '>' is no attack). */
function unbracket(id: string): string {
  let start = 0;
  let end = id.length;
  while (start < end && id[start] === '<') start++;
  while (end > start && id[end - 1] === '>') end--;
  return id.slice(start, end);
}

function checkMessageId(id: string, input: string): string {
  if (!id || !id.includes('@')) throw new KtriageError('E_USAGE', `not a Message-ID: ${JSON.stringify(input)} (expected id@host, <id@host>, or a lore URL)`);
  if (id.length > LIMITS.maxMessageIdChars) throw new KtriageError('E_USAGE', `a Message-ID of ${id.length} characters is not one (RFC 5322 lines stop at 998)`);
  if (/[\s<>\u0000-\u001f\u007f]/.test(id)) throw new KtriageError('E_USAGE', `not a Message-ID: ${JSON.stringify(input)} (spaces, brackets or control characters inside)`);
  return id;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new KtriageError('E_USAGE', `bad percent-encoding in ${JSON.stringify(segment)}`);
  }
}

/**
 * `https://host[/prefix]/<list>/<id>[/T/#u | /t.mbox.gz | /raw | …]`: the id is
 * the first path segment holding an '@' once decoded, the list the segment
 * before it (lore's `/r/` redirector and a missing list mean "all"). Segments
 * are split before decoding, so an id with an encoded '/' stays one id.
 */
function fromUrl(text: string, scheme: string): InputRef {
  if (scheme !== 'http' && scheme !== 'https') throw new KtriageError('E_USAGE', `${text}: only http and https archive URLs are read (not ${scheme}:)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new KtriageError('E_USAGE', `${text}: not a valid URL`);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const at = segments.findIndex((s) => decode(s).includes('@'));
  if (at < 0) throw new KtriageError('E_USAGE', `${text}: no Message-ID in this URL (expected …/<list>/<id@host>/)`);
  const messageId = checkMessageId(unbracket(decode(segments[at]!)), text);
  // a patchwork URL (…/project/<p>/patch/<id>/) names the id, not a public-inbox inbox
  if (at >= 3 && segments[at - 1] === 'patch' && segments[at - 3] === 'project') return { kind: 'message-id', messageId };
  const listSegment = at > 0 ? decode(segments[at - 1]!) : undefined;
  const prefix = segments.slice(0, Math.max(0, at - 1)).join('/');
  const base = `${url.protocol}//${url.host}${prefix ? `/${prefix}` : ''}`;
  const list = !listSegment || REDIRECTOR_LISTS.has(listSegment) ? 'all' : listSegment;
  return { kind: 'message-id', messageId, inbox: { base, list } };
}

/**
 * An archive as configured: a b4 midmask (`https://lore.kernel.org/all/%s`),
 * an inbox URL (`http://127.0.0.1:8080/linux-mm/`) or a server alone
 * (`https://lore.kernel.org`, meaning its "all" index).
 */
export function parseArchive(spec: string, from: string): ArchiveInbox {
  const text = spec.trim();
  const masked = text.includes('%s') ? text.slice(0, text.indexOf('%s')) : text;
  const scheme = SCHEME.exec(masked)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new KtriageError('E_USAGE', `${from}: ${JSON.stringify(spec)} is not an http or https URL`);
  let url: URL;
  try {
    url = new URL(masked);
  } catch {
    throw new KtriageError('E_USAGE', `${from}: ${JSON.stringify(spec)} is not a valid URL`);
  }
  if (url.search || url.hash) throw new KtriageError('E_USAGE', `${from}: ${JSON.stringify(spec)}: an archive URL has no query or fragment`);
  const segments = url.pathname.split('/').filter(Boolean).map(decode);
  const last = segments.pop();
  const base = `${url.protocol}//${url.host}${segments.length ? `/${segments.map(encodeURIComponent).join('/')}` : ''}`;
  return { base, list: !last || REDIRECTOR_LISTS.has(last) ? 'all' : last };
}

export interface ArchiveChoice {
  /** --archive */
  flag?: string;
  /** KTRIAGE_ARCHIVE */
  env?: string;
  /** git config b4.midmask, read only when needed */
  midmask?: () => string | undefined;
}

/**
 * Where to fetch the thread: an explicit choice (--archive, then KTRIAGE_ARCHIVE)
 * wins, so a lore URL can be read from a mirror; else the URL's own server and
 * list, as b4 does; else b4.midmask; else lore.kernel.org/all.
 */
export function chooseInbox(ref: { inbox?: ArchiveInbox }, choice: ArchiveChoice): { inbox: ArchiveInbox; from: string } {
  if (choice.flag) return { inbox: parseArchive(choice.flag, '--archive'), from: '--archive' };
  if (choice.env) return { inbox: parseArchive(choice.env, 'KTRIAGE_ARCHIVE'), from: 'KTRIAGE_ARCHIVE' };
  if (ref.inbox) return { inbox: ref.inbox, from: 'the URL' };
  const midmask = choice.midmask?.();
  if (midmask) return { inbox: parseArchive(midmask, 'git config b4.midmask'), from: 'b4.midmask' };
  return { inbox: parseArchive(DEFAULT_ARCHIVE, 'the default archive'), from: 'the default archive' };
}

/** `<base>/<list>/<id>/t.mbox.gz`, the id escaped as one path segment ('@' kept, as lore writes it). */
export function threadMboxUrl(inbox: ArchiveInbox, messageId: string): string {
  return `${inbox.base}/${encodeURIComponent(inbox.list)}/${encodeURIComponent(messageId).replace(/%40/g, '@')}/t.mbox.gz`;
}
