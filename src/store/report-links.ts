// Reports and the patches that answer them, linked across threads: a patch
// posting's Closes:/Link: naming a report (extract/report-refs.ts), or its
// Fixes: naming the commit a stored report blamed ("Caused by commit <sha>",
// linux-next's convention). Recorded when `ingest` judges a thread; read by
// `ktriage threads` as "answers <report>" and "answered by <patch>". Links are
// kept by Message-ID, so they hold however the threads are rebuilt later.

import type { Statement } from 'better-sqlite3';
import type { Message } from '../core/types.js';
import { linkFactsOf } from '../extract/link-facts.js';
import { reportRefs } from '../extract/report-refs.js';
import { normaliseMessageId } from './stored-thread.js';
import type { StoreDb } from './store-db.js';

export type LinkHow = 'closes' | 'link' | 'fixes-commit';

export interface ThreadLink {
  /** the other side's Message-ID (the report for `answers`, the patch for `answeredBy`) */
  messageId: string;
  how: LinkHow;
  /** the other side's thread, when the store holds it */
  root: string | null;
  subject: string | null;
}

export interface ThreadLinks {
  answers: ThreadLink[];
  answeredBy: ThreadLink[];
}

/** Only mail with one of these lines can name a report or a commit: the rest is not extracted again. */
const MAY_LINK = /^[ \t]*(?:closes|link|fixes)[ \t]*:|\b(?:caused|introduced|broken) by commit\b/im;
const SHA = /^[0-9a-f]{8,40}$/;

interface Statements {
  link: Statement;
  mention: Statement;
  fixesToBlames: Statement;
  blamesToFixes: Statement;
  answers: Statement;
  answeredBy: Statement;
}

const prepared = new WeakMap<StoreDb, Statements>();

function statements(db: StoreDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    const sameCommit = 'substr(f.sha, 1, min(length(f.sha), length(c.sha))) = substr(c.sha, 1, min(length(f.sha), length(c.sha)))';
    const other = (side: 'report_id' | 'patch_id', mine: 'patch_id' | 'report_id') => `
      SELECT DISTINCT l.${side} AS messageId, l.how AS how, ot.root_id AS root, ot.subject AS subject
      FROM threads t JOIN thread_messages tm ON tm.thread = t.id JOIN messages m ON m.id = tm.message
      JOIN report_links l ON l.${mine} = m.message_id
      LEFT JOIN messages om ON om.message_id = l.${side}
      LEFT JOIN thread_messages otm ON otm.message = om.id
      LEFT JOIN threads ot ON ot.id = otm.thread
      WHERE t.root_id = ? AND (ot.id IS NULL OR ot.id <> t.id)
      ORDER BY l.${side}, l.how`;
    s = {
      link: db.prepare('INSERT OR IGNORE INTO report_links(patch_id, report_id, how, sha, added_at) VALUES (?, ?, ?, ?, ?)'),
      mention: db.prepare('INSERT OR IGNORE INTO commit_mentions(message_id, kind, sha, sha8) VALUES (?, ?, ?, ?)'),
      fixesToBlames: db.prepare(`
        INSERT OR IGNORE INTO report_links(patch_id, report_id, how, sha, added_at)
        SELECT f.message_id, c.message_id, 'fixes-commit', f.sha, @now
        FROM commit_mentions f JOIN commit_mentions c ON c.sha8 = f.sha8 AND c.kind = 'caused-by'
        WHERE f.message_id = @id AND f.kind = 'fixes' AND c.message_id <> f.message_id AND ${sameCommit}`),
      blamesToFixes: db.prepare(`
        INSERT OR IGNORE INTO report_links(patch_id, report_id, how, sha, added_at)
        SELECT f.message_id, c.message_id, 'fixes-commit', f.sha, @now
        FROM commit_mentions c JOIN commit_mentions f ON f.sha8 = c.sha8 AND f.kind = 'fixes'
        WHERE c.message_id = @id AND c.kind = 'caused-by' AND c.message_id <> f.message_id AND ${sameCommit}`),
      answers: db.prepare(other('report_id', 'patch_id')),
      answeredBy: db.prepare(other('patch_id', 'report_id')),
    };
    prepared.set(db, s);
  }
  return s;
}

/** Record what a thread's patch postings answer and what its reports blame (call inside the judging transaction). Returns links added. */
export function recordReportLinks(db: StoreDb, messages: readonly Message[], now: Date = new Date()): number {
  const s = statements(db);
  const at = now.toISOString();
  let added = 0;
  for (const m of messages) {
    if (!MAY_LINK.test(m.body)) continue;
    const x = linkFactsOf(m);
    const postsPatch = x.postsPatch;
    let mentions = false;
    for (const r of x.refs) {
      const sha = r.sha.toLowerCase();
      if (!SHA.test(sha)) continue;
      // a Fixes: counts in the posting that carries it, not in a reply quoting it
      if ((r.kind === 'fixes' && postsPatch) || r.kind === 'caused-by') {
        s.mention.run(m.messageId, r.kind, sha, sha.slice(0, 8));
        mentions = true;
      }
    }
    if (postsPatch) {
      for (const r of reportRefs(x.trailers).refs) {
        if (!r.messageId) continue;
        const report = normaliseMessageId(r.messageId);
        if (report === m.messageId) continue;
        added += s.link.run(m.messageId, report, r.trailer === 'Closes' ? 'closes' : 'link', null, at).changes;
      }
    }
    if (mentions) {
      added += s.fixesToBlames.run({ id: m.messageId, now: at }).changes;
      added += s.blamesToFixes.run({ id: m.messageId, now: at }).changes;
    }
  }
  return added;
}

/** What a stored thread answers and what answers it, in other threads. */
export function threadLinks(db: StoreDb, rootId: string): ThreadLinks {
  const s = statements(db);
  return { answers: s.answers.all(rootId) as ThreadLink[], answeredBy: s.answeredBy.all(rootId) as ThreadLink[] };
}
