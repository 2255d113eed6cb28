// The posts table as the poster (daemon/poster.ts) uses it: one row per
// idempotency key (UNIQUE), moving outbox → (queued → sent | failed | cancelled).
// Times are ISO 8601 in UTC, so they compare as strings.

import type { Statement } from 'better-sqlite3';
import type { StoreDb } from './store-db.js';

/** outbox: written, not to be sent; queued: to send when due; sent; failed: given up (kept); cancelled: superseded before it went out */
export type PostStatus = 'outbox' | 'queued' | 'sent' | 'failed' | 'cancelled';

export interface NewPost {
  key: string;
  threadRoot: string;
  verdictId: number;
  verdictKind: string;
  confidence: number;
  list: string | null;
  patchId: string | null;
  patchRevision: number | null;
  topic: string | null;
  author: string | null;
  messageId: string;
  recipients: string[];
  /** the outbox file, or the SMTP host the reply goes to */
  kind: 'outbox' | 'smtp';
  destination: string;
  content: string;
  status: 'outbox' | 'queued';
  notBefore: string | null;
  createdAt: string;
}

export interface PostRow {
  id: number;
  key: string;
  threadRoot: string;
  verdictId: number;
  verdictKind: string;
  confidence: number;
  list: string | null;
  patchId: string | null;
  patchRevision: number | null;
  topic: string | null;
  author: string | null;
  messageId: string;
  recipients: string;
  destination: string;
  content: string;
  status: PostStatus;
  notBefore: string | null;
  attempts: number;
  firstAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}

interface Statements {
  insert: Statement;
  byKey: Statement;
  due: Statement;
  nextDue: Statement;
  sentSince: Statement;
  sentSinceList: Statement;
  oldestSent: Statement;
  oldestSentList: Statement;
  samePatch: Statement;
  olderRevisions: Statement;
  cancel: Statement;
  attempt: Statement;
  sent: Statement;
  retry: Statement;
  failed: Statement;
  byStatus: Statement;
  refresh: Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

const COLS = `id, idempotency_key AS key, thread_root AS threadRoot, verdict AS verdictId, verdict_kind AS verdictKind, confidence, list,
  patch_id AS patchId, patch_revision AS patchRevision, topic, author, message_id AS messageId, recipients, destination, content, status,
  not_before AS notBefore, attempts, first_attempt_at AS firstAttemptAt, next_attempt_at AS nextAttemptAt, last_error AS lastError,
  sent_at AS sentAt, posted_at AS createdAt`;

function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO posts(idempotency_key, thread_root, verdict, verdict_kind, confidence, list, patch_id, patch_revision, topic, author,
           message_id, recipients, kind, destination, content, status, not_before, next_attempt_at, posted_at)
         VALUES (@key, @threadRoot, @verdictId, @verdictKind, @confidence, @list, @patchId, @patchRevision, @topic, @author,
           @messageId, @recipients, @kind, @destination, @content, @status, @notBefore, @notBefore, @createdAt)`,
      ),
      byKey: db.prepare(`SELECT ${COLS} FROM posts WHERE idempotency_key = ?`),
      due: db.prepare(`SELECT ${COLS} FROM posts WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
      nextDue: db.prepare(`SELECT min(next_attempt_at) AS t FROM posts WHERE status = 'queued'`),
      sentSince: db.prepare(`SELECT count(*) AS n FROM posts WHERE status = 'sent' AND sent_at > ?`),
      sentSinceList: db.prepare(`SELECT count(*) AS n FROM posts WHERE status = 'sent' AND sent_at > ? AND list = ?`),
      oldestSent: db.prepare(`SELECT min(sent_at) AS t FROM posts WHERE status = 'sent' AND sent_at > ?`),
      oldestSentList: db.prepare(`SELECT min(sent_at) AS t FROM posts WHERE status = 'sent' AND sent_at > ? AND list = ?`),
      samePatch: db.prepare(`SELECT ${COLS} FROM posts WHERE thread_root = ? AND patch_id IS ? AND kind = 'smtp' ORDER BY id`),
      olderRevisions: db.prepare(
        `SELECT ${COLS} FROM posts WHERE status = 'queued' AND patch_revision < @revision
           AND (thread_root = @threadRoot OR (topic = @topic AND author = @author)) ORDER BY id`,
      ),
      cancel: db.prepare(`UPDATE posts SET status = 'cancelled', last_error = ? WHERE id = ? AND status = 'queued'`),
      // counted before the attempt: a kill during the send leaves it counted, and the retry reuses the Message-ID
      attempt: db.prepare(`UPDATE posts SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, @now), last_error = @note WHERE id = @id`),
      sent: db.prepare(`UPDATE posts SET status = 'sent', sent_at = @now, last_error = NULL, next_attempt_at = NULL WHERE id = @id`),
      retry: db.prepare(`UPDATE posts SET next_attempt_at = @next, last_error = @error WHERE id = @id`),
      failed: db.prepare(`UPDATE posts SET status = 'failed', last_error = @error, next_attempt_at = NULL WHERE id = @id`),
      byStatus: db.prepare(`SELECT ${COLS} FROM posts WHERE status = ? ORDER BY id`),
      refresh: db.prepare(
        `UPDATE posts SET verdict = @verdictId, confidence = @confidence, recipients = @recipients, content = @content, kind = @kind,
           status = @status, not_before = @notBefore, next_attempt_at = @notBefore WHERE id = @id AND status = 'outbox'`,
      ),
    };
    prepared.set(db, s);
  }
  return s;
}

