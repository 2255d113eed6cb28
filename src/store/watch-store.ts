// What the watch loop (src/daemon/) asks of the store beyond ingest's
// queries: a thread row as it is now (a result computed while the thread
// changed is dropped), its members' Message-IDs, how many messages it had
// when last judged, when a message arrived, and the error rows of the things
// the loop could not do (migration 5 in store-db.ts).

import type { Statement } from 'better-sqlite3';
import type { StoreDb } from './store-db.js';

export interface ThreadRow {
  id: number;
  rootId: string;
  lists: string[];
  count: number;
}

export type WatchErrorStage = 'parse' | 'source' | 'triage' | 'post' | 'store';

export interface WatchError {
  stage: WatchErrorStage;
  source?: string;
  threadRoot?: string;
  messageId?: string;
  detail: string;
}

interface Statements {
  thread: Statement;
  memberIds: Statement;
  judged: Statement;
  setJudged: Statement;
  addedAt: Statement;
  insertError: Statement;
  errors: Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      thread: db.prepare('SELECT id, root_id AS rootId, lists, message_count AS count FROM threads WHERE id = ?'),
      memberIds: db.prepare('SELECT m.message_id AS id FROM thread_messages tm JOIN messages m ON m.id = tm.message WHERE tm.thread = ?'),
      judged: db.prepare('SELECT message_count AS n FROM thread_judgements WHERE root_id = ?'),
      setJudged: db.prepare(
        'INSERT INTO thread_judgements(root_id, message_count, judged_at) VALUES (?, ?, ?) ON CONFLICT(root_id) DO UPDATE SET message_count = excluded.message_count, judged_at = excluded.judged_at',
      ),
      addedAt: db.prepare('SELECT added_at AS at FROM messages WHERE message_id = ?'),
      insertError: db.prepare('INSERT INTO watch_errors(stage, source, thread_root, message_id, detail, at) VALUES (?, ?, ?, ?, ?, ?)'),
      errors: db.prepare('SELECT stage, source, thread_root AS threadRoot, message_id AS messageId, detail, at FROM watch_errors ORDER BY id DESC LIMIT ?'),
    };
    prepared.set(db, s);
  }
  return s;
}

export function threadRow(db: StoreDb, id: number): ThreadRow | undefined {
  const r = statements(db).thread.get(id) as { id: number; rootId: string; lists: string; count: number } | undefined;
  return r && { ...r, lists: JSON.parse(r.lists) as string[] };
}

/** The Message-IDs (as stored) of a thread row's messages. */
export function threadMemberIds(db: StoreDb, threadId: number): string[] {
  return (statements(db).memberIds.all(threadId) as { id: string }[]).map((r) => r.id);
}

/** How many messages the thread under this root had when it was last judged (0: never). */
export function judgedCount(db: StoreDb, rootId: string): number {
  return (statements(db).judged.get(rootId) as { n: number } | undefined)?.n ?? 0;
}

export function setJudgedCount(db: StoreDb, rootId: string, count: number, now: Date = new Date()): void {
  statements(db).setJudged.run(rootId, count, now.toISOString());
}

/** When the store first saw this message. */
export function messageAddedAt(db: StoreDb, messageId: string): Date | undefined {
  const at = (statements(db).addedAt.get(messageId) as { at: string } | undefined)?.at;
  return at ? new Date(at) : undefined;
}

export function recordWatchError(db: StoreDb, e: WatchError, now: Date = new Date()): void {
  statements(db).insertError.run(e.stage, e.source ?? null, e.threadRoot ?? null, e.messageId ?? null, e.detail.slice(0, 2000), now.toISOString());
}

export function recentWatchErrors(db: StoreDb, limit = 20): (WatchError & { at: string })[] {
  return (statements(db).errors.all(limit) as (WatchError & { at: string })[]).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null))) as (WatchError & { at: string })[];
}
