// Threads rebuilt from References/In-Reply-To (Jamie Zawinski's algorithm,
// https://www.jwz.org/doc/threading.html), without recursion: mail controls the
// depth of these trees. As public-inbox does (SearchThread), messages are linked
// in date order, so where References contradict each other the earliest mail
// decides, whatever order the input came in. Messages whose parent is unknown are
// joined by subject when the headers were lost (archive pages, broken clients).
// Bogus references ("<y>", addresses) are dropped when the Message-ID headers are
// read (msgid.ts).

import { renamedId } from './duplicate-ids.js';
import { namesNoMessage } from './msgid.js';
import type { Message, Thread, ThreadNode } from '../core/types.js';
import { markFollowUps } from './followup.js';
import { groupSeries } from './series.js';
import { subjectKey } from './subject.js';

export { groupSeries } from './series.js';

interface Container {
  id: string;
  message?: Message;
  parent?: Container;
  children: Container[];
  order: number;
}

function isAncestor(candidate: Container, of: Container): boolean {
  // true if `candidate` is `of` or one of its ancestors
  let c: Container | undefined = of;
  let guard = 0;
  while (c && guard++ < 100_000) {
    if (c === candidate) return true;
    c = c.parent;
  }
  return false;
}

function link(parent: Container, child: Container): void {
  if (child.parent === parent) return;
  if (isAncestor(child, parent)) return; // would make a loop
  if (child.parent) child.parent.children = child.parent.children.filter((c) => c !== child);
  child.parent = parent;
  parent.children.push(child);
}

const compareText = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

