// What the digest reads from the store: the threads active in a window (and the
// window before, for the comparison), each with its latest verdict and its history.

import type { DigestThreadRow } from '../report/digest/model.js';
import { decodeMessage } from './message-store.js';
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

/** a series' worth of patch text is plenty for keywords; a huge one is cut */
const MAX_PATCH_TEXT = 512 * 1024;

const optional = <K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));

export function digestRows(db: StoreDb, from: Date, to: Date): DigestThreadRow[] {
  const threads = db
    .prepare(
      `SELECT t.root_id AS rootId, t.subject, t.lists, t.first_date AS firstDate, t.last_activity AS lastActivity,
              (SELECT json FROM verdicts WHERE thread_root = t.root_id ORDER BY id DESC LIMIT 1) AS json
       FROM threads t WHERE t.last_activity >= ? AND t.last_activity < ? ORDER BY t.last_activity`,
    )
    .all(from.toISOString(), to.toISOString()) as ThreadRow[];
  const parsedOf = db.prepare('SELECT parsed FROM messages WHERE message_id = ?').pluck();
  // the judged patch postings as get_maintainer.pl would read them (subject, message, diff), for K: keywords
  const patchText = (json: string | null): string | undefined => {
    let ids: string[] = [];
    try {
      ids = ((JSON.parse(json ?? 'null') as { patches?: { messageId?: unknown }[] } | null)?.patches ?? []).map((p) => p.messageId).filter((id): id is string => typeof id === 'string');
    } catch {
      return undefined;
    }
    const parts: string[] = [];
    for (const id of new Set(ids)) {
      const blob = parsedOf.get(id) as Buffer | undefined;
      if (!blob) continue;
      const m = decodeMessage(blob);
      parts.push(`Subject: ${m.subject}\n\n${m.body}`);
    }
    return parts.length ? parts.join('\n').slice(0, MAX_PATCH_TEXT) : undefined;
  };
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
    ...optional('patchText', patchText(t.json)),
  }));
}
