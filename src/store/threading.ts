// Threads of the store, kept up to date as messages arrive. Only what changed
// is re-threaded: the messages not yet placed, and the stored threads they
// touch (a parent or reply by Message-ID, a header-less reply's topic). Those
// are split again with splitThreads (the same rules as for a file) and their
// thread rows replaced, marked dirty for judging. A thread that gains a new
// root (its parent arrived late, two threads joined) carries its verdict
// history along.
//
// A backfill places each batch in the transaction that stores it (placeRows,
// the rows inserted already marked threaded) and keeps the Messages it last
// used in a MessageMemo, so the threads a batch touches are not inflated and
// parsed from the store again and again.

import type { Statement } from 'better-sqlite3';
import type { Message } from '../core/types.js';
import { splitThreads } from '../mail/split-threads.js';
import { subjectKey } from '../mail/subject.js';
import { chronological, threadRootId } from '../mail/thread.js';
import { decodeMessage } from './message-store.js';
import type { StoreDb } from './store-db.js';

interface Statements {
  pending: Statement;
  threadOfMessageId: Statement;
  threadsReferencing: Statement;
  threadsByTopic: Statement;
  threadOfRow: Statement;
  members: Statement;
  parsedOf: Statement;
  rootOf: Statement;
  threadByRoot: Statement;
  deleteThread: Statement;
  deleteMembers: Statement;
  insertThread: Statement;
  insertMember: Statement;
  markThreaded: Statement;
  reroot: Statement;
  linkingThreads: Statement;
  markDirty: Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      pending: db.prepare('SELECT id, lists, parsed FROM messages WHERE threaded = 0 ORDER BY id LIMIT ?'),
      threadOfMessageId: db.prepare('SELECT tm.thread AS thread FROM messages m JOIN thread_messages tm ON tm.message = m.id WHERE m.message_id = ?'),
      threadsReferencing: db.prepare('SELECT DISTINCT tm.thread AS thread FROM message_refs r JOIN thread_messages tm ON tm.message = r.message WHERE r.ref_id = ?'),
      // a reply that lost its threading headers joins the earliest message of its topic (split-threads.ts)
      threadsByTopic: db.prepare('SELECT DISTINCT tm.thread AS thread FROM messages m JOIN thread_messages tm ON tm.message = m.id WHERE m.topic = ? LIMIT 8'),
      threadOfRow: db.prepare('SELECT thread FROM thread_messages WHERE message = ?'),
      // the parsed blob only for a member the memo lacks
      members: db.prepare('SELECT m.id, m.lists FROM thread_messages tm JOIN messages m ON m.id = tm.message WHERE tm.thread = ?'),
      parsedOf: db.prepare('SELECT parsed FROM messages WHERE id = ?'),
      rootOf: db.prepare('SELECT root_id FROM threads WHERE id = ?'),
      threadByRoot: db.prepare('SELECT id FROM threads WHERE root_id = ?'),
      deleteThread: db.prepare('DELETE FROM threads WHERE id = ?'),
      deleteMembers: db.prepare('DELETE FROM thread_messages WHERE thread = ?'),
      insertThread: db.prepare(
        `INSERT INTO threads(root_id, subject, lists, first_date, last_activity, message_count, updated_at, dirty)
         VALUES (@rootId, @subject, @lists, @firstDate, @lastActivity, @count, @updatedAt, 1)`,
      ),
      insertMember: db.prepare('INSERT OR REPLACE INTO thread_messages(message, thread) VALUES (?, ?)'),
      markThreaded: db.prepare('UPDATE messages SET threaded = 1 WHERE id = ?'),
      reroot: db.prepare('UPDATE verdicts SET thread_root = ? WHERE thread_root = ?'),
      // threads whose patches name this message as the report they answer (report-links.ts)
      linkingThreads: db.prepare(
        'SELECT DISTINCT tm.thread AS thread FROM report_links l JOIN messages m ON m.message_id = l.patch_id JOIN thread_messages tm ON tm.message = m.id WHERE l.report_id = ?',
      ),
      markDirty: db.prepare('UPDATE threads SET dirty = 1 WHERE id = ?'),
    };
    prepared.set(db, s);
  }
  return s;
}

interface Row {
  id: number;
  lists: string;
  parsed: Buffer;
}

/** A stored message with its Message: `lists` as stored (a JSON array). */
export interface PlacedRow {
  id: number;
  lists: string;
  message: Message;
}

/**
 * The Messages of the rows last stored or threaded, by row id, the least
 * recently used dropped past `limit`. A row's parsed Message never changes once
 * stored, so what the memo holds is what decoding the row would give.
 */
export class MessageMemo {
  private readonly map = new Map<number, Message>();
  constructor(private readonly limit: number) {}

  get(id: number): Message | undefined {
    const m = this.map.get(id);
    if (m) {
      this.map.delete(id);
      this.map.set(id, m);
    }
    return m;
  }

