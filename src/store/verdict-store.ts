// Verdicts with their history, and posts. A thread gets a new verdict row only
// when its verdict or the patch it judges changed: judging a thread again after
// an unrelated reply adds nothing, so the history reads as what changed when.
// A post is recorded under an idempotency key (UNIQUE): the daemon asks
// before it sends, and a rerun after a crash cannot post twice.

import type { Statement } from 'better-sqlite3';
import type { Message, Verdict } from '../core/types.js';
import { toJson } from '../report/render.js';
import { decodeMessage } from './message-store.js';
import { engineVersion, type StoreDb } from './store-db.js';

export interface StoredVerdict {
  id: number;
  threadRoot: string;
  patchId: string | null;
  patchRevision: number | null;
  verdict: string;
  confidence: number;
  summary: string;
  engineVersion: string;
  indexTree: string | null;
  judgedAt: string;
}

interface Statements {
  latest: Statement;
  history: Statement;
  insert: Statement;
  dirty: Statement;
  members: Statement;
  clean: Statement;
  postByKey: Statement;
  insertPost: Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    const cols = `id, thread_root AS threadRoot, patch_id AS patchId, patch_revision AS patchRevision, verdict, confidence, summary,
      engine_version AS engineVersion, index_tree AS indexTree, judged_at AS judgedAt`;
    s = {
      latest: db.prepare(`SELECT ${cols} FROM verdicts WHERE thread_root = ? ORDER BY id DESC LIMIT 1`),
      history: db.prepare(`SELECT ${cols} FROM verdicts WHERE thread_root = ? ORDER BY id`),
      insert: db.prepare(
        `INSERT INTO verdicts(thread_root, patch_id, patch_revision, verdict, confidence, summary, engine_version, index_tree, judged_at, json)
         VALUES (@threadRoot, @patchId, @patchRevision, @verdict, @confidence, @summary, @engineVersion, @indexTree, @judgedAt, @json)`,
      ),
      dirty: db.prepare('SELECT id, root_id AS rootId, message_count AS count FROM threads WHERE dirty = 1 ORDER BY id LIMIT ?'),
      members: db.prepare('SELECT m.parsed FROM thread_messages tm JOIN messages m ON m.id = tm.message WHERE tm.thread = ? ORDER BY m.id'),
      clean: db.prepare('UPDATE threads SET dirty = 0 WHERE id = ?'),
      postByKey: db.prepare('SELECT id FROM posts WHERE idempotency_key = ?'),
      insertPost: db.prepare(
        `INSERT OR IGNORE INTO posts(idempotency_key, thread_root, verdict, kind, destination, content, posted_at)
         VALUES (@key, @threadRoot, @verdict, @kind, @destination, @content, @postedAt)`,
      ),
    };
    prepared.set(db, s);
  }
  return s;
}

/** The patch a verdict stands on: the latest patch with the thread's verdict that answers a failure, else the latest with that verdict. */
export function judgedPatch(v: Verdict): string | undefined {
  const same = v.patches.filter((p) => p.verdict === v.verdict);
  return (same.filter((p) => p.answers.length).pop() ?? same.pop())?.messageId;
}

export function latestVerdict(db: StoreDb, threadRoot: string): StoredVerdict | undefined {
  return statements(db).latest.get(threadRoot) as StoredVerdict | undefined;
}

export function verdictHistory(db: StoreDb, threadRoot: string): StoredVerdict[] {
  return statements(db).history.all(threadRoot) as StoredVerdict[];
}

/**
 * Record a thread's verdict; a row is added only when the verdict, the judged
 * patch or its confidence (to the hundredth) changed: the same evidence judged
 * again adds nothing, new evidence (a report the patch names arriving) does.
 * Returns whether one was.
 */
export function recordVerdict(db: StoreDb, threadRoot: string, v: Verdict, messages: readonly Message[], now: Date = new Date()): boolean {
  const s = statements(db);
  const patchId = judgedPatch(v) ?? null;
  const last = s.latest.get(threadRoot) as StoredVerdict | undefined;
  if (last && last.verdict === v.verdict && last.patchId === patchId && Math.round(last.confidence * 100) === Math.round(v.confidence * 100)) return false;
  const patch = patchId ? messages.find((m) => m.messageId === patchId) : undefined;
  s.insert.run({
    threadRoot,
    patchId,
    patchRevision: patch ? patch.subjectInfo.revision : null,
    verdict: v.verdict,
    confidence: v.confidence,
    summary: v.summary,
    engineVersion: engineVersion(),
    indexTree: v.index?.tree ?? null,
    judgedAt: now.toISOString(),
    json: JSON.stringify(toJson(v)),
  });
  return true;
}

export interface DirtyThread {
  id: number;
  rootId: string;
  count: number;
}

/** Threads whose messages changed since they were last judged (oldest first). */
export function dirtyThreads(db: StoreDb, limit = 1000): DirtyThread[] {
  return statements(db).dirty.all(limit) as DirtyThread[];
}

/** The parsed messages of a thread row, in arrival order. */
export function threadMessages(db: StoreDb, threadId: number): Message[] {
  return (statements(db).members.all(threadId) as { parsed: Buffer }[]).map((r) => decodeMessage(r.parsed));
}

export function markJudged(db: StoreDb, threadId: number): void {
  statements(db).clean.run(threadId);
}

export interface PostRecord {
  key: string;
  threadRoot?: string;
  verdictId?: number;
  kind: 'file' | 'smtp' | 'outbox';
  destination: string;
  content: string;
}

/** Record a post once per idempotency key: false when that key was already posted. */
export function recordPost(db: StoreDb, post: PostRecord, now: Date = new Date()): boolean {
  const info = statements(db).insertPost.run({
    key: post.key,
    threadRoot: post.threadRoot ?? null,
    verdict: post.verdictId ?? null,
    kind: post.kind,
    destination: post.destination,
    content: post.content,
    postedAt: now.toISOString(),
  });
  return info.changes === 1;
}

export function wasPosted(db: StoreDb, key: string): boolean {
  return statements(db).postByKey.get(key) !== undefined;
}