function time(m: Message | undefined): number {
  const t = m?.date ? Date.parse(m.date) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * Messages in time order; mail without a date stays right after the message
 * that came before it in the input. (Comparing undated mail by input position
 * inside the sort itself is not a consistent order: one undated message could
 * leave every dated one unsorted.)
 */
export function chronological(messages: Message[]): Message[] {
  let prev = Number.NEGATIVE_INFINITY;
  return messages
    .map((m, i) => {
      const t = time(m);
      if (Number.isFinite(t)) prev = t;
      return { m, i, t: Number.isFinite(t) ? t : prev };
    })
    .sort((a, b) => (a.t === b.t ? a.i - b.i : a.t - b.t))
    .map((x) => x.m);
}

interface Linked {
  byId: Map<string, Container>;
  /** the messages kept (a repeated copy dropped, a reused id renamed), in input order */
  messages: Message[];
}

/**
 * The containers of `input` linked by References/In-Reply-To. Link in date
 * order, then Message-ID, then body: which References win where they
 * contradict, and which copy of a reused Message-ID keeps it, do not depend
 * on the input's order.
 */
function linkMessages(input: Message[]): Linked {
  const byId = new Map<string, Container>();
  let order = 0;
  const get = (id: string): Container => {
    let c = byId.get(id);
    if (!c) {
      c = { id, children: [], order: order++ };
      byId.set(id, c);
    }
    return c;
  };
  const linkOrder = input
    .map((m, i) => ({ m, i, t: time(m) }))
    .sort((a, b) => (a.t === b.t ? 0 : a.t < b.t ? -1 : 1) || compareText(a.m.messageId, b.m.messageId) || compareText(a.m.body, b.m.body) || a.i - b.i);
  const knownIds = new Set(input.map((m) => m.messageId));
  const kept: { m: Message; i: number }[] = [];
  for (const { m: m0, i } of linkOrder) {
    let m = m0;
    let c = get(m.messageId);
    if (c.message) {
      // same Message-ID twice (cross-posts, resends): keep both, the later one gets a suffix
      if (c.message.body === m.body) continue;
      // a well-formed id (the same scheme as when reading an input), never `<id>#2`
      let n = 2;
      while (byId.has(renamedId(m.messageId, n))) n++;
      m = { ...m, messageId: renamedId(m.messageId, n), notes: [...m.notes, `duplicate Message-ID ${m0.messageId}`] };
      c = get(m.messageId);
    }
    c.message = m;
    kept.push({ m, i });
    // "<y>", "<n>": an id without '@' counts only if a message here carries it
    const refs = m.references.filter((r) => !namesNoMessage(r, knownIds));
    if (m.inReplyTo && !namesNoMessage(m.inReplyTo, knownIds) && refs[refs.length - 1] !== m.inReplyTo) refs.push(m.inReplyTo);
    let prev: Container | undefined;
    for (const r of refs) {
      const rc = get(r);
      if (prev && !rc.parent && rc !== prev) link(prev, rc);
      prev = rc;
    }
    if (prev && prev !== c) link(prev, c);
  }
  return { byId, messages: kept.sort((a, b) => a.i - b.i).map((x) => x.m) };
}

/** The thread's root: the top of the first message's chain by headers, even if missing. */
function rootOf(ordered: Message[], byId: Map<string, Container>): string {
  if (!ordered[0]) return '';
  let top: Container = byId.get(ordered[0].messageId)!;
  let guard = 0;
  while (top.parent && guard++ < 100_000) top = top.parent;
  return top.id;
}

/**
 * buildThread(input).rootId without the rest of the Thread (the tree, the
 * series, follow-ups marked): the root depends only on the header links,
 * which marking follow-ups (subjects and notes) does not touch. For the
 * store, which re-threads every batch.
 */
export function threadRootId(input: Message[]): string {
  const { byId, messages } = linkMessages(input);
  return rootOf(chronological(messages), byId);
}

/**
 * One Thread holding every message given (a file may hold a few related
 * threads: a report and the patch posted separately). `nodes` records the tree.
 */
export function buildThread(input: Message[]): Thread {
  // (the messages still come out through chronological(), below)
  const { byId, messages } = linkMessages(markFollowUps(input));

  const nodes: ThreadNode[] = [];
  const present = messages.map((m) => byId.get(m.messageId)!);
  // nearest present ancestor, or the missing top container when none is present
  const parentOf = (c: Container): { id?: string } => {
    let p = c.parent;
    while (p && !p.message && p.parent) p = p.parent;
    return { id: p?.id };
  };

  // subject fallback for messages with no parent by headers
  const firstBySubject = new Map<string, Container>();
  const bySubjectParent = new Map<Container, Container>();
  const reaches = (from: Container, to: Container): boolean => {
    let p: Container | undefined = from;
    let guard = 0;
    while (p && guard++ < 100_000) {
      if (p === to) return true;
      p = p.parent ?? bySubjectParent.get(p);
    }
    return false;
  };
  for (const c of [...present].sort((a, b) => {
    const ta = time(a.message);
    const tb = time(b.message);
    return (ta === tb ? 0 : ta < tb ? -1 : 1) || a.order - b.order;
  })) {
    const m = c.message!;
    const key = subjectKey(m.subjectInfo);
    if (!key) continue;
    const top = firstBySubject.get(key);
    // never under a message of c's own tree (by headers or earlier subject links): that would make a loop
    if (!c.parent && top && top !== c && m.subjectInfo.isReply && !reaches(top, c)) bySubjectParent.set(c, top);
    if (!top) firstBySubject.set(key, c);
  }

  // ancestors holding a message, memoised: one walk per chain, not one per node
  const depths = new Map<Container, number>();
  const depthOf = (c: Container): number => {
    const path: Container[] = [];
    let cur: Container | undefined = c;
    while (cur && !depths.has(cur) && path.length <= byId.size) {
      path.push(cur);
      cur = cur.parent ?? bySubjectParent.get(cur);
    }
    let d = cur ? (depths.get(cur) ?? 0) : 0;
    let above = cur;
    for (let k = path.length - 1; k >= 0; k--) {
      if (above?.message) d++;
      depths.set(path[k]!, d);
      above = path[k];
    }
    return depths.get(c)!;
  };

  for (const c of present) {
    const bySubject = !c.parent ? bySubjectParent.get(c) : undefined;
    const node: ThreadNode = { messageId: c.id, depth: depthOf(c) };
    if (bySubject) {
      node.parentId = bySubject.id;
      node.parentBySubject = true;
    } else {
      const p = parentOf(c);
      if (p.id) node.parentId = p.id;
    }
    nodes.push(node);
  }
  const ordered = chronological(messages);
  const rootId = rootOf(ordered, byId);
  return { rootId, messages: ordered, nodes, series: groupSeries(ordered) };
}
