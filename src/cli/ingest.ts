// ktriage ingest <source> [--db FILE] [--list NAME] ... (USAGE.ingest in args.ts)
//
// Backfill: messages stream from the source into the store in batched
// transactions, each batch with the checkpoint that covers it (a kill -9
// loses at most the batch in flight, and the rerun resumes there; a message
// is stored once whatever happens). The threads a batch touches are rebuilt
// in the transaction that stores it; at the end every changed thread is judged, a verdict row added
// when its verdict or judged patch changed. A damaged message is skipped,
// counted and told in one line.

import { triageMessages } from '../analyze/triage.js';
import { KtriageError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Message } from '../core/types.js';
import { openSource, type MailSource } from '../ingest/sources/open-source.js';
import { defaultParseWorkers, ParsePool, type Parsed } from '../ingest/parse-pool.js';
import type { SkippedMessage } from '../ingest/skips.js';
import type { SourceItem } from '../ingest/sources/source.js';
import { storedLinkedReports } from '../ingest/linked-reports.js';
import { parseMail } from '../mail/parse.js';
import { recordReportLinks } from '../store/report-links.js';
import type { OpenedIndex } from '../store/index-port.js';
import { dirtyThreads, getCheckpoint, markJudged, openStoreDb, recordVerdict, rethreadPending, storePath, threadMessages, type IncomingMessage, type StoreDb } from '../store/store.js';
import { addThreadedBatch } from '../store/message-store.js';
import { MessageMemo, placeRows } from '../store/threading.js';
import { parse, USAGE } from './args.js';
import { chooseIndex, threadTreeHints } from './index-choice.js';
import { openProgress, type Progress } from './progress.js';

export interface IngestCounts {
  read: number;
  added: number;
  renamed: number;
  duplicates: number;
  skipped: number;
  threadsChanged: number;
  judged: number;
  verdictsChanged: number;
  judgeFailures: number;
}

const DEFAULT_BATCH = 500;
/** messages parsed in this thread before the worker pool is worth starting */
const POOL_AFTER = 200;
/**
 * Messages read ahead while workers parse: enough that they keep parsing while
 * this thread stores and threads a batch (~0.3 s for 500 messages, in which two
 * workers parse ~300), so two batches' worth; and at most PARSE_WINDOW_BYTES of
 * mail in flight. (At 64 the workers ran dry within every batch's write: ~3 s
 * idle each on the 10k kbuild sample.)
 */
const PARSE_WINDOW = 1000;
const PARSE_WINDOW_BYTES = 64 * 1024 * 1024;
/** Messages kept parsed between batches for re-threading: four batches' worth (on the 10k kbuild sample 2000 leave 129 of 3300 lookups to decode, 1000 leave 1005) */
const MEMO_MESSAGES = 2000;

export async function runIngest(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      db: { type: 'string' },
      list: { type: 'string' },
      batch: { type: 'string' },
      index: { type: 'string' },
      tree: { type: 'string' },
      'no-index': { type: 'boolean' },
      'no-judge': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE.ingest,
  );
  if (values.help) {
    out.write(USAGE.ingest + '\n');
    return 0;
  }
  if (positionals.length !== 1)
    throw new KtriageError('E_USAGE', `expected one source (an mbox, .mbox.gz, Maildir, public-inbox directory, http(s) inbox URL or imap:// folder) (usage: ${USAGE.ingest})`);
  const batch = values.batch === undefined ? DEFAULT_BATCH : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) throw new KtriageError('E_USAGE', `--batch must be a whole number from 1 to 100000 (got "${values.batch}")`);
  const source = await openSource(positionals[0]!);
  const db = openStoreDb(storePath(values.db as string | undefined));
  // a batch writes megabytes (raw and parsed blobs): at SQLite's default of a
  // checkpoint every 1000 pages nearly every commit copied the log into the file
  db.pragma('wal_autocheckpoint = 10000');
  const started = Date.now();
  const tty = Boolean(process.stderr.isTTY);
  try {
    const progress = await openProgress(tty, tty ? await source.estimate?.() : undefined);
    let counts: IngestCounts;
    try {
      counts = await ingest(db, source, { batch, list: values.list as string | undefined, progress, workers: parseWorkers() });
      if (!values['no-judge']) {
        const index = chooseIndex({ index: values.index as string | undefined, tree: values.tree as string | undefined, noIndex: Boolean(values['no-index']) });
        try {
          judgeChanged(db, index, counts, progress);
        } finally {
          index?.close();
        }
      }
    } finally {
      progress.stop();
    }
    out.write(summaryLine(source.label, counts, Date.now() - started) + '\n');
  } finally {
    db.close();
  }
  return 0;
}

/** KTRIAGE_PARSE_WORKERS: how many parse workers a backfill starts (0: parse in the main thread); one per core by default. */
function parseWorkers(): number {
  const v = process.env.KTRIAGE_PARSE_WORKERS;
  if (v === undefined || v === '') return defaultParseWorkers();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new KtriageError('E_USAGE', `KTRIAGE_PARSE_WORKERS must be a whole number from 0 to 16 (got "${v}")`);
  return n;
}

export function summaryLine(label: string, c: IngestCounts, ms: number): string {
  const rate = c.read && ms ? `, ${Math.round((c.read * 1000) / ms)} msg/s` : '';
  return (
    `ingest ${label}: ${c.read} read, ${c.added + c.renamed} new${c.renamed ? ` (${c.renamed} under a derived Message-ID)` : ''}, ${c.duplicates} already stored, ${c.skipped} skipped; ` +
    `${c.threadsChanged} threads changed, ${c.judged} judged, ${c.verdictsChanged} verdicts changed${c.judgeFailures ? `, ${c.judgeFailures} could not be judged` : ''} (${(ms / 1000).toFixed(1)} s${rate})`
  );
}

