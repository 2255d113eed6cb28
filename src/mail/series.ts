// Patch series grouped as b4 groups them (LoreMailbox/LoreSeries), one Series per
// posting, so that nothing posted is lost:
//
// 1. postings: patch subjects that are not replies ("Re:", or a follow-up that kept
//    "[PATCH …]", see followup.ts); pull requests are not patches;
// 2. threads: a patch climbs its In-Reply-To chain (or its References, past a
//    review it answers) through earlier members of the same posting (--thread
//    replies to the cover or to 1/N, --chain-reply-to to the previous patch) to its
//    top: the cover, the first patch, or the missing mail they all answer; a counter
//    already taken under that top starts another posting (a re-send threaded under
//    the same cover overwrites nothing);
// 3. lost headers: patches whose top answers no other posting join the latest
//    earlier posting (a cover, or patches) of the same author, length and
//    RESEND-ness within a day, when none of their counters is taken there (b4 reads
//    a series by revision alone);
// 4. revisions: a member whose subject names no version takes its cover's ("[PATCH v3
//    0/2]" over "[PATCH 1/2]"), as b4 does; [PATCH 3/2] is a follow-up extra after
//    the announced two, not a sign of missing patches (b4's "[PATCH 6/5]").
//
// No recursion: climbs are loops bounded by the number of postings.

import { LIMITS } from '../core/limits.js';
import type { Message, Series } from '../core/types.js';
import { isFollowUp } from './followup.js';

/** How far apart the pieces of one posting may be dated when its threading headers
 *  are lost: git send-email and b4 post a series within minutes; a day allows for
 *  slow relays, and a re-send a day later starts its own posting. */
const POSTING_WINDOW_MS = 24 * 3600 * 1000;

interface Group {
  top: string;
  members: Message[];
  cover?: Message;
  slots: Map<number, Message>;
  first: number;
  last: number;
}

const sender = (m: Message): string => m.from.address || m.from.name;
const timeOf = (m: Message): number => {
  const t = m.date ? Date.parse(m.date) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};
/** Counter of a series member, or undefined for a posting read as a single patch. */
const counterOf = (m: Message): number | undefined => {
  const { counter, expected } = m.subjectInfo;
  if (counter === undefined || expected === undefined) return undefined;
  return counter <= LIMITS.maxSeriesLength && expected <= LIMITS.maxSeriesLength ? counter : undefined;
};

/** Revisions agree, or the side naming none belongs under a cover that names one. */
function revisionsAgree(a: Message, b: Message): boolean {
  const sa = a.subjectInfo;
  const sb = b.subjectInfo;
  if (sa.revision === sb.revision) return true;
  if (sa.revisionInferred && !sb.revisionInferred) return sb.counter === 0;
  if (sb.revisionInferred && !sa.revisionInferred) return sa.counter === 0;
  return false;
}

function sameShape(a: Message, b: Message): boolean {
  return a.subjectInfo.expected === b.subjectInfo.expected && a.subjectInfo.isResend === b.subjectInfo.isResend && revisionsAgree(a, b);
}

/** The nearest earlier posting m answers: its In-Reply-To, else the newest present one of its References. */
function postingAbove(m: Message, byId: Map<string, Message>, postings: Set<Message>): Message | undefined {
  const ids = m.inReplyTo ? [m.inReplyTo, ...m.references] : m.references;
  const direct = m.inReplyTo ? byId.get(m.inReplyTo) : undefined;
  if (direct && postings.has(direct)) return direct;
  // References run oldest to newest; In-Reply-To (ids[0]) is checked above
  for (let i = ids.length - 1; i >= (m.inReplyTo ? 1 : 0); i--) {
    const p = byId.get(ids[i]!);
    if (p && postings.has(p)) return p;
  }
  return undefined;
}

/**
 * Top of m's posting by its threading headers: a posting's Message-ID, or the
 * missing mail its members answer. A member may answer a review of its cover
 * ("[PATCH 3/2]" sent in reply to "care to send a third patch?"): its References
 * still lead to the cover.
 */
function topOf(m: Message, byId: Map<string, Message>, postings: Set<Message>): string {
  let cur = m;
  for (let steps = 0; steps <= postings.size; steps++) {
    const k = counterOf(cur)!;
    if (k === 0) return cur.messageId;
    const parent = postingAbove(cur, byId, postings);
    if (!parent) return cur.inReplyTo && !byId.has(cur.inReplyTo) ? `missing:${cur.inReplyTo}|${sender(m)}` : cur.messageId;
    const pk = counterOf(parent);
    if (pk === undefined || pk >= k || !sameShape(cur, parent)) return cur.messageId;
    cur = parent;
  }
  return cur.messageId;
}

/** Where m sits in its posting: 0 for the cover; a single patch is 1 of 1. */
const slotOf = (m: Message): number => counterOf(m) ?? 1;
const slotFree = (g: Group, m: Message): boolean => (slotOf(m) === 0 ? !g.cover : !g.slots.has(slotOf(m)));

function add(g: Group, m: Message): void {
  g.members.push(m);
  if (slotOf(m) === 0) g.cover = m;
  else g.slots.set(slotOf(m), m);
  const t = timeOf(m);
  if (Number.isFinite(t)) {
    g.first = Number.isFinite(g.first) ? Math.min(g.first, t) : t;
    g.last = Number.isFinite(g.last) ? Math.max(g.last, t) : t;
  }
}