/** Every post's idempotency key (the outbox's file names come from them). */
export function allPostKeys(db: StoreDb): string[] {
  return (db.prepare('SELECT idempotency_key AS k FROM posts').all() as { k: string }[]).map((r) => r.k);
}

/** Insert a post under its key: false when the key exists (the same verdict was offered before). */
export function insertPost(db: StoreDb, p: NewPost): boolean {
  const info = statements(db).insert.run({ ...p, recipients: JSON.stringify(p.recipients) });
  return info.changes === 1;
}

/** A reply held in the outbox (never queued or sent) takes a later verdict's words under the same key, and is queued when `send`. */
export function refreshHeldPost(db: StoreDb, id: number, p: { verdictId: number; confidence: number; recipients: string[]; content: string; send: boolean; notBefore: string | null }): boolean {
  const info = statements(db).refresh.run({
    id,
    verdictId: p.verdictId,
    confidence: p.confidence,
    recipients: JSON.stringify(p.recipients),
    content: p.content,
    kind: p.send ? 'smtp' : 'outbox',
    status: p.send ? 'queued' : 'outbox',
    notBefore: p.notBefore,
  });
  return info.changes === 1;
}

export function postByKey(db: StoreDb, key: string): PostRow | undefined {
  return statements(db).byKey.get(key) as PostRow | undefined;
}

/** Queued posts whose embargo and backoff are over, oldest first. */
export function duePosts(db: StoreDb, now: Date, limit = 100): PostRow[] {
  return statements(db).due.all(now.toISOString(), limit) as PostRow[];
}

/** When the next queued post falls due (for the loop's timer), if any. */
export function nextDueAt(db: StoreDb): Date | undefined {
  const t = (statements(db).nextDue.get() as { t: string | null }).t;
  return t ? new Date(t) : undefined;
}

/** Posts sent after `since`, on one list or overall (for the rate limits). */
export function sentSince(db: StoreDb, since: Date, list?: string): number {
  const s = statements(db);
  const row = (list === undefined ? s.sentSince.get(since.toISOString()) : s.sentSinceList.get(since.toISOString(), list)) as { n: number };
  return row.n;
}

/** The oldest post sent after `since` (the first to leave a rate window). */
export function oldestSentSince(db: StoreDb, since: Date, list?: string): Date | undefined {
  const s = statements(db);
  const t = ((list === undefined ? s.oldestSent.get(since.toISOString()) : s.oldestSentList.get(since.toISOString(), list)) as { t: string | null }).t;
  return t ? new Date(t) : undefined;
}

/** The SMTP posts already made for one patch of a thread (any verdict). */
export function postsForPatch(db: StoreDb, threadRoot: string, patchId: string | null): PostRow[] {
  return statements(db).samePatch.all(threadRoot, patchId) as PostRow[];
}

/** Queued posts about an older revision of the same patch: the same thread, or the same topic by the same author. */
export function queuedOlderRevisions(db: StoreDb, p: { threadRoot: string; topic: string | null; author: string | null; revision: number }): PostRow[] {
  return statements(db).olderRevisions.all(p) as PostRow[];
}

export function cancelPost(db: StoreDb, id: number, why: string): boolean {
  return statements(db).cancel.run(why, id).changes === 1;
}

export function markAttempt(db: StoreDb, id: number, now: Date): void {
  statements(db).attempt.run({ id, now: now.toISOString(), note: 'attempt in flight (a crash here may have delivered it: the retry reuses its Message-ID)' });
}

export function markSent(db: StoreDb, id: number, now: Date): void {
  statements(db).sent.run({ id, now: now.toISOString() });
}

export function markRetry(db: StoreDb, id: number, next: Date, error: string): void {
  statements(db).retry.run({ id, next: next.toISOString(), error });
}

export function markFailed(db: StoreDb, id: number, error: string): void {
  statements(db).failed.run({ id, error });
}

export function postsWithStatus(db: StoreDb, status: PostStatus): PostRow[] {
  return statements(db).byStatus.all(status) as PostRow[];
}

/** When ktriage first wrote a summary about a thread (outbox or sent), if it did. */
export function firstPostAbout(db: StoreDb, threadRoot: string): string | undefined {
  const row = db.prepare("SELECT posted_at AS at FROM posts WHERE thread_root = ? AND status != 'cancelled' ORDER BY id LIMIT 1").get(threadRoot) as { at: string } | undefined;
  return row?.at;
}
