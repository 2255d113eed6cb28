// A follow-up that kept "[PATCH …]" without "Re:" (a reviewer's mailer dropped it,
// or someone typed the subject again) is a reply, not a posting; b4 reads it so
// too (a trailer and no diff in a mail that references another). Left as a
// posting it would become a series of its own.

import type { Message } from '../core/types.js';

const TRAILER_WORDS = ['acked-by:', 'reviewed-by:', 'tested-by:', 'nacked-by:'];

interface BodyShape {
  ownDiff: boolean;
  quotes: boolean;
  trailers: boolean;
  diffstat: boolean;
  signedOff: boolean;
}

/**
 * One pass over the body: a diff of its own, quoted lines, review trailers, a sign-off, a
 * diffstat. It stops at the first diff of its own, which settles the question (a posting's
 * diff can be megabytes of a vendored import, read again at every judgement of its thread).
 */
function bodyShape(body: string): BodyShape {
  const shape: BodyShape = { ownDiff: false, quotes: false, trailers: false, diffstat: false, signedOff: false };
  for (let at = 0; at < body.length;) {
    const end = body.indexOf('\n', at);
    const next = end < 0 ? body.length : end + 1;
    // a quoted line needs no copy (a review can quote a whole vendored import)
    if (body.charCodeAt(at) === 62 /* > */) {
      shape.quotes = true;
      at = next;
      continue;
    }
    const line = body.slice(at, end < 0 ? body.length : end);
    at = next;
    if (line.startsWith('diff --git ') || (line.startsWith('--- ') && body.startsWith('+++ ', next))) {
      shape.ownDiff = true;
      return shape;
    } else if (line.startsWith(' ') && / files? changed(, \d+ insertions?\(\+\))?/.test(line)) shape.diffstat = true;
    else {
      const lower = line.trimStart().toLowerCase();
      if (TRAILER_WORDS.some((w) => lower.startsWith(w))) shape.trailers = true;
      else if (lower.startsWith('signed-off-by:')) shape.signedOff = true;
    }
  }
  return shape;
}

const sender = (m: Message): string => (m.from.address || m.from.name).toLowerCase();

/**
 * True when `m` has a patch subject without "Re:" but is a reply: it answers another
 * mail (In-Reply-To), has no diff (nor a sign-off) of its own, and quotes, carries
 * review trailers, or comes from someone other than the mail it answers. A cover letter (a
 * diffstat and [0/N]) is never one, even when a new author posts it in reply to
 * the previous revision's cover.
 */
export function isFollowUp(m: Message, parent: Message | undefined): boolean {
  const s = m.subjectInfo;
  if (!s.isPatch || s.isReply || !m.inReplyTo) return false;
  const shape = bodyShape(m.body);
  if (shape.ownDiff) return false;
  if (s.counter === 0 && shape.diffstat) return false;
  // a posting whose diff is not in the text (an attachment) still carries its sign-off
  if (shape.signedOff && !shape.quotes) return false;
  return shape.quotes || shape.trailers || (parent !== undefined && sender(parent) !== sender(m));
}

/**
 * The messages with each follow-up marked as a reply (`isReply`, `replyInferred`, a
 * note). Unchanged messages are the same objects; marking twice changes nothing.
 */
export function markFollowUps(messages: Message[]): Message[] {
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  return messages.map((m) => {
    if (!isFollowUp(m, m.inReplyTo ? byId.get(m.inReplyTo) : undefined)) return m;
    return {
      ...m,
      subjectInfo: { ...m.subjectInfo, isReply: true, replyInferred: true },
      notes: [...m.notes, 'a reply that kept the patch subject without "Re:"'],
    };
  });
}