  set(id: number, m: Message): void {
    this.map.delete(id);
    this.map.set(id, m);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
}

export interface RethreadResult {
  /** messages placed in threads */
  placed: number;
  /** thread rows written (new or replaced) */
  threads: number;
}

/** Place every message not yet threaded; `batch` messages per transaction. */
export function rethreadPending(db: StoreDb, opts: { batch?: number; now?: Date; memo?: MessageMemo } = {}): RethreadResult {
  const s = statements(db);
  const batch = opts.batch ?? 500;
  const total: RethreadResult = { placed: 0, threads: 0 };
  for (;;) {
    const pending = s.pending.all(batch) as Row[];
    if (!pending.length) return total;
    const r = db.transaction(() => {
      const rows = pending.map((p) => ({ id: p.id, lists: p.lists, message: opts.memo?.get(p.id) ?? decodeMessage(p.parsed) }));
      const placed = rethreadRows(s, rows, opts.now ?? new Date(), opts.memo);
      for (const p of pending) s.markThreaded.run(p.id);
      return placed;
    })();
    total.placed += r.placed;
    total.threads += r.threads;
  }
}

/**
 * Place rows just stored already marked threaded (addBatch's `threaded`), in
 * the caller's transaction: the one that stored them, so a kill leaves both or neither.
 */
export function placeRows(db: StoreDb, rows: readonly PlacedRow[], opts: { now?: Date; memo?: MessageMemo } = {}): RethreadResult {
  if (!rows.length) return { placed: 0, threads: 0 };
  if (!db.inTransaction) throw new Error('placeRows runs in the transaction that stored the rows');
  return rethreadRows(statements(db), rows, opts.now ?? new Date(), opts.memo);
}

function rethreadRows(s: Statements, pending: readonly PlacedRow[], now: Date, memo?: MessageMemo): RethreadResult {
  const rows = new Map<number, PlacedRow>();
  for (const r of pending) {
    rows.set(r.id, r);
    memo?.set(r.id, r.message);
  }
  const messageOf = (id: number): Message => {
    let m = memo?.get(id);
    if (!m) {
      m = decodeMessage((s.parsedOf.get(id) as { parsed: Buffer }).parsed);
      memo?.set(id, m);
    }
    return m;
  };
  // the stored threads these messages touch
  const affected = new Set<number>();
  const add = (row: unknown) => {
    const t = (row as { thread: number } | undefined)?.thread;
    if (t !== undefined) affected.add(t);
  };
  for (const { id, message: m } of rows.values()) {
    add(s.threadOfRow.get(id));
    for (const ref of [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])]) {
      add(s.threadOfMessageId.get(ref));
      // a parent not stored (yet): the threads hanging under the same missing message
      for (const t of s.threadsReferencing.all(ref)) add(t);
    }
    for (const t of s.threadsReferencing.all(m.messageId)) add(t);
    if (m.subjectInfo.isReply && !m.inReplyTo && !m.references.length) {
      const topic = subjectKey(m.subjectInfo);
      if (topic) for (const t of s.threadsByTopic.all(topic)) add(t);
    }
  }
  // old root -> one of its messages, so its verdict history can follow that message's new thread
  const oldRoots = new Map<string, number>();
  const loaded = new Set<number>();
  let groups: { rootId: string; messages: Message[] }[];
  for (;;) {
    for (const t of affected) {
      if (loaded.has(t)) continue;
      loaded.add(t);
      const members = s.members.all(t) as Omit<Row, 'parsed'>[];
      for (const r of members) if (!rows.has(r.id)) rows.set(r.id, { ...r, message: messageOf(r.id) });
      const root = (s.rootOf.get(t) as { root_id: string } | undefined)?.root_id;
      if (root && members.length) oldRoots.set(root, members[0]!.id);
    }
    groups = threadGroups([...rows.values()]);
    // a thread whose root a new group shares (both under one message the store lacks, or joined by subject) is merged too
    const more = groups.map((g) => (s.threadByRoot.get(g.rootId) as { id: number } | undefined)?.id).filter((t): t is number => t !== undefined && !affected.has(t));
    if (!more.length) break;
    for (const t of more) affected.add(t);
  }
  for (const t of affected) {
    s.deleteMembers.run(t);
    s.deleteThread.run(t);
  }
  const rowOf = new Map<string, PlacedRow>();
  for (const r of rows.values()) rowOf.set(r.message.messageId, r);
  let threads = 0;
  for (const { rootId, messages: group } of groups) {
    const dates = group
      .map((m) => m.date)
      .filter((d): d is string => Boolean(d))
      .sort();
    const lists = new Set<string>();
    for (const m of group) for (const l of JSON.parse(rowOf.get(m.messageId)!.lists) as string[]) lists.add(l);
    const root = rowOf.get(rootId)?.message ?? group[0]!;
    const info = s.insertThread.run({
      rootId,
      subject: root.subject,
      lists: JSON.stringify([...lists].sort()),
      firstDate: dates[0] ?? null,
      lastActivity: dates[dates.length - 1] ?? null,
      count: group.length,
      updatedAt: now.toISOString(),
    });
    const tid = Number(info.lastInsertRowid);
    const ids = new Set<number>();
    for (const m of group) {
      const id = rowOf.get(m.messageId)!.id;
      ids.add(id);
      s.insertMember.run(id, tid);
    }
    // verdicts recorded under a root whose messages are now in this thread follow them
    for (const [old, member] of oldRoots) if (old !== rootId && ids.has(member)) s.reroot.run(rootId, old);
    threads++;
  }
  // a patch judged before the report it names arrived is judged again with it: the verdict
  // is then the same whichever came first (a backfill's order, a restart after a kill)
  for (const r of pending) for (const t of s.linkingThreads.all(r.message.messageId)) s.markDirty.run((t as { thread: number }).thread);
  return { placed: pending.length, threads };
}

/** The rows split into threads, each named by its root; groups that come out under one root are one thread. */
function threadGroups(rows: PlacedRow[]): { rootId: string; messages: Message[] }[] {
  const ordered = chronological(rows.sort((a, b) => a.id - b.id).map((r) => r.message));
  const byRoot = new Map<string, Message[]>();
  for (const group of splitThreads(ordered)) {
    const rootId = threadRootId(group);
    const have = byRoot.get(rootId);
    if (have) have.push(...group);
    else byRoot.set(rootId, group);
  }
  return [...byRoot].map(([rootId, messages]) => ({ rootId, messages }));
}
