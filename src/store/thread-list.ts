// What the store holds, for `ktriage threads`: threads by latest activity,
// each with its latest verdict, filtered by age, list and verdict.

import type { StoreDb } from './store-db.js';

export interface ThreadFilter {
  /** only threads with activity at or after this time */
  since?: Date;
  list?: string;
  /** the latest verdict; 'none' for threads not judged yet */
  verdict?: string;
  limit?: number;
}

export interface ThreadSummary {
  rootId: string;
  subject: string;
  lists: string[];
  firstDate: string | null;
  lastActivity: string | null;
  messages: number;
  verdict: string | null;
  confidence: number | null;
  patchId: string | null;
  summary: string | null;
  judgedAt: string | null;
}

interface Row extends Omit<ThreadSummary, 'lists'> {
  lists: string;
}

const prepared = new WeakMap<StoreDb, import('better-sqlite3').Statement>();

export function listThreads(db: StoreDb, f: ThreadFilter = {}): ThreadSummary[] {
  let stmt = prepared.get(db);
  if (!stmt) {
    // every filter is a parameter (NULL when unset): one statement, prepared once
    stmt = db.prepare(`
      SELECT t.root_id AS rootId, t.subject, t.lists, t.first_date AS firstDate, t.last_activity AS lastActivity,
             t.message_count AS messages, v.verdict, v.confidence, v.patch_id AS patchId, v.summary, v.judged_at AS judgedAt
      FROM threads t
      LEFT JOIN verdicts v ON v.id = (SELECT max(id) FROM verdicts WHERE thread_root = t.root_id)
      WHERE (@since IS NULL OR t.last_activity >= @since)
        AND (@list IS NULL OR EXISTS (SELECT 1 FROM json_each(t.lists) WHERE value = @list))
        AND (@verdict IS NULL OR (@verdict = 'none' AND v.verdict IS NULL) OR v.verdict = @verdict)
      ORDER BY t.last_activity IS NULL, t.last_activity DESC, t.id DESC
      LIMIT @limit`);
    prepared.set(db, stmt);
  }
  const rows = stmt.all({ since: f.since?.toISOString() ?? null, list: f.list ?? null, verdict: f.verdict ?? null, limit: f.limit ?? -1 }) as Row[];
  return rows.map((r) => ({ ...r, lists: JSON.parse(r.lists) as string[] }));
}