function skipLine(label: string, s: SkippedMessage): string {
  return `ktriage: skipped ${label} message ${s.index + 1}: ${s.detail}`.replace(/[\r\n]+/g, ' ');
}

async function ingest(db: StoreDb, source: MailSource, opts: { batch: number; list?: string; progress: Progress; workers: number }): Promise<IngestCounts> {
  const c: IngestCounts = { read: 0, added: 0, renamed: 0, duplicates: 0, skipped: 0, threadsChanged: 0, judged: 0, verdictsChanged: 0, judgeFailures: 0 };
  const memo = new MessageMemo(MEMO_MESSAGES);
  // messages left unthreaded by a run that was killed are placed first
  c.threadsChanged += rethreadPending(db, { memo }).threads;
  let pending: IncomingMessage[] = [];
  let checkpoint: string | undefined;
  const skip = (s: SkippedMessage) => {
    c.skipped++;
    opts.progress.log(skipLine(source.label, s));
  };
  const flush = () => {
    if (!pending.length && checkpoint === undefined) return;
    const cp = checkpoint === undefined ? undefined : { source: source.key, value: checkpoint };
    // stored and threaded in one transaction: a kill leaves the batch, its threads and its checkpoint all in or all out
    const r = db.transaction(() => {
      const { counts, rows } = addThreadedBatch(db, pending, cp, opts.list);
      return { ...counts, threads: placeRows(db, rows, { memo }).threads };
    })();
    c.added += r.added;
    c.renamed += r.renamed;
    c.duplicates += r.duplicates;
    if (r.overflow) {
      c.skipped += r.overflow;
      opts.progress.log(`ktriage: skipped ${r.overflow} message(s) of ${source.label}: more than ${LIMITS.maxCopiesPerMessageId} different messages under one Message-ID`);
    }
    // a duplicate seen on one more list is threaded again (addMessage left it pending)
    c.threadsChanged += r.threads + rethreadPending(db, { memo }).threads;
    pending = [];
    checkpoint = undefined;
  };
  // items in the order read, each with its parse under way (in a worker once the pool runs)
  const window: { item: SourceItem; parsed?: Promise<Parsed> }[] = [];
  let windowBytes = 0;
  const settle = async () => {
    const { item, parsed } = window.shift()!;
    if (item.kind === 'mail') windowBytes -= item.raw.bytes.length;
    if (item.kind === 'skip') skip(item.skip);
    else {
      try {
        pending.push({ raw: item.raw.bytes, ...(await parsed!) });
        c.read++;
      } catch (e) {
        skip({ index: item.raw.origin.index ?? 0, reason: 'unparseable', bytes: item.raw.bytes.length, detail: `cannot be parsed as mail (${(e as Error).message})` });
      }
    }
    checkpoint = item.checkpoint;
    opts.progress.tick(1);
    if (pending.length >= opts.batch) flush();
  };
  let pool: ParsePool | undefined;
  let seen = 0;
  try {
    for await (const item of source.pull(getCheckpoint(db, source.key))) {
      // a small run parses here (starting workers costs more than it saves); a backfill of a finite source, in workers
      if (!pool && source.finite && opts.workers > 0 && ++seen > POOL_AFTER) pool = new ParsePool(opts.workers);
      window.push({ item, parsed: item.kind === 'mail' ? (pool ? pool.parse(item.raw) : parseMail(item.raw).then((message) => ({ message }))) : undefined });
      if (item.kind === 'mail') windowBytes += item.raw.bytes.length;
      // a rejected parse is handled when its turn comes, not reported as unhandled before
      window.at(-1)!.parsed?.catch(() => undefined);
      while (window.length > (pool ? PARSE_WINDOW : 0) || (window.length > 1 && windowBytes > PARSE_WINDOW_BYTES)) await settle();
    }
    while (window.length) await settle();
  } finally {
    await pool?.close();
  }
  flush();
  return c;
}

function judgeChanged(db: StoreDb, index: OpenedIndex | undefined, c: IngestCounts, progress: Progress): void {
  for (;;) {
    const dirty = dirtyThreads(db, 200);
    if (!dirty.length) return;
    for (const t of dirty) {
      if (t.count > LIMITS.maxMessagesPerThread) {
        progress.log(`ktriage: not judging thread ${t.rootId}: ${t.count} messages, more than ${LIMITS.maxMessagesPerThread}`);
        markJudged(db, t.id);
        continue;
      }
      let messages: Message[] = [];
      try {
        messages = threadMessages(db, t.id);
        // reports the patches link to, when the store holds them (no network while ingesting)
        const linked = storedLinkedReports(db, messages);
        const verdict = triageMessages(messages, { port: index?.portFor(threadTreeHints(messages)), linked });
        db.transaction(() => {
          recordReportLinks(db, messages);
          if (recordVerdict(db, t.rootId, verdict, messages)) c.verdictsChanged++;
          markJudged(db, t.id);
        })();
        c.judged++;
      } catch (e) {
        // one thread's failure is a line and a count, never the end of the run
        c.judgeFailures++;
        progress.log(`ktriage: could not judge thread ${t.rootId}: ${(e as Error).message}`.replace(/[\r\n]+/g, ' '));
        markJudged(db, t.id);
      }
    }
  }
}
