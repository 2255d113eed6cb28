// ktriage threads [--since 7d] [--list L] [--verdict V] [--format text|json] [--db FILE]
// What the store holds: threads by latest activity, each with its latest verdict.

import { existsSync } from 'node:fs';
import { KtriageError } from '../core/errors.js';
import type { VerdictKind } from '../core/types.js';
import { threadLinks, type ThreadLinks } from '../store/report-links.js';
import { listThreads, openStoreDb, storePath, type ThreadSummary } from '../store/store.js';
import { oneOf, parse, USAGE } from './args.js';

const VERDICTS: readonly (VerdictKind | 'none')[] = ['fixes', 'hides', 'partial', 'breaks', 'no-patch', 'no-failure', 'unclear', 'none'];
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "7d", "12h", "2w", "30m", or a date ("2024-03-01"): the start of the window. */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d{1,6})([mhdw])$/.exec(value.trim());
  if (rel) return new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return new Date(t);
  }
  throw new KtriageError('E_USAGE', `--since must be a duration (30m, 12h, 7d, 2w) or a date (2024-03-01) (got "${value}")`);
}

export async function runThreads(argv: string[], out: NodeJS.WritableStream, now: Date = new Date()): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      db: { type: 'string' },
      since: { type: 'string' },
      list: { type: 'string' },
      verdict: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE.threads,
  );
  if (values.help) {
    out.write(USAGE.threads + '\n');
    return 0;
  }
  if (positionals.length) throw new KtriageError('E_USAGE', `unexpected argument "${positionals[0]}" (usage: ${USAGE.threads})`);
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  const verdict = values.verdict === undefined ? undefined : oneOf(values.verdict as string, VERDICTS, '--verdict', 'none');
  const since = values.since === undefined ? undefined : parseSince(values.since as string, now);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new KtriageError('E_USAGE', `--limit must be a positive whole number (got "${values.limit}")`);
  const path = storePath(values.db as string | undefined);
  // listing never creates a store: a mistyped --db says so
  if (!existsSync(path)) throw new KtriageError('E_NOT_FOUND', `${path}: no store there (fill one with "ktriage ingest <source>")`);
  const db = openStoreDb(path);
  try {
    // each thread with the reports it answers and the patches that answer it, in other threads
    const rows = listThreads(db, { since, list: values.list as string | undefined, verdict, limit }).map((r) => ({ ...r, ...threadLinks(db, r.rootId) }));
    out.write(format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : renderThreads(rows));
  } finally {
    db.close();
  }
  return 0;
}

export function renderThreads(rows: readonly (ThreadSummary & Partial<ThreadLinks>)[]): string {
  if (!rows.length) return 'no threads\n';
  const lines = rows.map((r) => {
    const when = r.lastActivity ? r.lastActivity.slice(0, 16).replace('T', ' ') : 'undated         ';
    const verdict = r.verdict ? `${r.verdict} ${r.confidence!.toFixed(2)}` : 'not judged';
    const subject = r.subject.length > 72 ? r.subject.slice(0, 71) + '…' : r.subject;
    const links = [
      ...(r.answers ?? []).map((l) => `answers ${l.messageId} (${l.how})${l.subject ? ` "${clipSubject(l.subject)}"` : ''}`),
      ...(r.answeredBy ?? []).map((l) => `answered by ${l.messageId} (${l.how})${l.subject ? ` "${clipSubject(l.subject)}"` : ''}`),
    ].map((l) => `\n${' '.repeat(18)}${l}`);
    return `${when}  ${verdict.padEnd(15)} ${String(r.messages).padStart(4)}  ${subject}\n${' '.repeat(18)}${r.rootId}${r.lists.length ? '  ' + r.lists.join(', ') : ''}${links.join('')}`;
  });
  return lines.join('\n') + '\n';
}

function clipSubject(s: string): string {
  return s.length > 60 ? s.slice(0, 59) + '…' : s;
}
