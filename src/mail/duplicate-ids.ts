// One Message-ID, several messages. A copy with the same content is a
// re-delivery (a cross-post through two lists, an archive downloaded twice):
// only the first is kept. A copy with other content is another message that
// reused the id (a broken script, a re-send under the same id): it is kept
// under a well-formed id of its own, named after the one it shares, with a note.
// public-inbox does the same on import (a new Message-ID for a different
// message under a known one); we compare what we read, not the raw bytes, so
// the footers and Received: lines each list adds do not make copies differ.

import { createHash } from 'node:crypto';
import { LIMITS } from '../core/limits.js';
import type { Message } from '../core/types.js';

export interface DuplicateIds {
  /** the input in order, re-deliveries dropped, later copies renamed */
  messages: Message[];
  /** re-deliveries dropped (same content as a message already kept) */
  redelivered: number;
  /** distinct copies beyond LIMITS.maxCopiesPerMessageId, left out */
  overflow: Message[];
}

/** The domain renamed copies live in: .invalid (RFC 2606) can never be a real sender's. */
const RENAMED_DOMAIN = 'ktriage.invalid';

// Fields that are how a copy was delivered or what we derived from it, not what it says.
const DELIVERY_FIELDS = new Set<string>(['messageId', 'messageIdInferred', 'origin', 'notes', 'list', 'subjectInfo']);

/** What a message says: every field but its delivery (so a field added to Message later counts too). */
function contentDigest(m: Message): string {
  const h = createHash('sha1');
  for (const [k, v] of Object.entries(m)) {
    if (DELIVERY_FIELDS.has(k) || v === undefined) continue;
    h.update(k)
      .update('\0')
      .update(typeof v === 'string' ? v : JSON.stringify(v))
      .update('\0');
  }
  return h.digest('hex');
}

/**
 * `<5@example.org>` → `<5=example.org.dup2@ktriage.invalid>`: the original
 * readable inside (the '@' as '=', as VERP writes an address in a local part),
 * only dot-atom characters (RFC 5322 3.6.4), so every reader takes it as an id.
 */
export function renamedId(id: string, n: number): string {
  const inner = id.replace(/^<|>$/g, '').replace(/@/g, '=');
  const atom = inner
    .replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '')
    .slice(0, 200);
  return `<${atom || 'id'}.dup${n}@${RENAMED_DOMAIN}>`;
}

export function settleDuplicateIds(input: readonly Message[], maxCopies: number = LIMITS.maxCopiesPerMessageId): DuplicateIds {
  const taken = new Set(input.map((m) => m.messageId));
  // per Message-ID: the content digests kept so far (computed only once an id repeats)
  const kept = new Map<string, { first: Message; digests?: Set<string>; next: number }>();
  const messages: Message[] = [];
  const overflow: Message[] = [];
  let redelivered = 0;
  for (const m of input) {
    const seen = kept.get(m.messageId);
    if (!seen) {
      kept.set(m.messageId, { first: m, next: 2 });
      messages.push(m);
      continue;
    }
    seen.digests ??= new Set([contentDigest(seen.first)]);
    const digest = contentDigest(m);
    if (seen.digests.has(digest)) {
      redelivered++;
      continue;
    }
    if (seen.digests.size >= maxCopies) {
      overflow.push(m);
      continue;
    }
    seen.digests.add(digest);
    // a renamed id that some message of the input already carries is passed over
    let id = renamedId(m.messageId, seen.next++);
    while (taken.has(id)) id = renamedId(m.messageId, seen.next++);
    taken.add(id);
    messages.push({
      ...m,
      messageId: id,
      messageIdInferred: true,
      notes: [...m.notes, `Message-ID ${m.messageId} already names an earlier message with other content; this one is read as ${id}`],
    });
  }
  return { messages, redelivered, overflow };
}
