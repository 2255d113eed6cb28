// What the digest reads from the store: the threads active in a window (and the
// window before, for the comparison), each with its latest verdict and its history.

import type { DigestThreadRow } from '../report/digest/model.js';
import { threadLinks } from './report-links.js';
import type { StoreDb } from './store-db.js';

interface ThreadRow {
  rootId: string;
  subject: string;
  lists: string;
  firstDate: string | null;
  lastActivity: string | null;
  json: string | null;
}

export function digestRows(db: StoreDb, from: Date, to: Date): DigestThreadRow[] {
  const threads = db
    .prepare(
      `SELECT t.root_id AS rootId, t.subject, t.lists, t.first_date AS firstDate, t.last_activity AS lastActivity,
              (SELECT json FROM verdicts WHERE thread_root = t.root_id ORDER BY id DESC LIMIT 1) AS json
       FROM threads t WHERE t.last_activity >= ? AND t.last_activity < ? ORDER BY t.last_activity`,
    )
    .all(from.toISOString(), to.toISOString()) as ThreadRow[];
  const history = db.prepare('SELECT verdict, confidence, patch_id AS patchId, judged_at AS judgedAt FROM verdicts WHERE thread_root = ? ORDER BY id');
  return threads.map((t) => ({
    rootId: t.rootId,
    subject: t.subject,
    lists: JSON.parse(t.lists) as string[],
    firstDate: t.firstDate,
    lastActivity: t.lastActivity,
    verdictJson: t.json,
    history: history.all(t.rootId) as DigestThreadRow['history'],
    // a report answered by a patch in another thread (Closes:/Link:/Fixes:) is no longer open
    answeredBy: threadLinks(db, t.rootId).answeredBy.map((l) => ({ messageId: l.messageId, subject: l.subject })),
  }));
}
