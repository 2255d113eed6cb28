// Message-IDs as they arrive in Message-ID, In-Reply-To and References headers,
// read the way public-inbox reads them (PublicInbox::MID): whitespace inside the
// angle brackets is a header fold or a stray tab and is dropped, and references
// that cannot name a message are ignored, so they do not hang unrelated mail
// under one ghost parent.

import type { Address } from '../core/types.js';
import { LIMITS } from '../core/limits.js';

const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/**
 * Every `<id>` in a raw header value, in order, as `<id>`: one linear scan;
 * whitespace inside the brackets is unfolded ("<2024...-1-\r\n\tada@host>" is one
 * id); a '<' before the '>' restarts; an id longer than maxMessageIdChars is skipped.
 */
export function scanIds(raw: string): string[] {
  const out: string[] = [];
  let cur: string[] | null = null;
  let len = 0;
  for (const ch of raw) {
    if (ch === '<') {
      cur = [];
      len = 0;
    } else if (ch === '>') {
      if (cur && len > 0 && len <= LIMITS.maxMessageIdChars) out.push(`<${cur.join('')}>`);
      cur = null;
    } else if (cur && !isSpace(ch)) {
      // past the limit the id is dropped anyway: stop storing it
      if (++len <= LIMITS.maxMessageIdChars) cur.push(ch);
    }
  }
  return out;
}

/** The one Message-ID of a header value: `<id>`, or a bare `id@host` some mailers write. */
export function readMessageId(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const [first] = scanIds(raw);
  if (first) return first;
  // a bare "id@host", or one that lost its opening '<' ("5899…@host>")
  const t = raw.trim().replace(/^<|>$/g, '');
  if (t.length <= LIMITS.maxMessageIdChars && /^[^\s<>][^\s<>@]*@[^\s<>]+$/.test(t)) return `<${t}>`;
  return undefined;
}

/** Posting address of a list from its List-Id ("linux-pm.vger.kernel.org" → "linux-pm@vger.kernel.org"). */
function listAddress(listId: string | undefined): string | undefined {
  if (!listId || listId.includes('@')) return listId?.toLowerCase();
  const dot = listId.indexOf('.');
  return dot > 0 ? `${listId.slice(0, dot)}@${listId.slice(dot + 1)}`.toLowerCase() : undefined;
}

/**
 * A reference that names no message: an address of the mail's own sender,
 * recipients or list (pasted into In-Reply-To, or old mailers' "In-Reply-To:
 * <user@host>'s message of ..."). (Ids without '@': namesNoMessage.)
 */
export function bogusReference(id: string, addresses: readonly string[]): boolean {
  const bare = id.slice(1, -1);
  return bare.includes('@') && addresses.includes(bare.toLowerCase());
}

/**
 * An id without '@' ("<y>", "<n>", "<yes>", a bare date) names a message only
 * if one in the same input carries exactly that id; otherwise it would hang
 * unrelated mail under one ghost parent. Decided when the thread is built.
 */
export function namesNoMessage(id: string, known: ReadonlySet<string>): boolean {
  return !id.slice(1, -1).includes('@') && !known.has(id);
}

/** The addresses a reference must not equal: sender, recipients and the list. */
export function participantAddresses(from: Address, to: readonly Address[], cc: readonly Address[], list?: string): string[] {
  const out = [from, ...to, ...cc].map((a) => a.address.toLowerCase()).filter(Boolean);
  const l = listAddress(list);
  if (l) out.push(l);
  return out;
}