function newGroup(top: string, m: Message): Group {
  const g: Group = { top, members: [], slots: new Map(), first: Number.POSITIVE_INFINITY, last: Number.POSITIVE_INFINITY };
  add(g, m);
  return g;
}

/** b (no cover) may join a: same author and shape, within the window, no slot taken twice. */
function canJoin(a: Group, b: Group): boolean {
  const ra = a.cover ?? a.members[0]!;
  const rb = b.members[0]!;
  if (sender(ra) !== sender(rb) || !sameShape(ra, rb)) return false;
  if (Number.isFinite(a.last) && Number.isFinite(b.first) && Math.abs(b.first - a.last) > POSTING_WINDOW_MS) return false;
  return b.members.every((m) => slotFree(a, m));
}

function toSeries(g: Group): Series {
  const head = g.cover ?? g.slots.get(1) ?? g.members[0]!;
  const named = g.members.find((m) => !m.subjectInfo.revisionInferred);
  // a single patch, or a counter past maxSeriesLength read as one
  const expected = counterOf(head) === undefined ? 1 : (head.subjectInfo.expected ?? 1);
  const highest = Math.max(expected, ...g.slots.keys());
  const patchIds = Array.from({ length: highest }, (_, i) => g.slots.get(i + 1)?.messageId ?? '');
  const first = g.members.reduce((a, b) => (timeOf(b) < timeOf(a) ? b : a));
  const series: Series = {
    topic: head.subjectInfo.topic,
    revision: named?.subjectInfo.revision ?? head.subjectInfo.revision,
    revisionInferred: !named,
    expected,
    patchIds,
    author: sender(head),
    complete: patchIds.every(Boolean),
    resend: head.subjectInfo.isResend,
  };
  if (g.cover) series.coverId = g.cover.messageId;
  if (first.date) series.date = first.date;
  return series;
}

const before = <T extends number | string>(a: T, b: T): number => (a === b ? 0 : a < b ? -1 : 1);

/** Every posting of a patch series in `messages`, b4-style: cover [0/N] and its [k/N]. */
export function groupSeries(messages: Message[]): Series[] {
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  // date, then Message-ID: the grouping does not depend on the input's order
  const ordered = [...messages].sort((a, b) => before(timeOf(a), timeOf(b)) || before(a.messageId, b.messageId));
  const postings = new Set(ordered.filter((m) => m.subjectInfo.isPatch && !m.subjectInfo.isReply && !isFollowUp(m, m.inReplyTo ? byId.get(m.inReplyTo) : undefined)));

  // 1-2: by threading headers; singles are postings of their own
  const groups: Group[] = [];
  const byTop = new Map<string, Group>();
  for (const m of postings) {
    if (counterOf(m) === undefined) {
      groups.push(newGroup(m.messageId, m));
      continue;
    }
    const top = topOf(m, byId, postings);
    const g = byTop.get(top);
    if (g && slotFree(g, m) && sameShape(g.cover ?? g.members[0]!, m)) add(g, m);
    else {
      const fresh = newGroup(top, m);
      byTop.set(top, fresh);
      groups.push(fresh);
    }
  }

  // 3: postings whose threading headers were lost join the posting they belong to
  const kept: Group[] = [];
  const byAuthor = new Map<string, Group[]>();
  for (const b of groups) {
    const head = b.cover ?? b.members[0]!;
    const k = counterOf(head);
    const parent = head.inReplyTo ? byId.get(head.inReplyTo) : undefined;
    const threaded = parent !== undefined && postings.has(parent);
    const key = `${sender(head)}|${head.subjectInfo.expected}`;
    const candidates = byAuthor.get(key) ?? [];
    let joined = false;
    // a cover only receives: a lone cover joining an earlier coverless posting could be the next posting's
    if (k !== undefined && !b.cover && !threaded && !b.top.startsWith('missing:')) {
      for (let i = candidates.length - 1, n = 0; i >= 0 && n < LIMITS.maxSeriesJoinCandidates; i--, n++) {
        const a = candidates[i]!;
        if (!canJoin(a, b)) continue;
        for (const m of b.members) add(a, m);
        joined = true;
        break;
      }
    }
    if (joined) continue;
    kept.push(b);
    if (k === undefined) continue;
    if (candidates.length === 0) byAuthor.set(key, candidates);
    candidates.push(b);
  }

  // a cover that does not say [PATCH 0/N] ("[GIT PULL]"-less announcements, hand-written
  // subjects): the mail the first patch answers, when it starts the thread and is its author's
  // (b4 takes such a mail as the cover)
  for (const g of kept) {
    if (g.cover) continue;
    const head = g.slots.get(1) ?? g.members[0]!;
    const parent = head.inReplyTo ? byId.get(head.inReplyTo) : undefined;
    if (parent && !postings.has(parent) && !parent.subjectInfo.isReply && !parent.inReplyTo && sender(parent) === sender(head) && (head.subjectInfo.expected ?? 1) > 1) g.cover = parent;
  }

  return kept
    .map((g, i) => ({ i, g, s: toSeries(g) }))
    .sort((x, y) => x.s.topic.localeCompare(y.s.topic) || x.s.revision - y.s.revision || before(x.g.first, y.g.first) || x.i - y.i)
    .map((x) => x.s);
}
