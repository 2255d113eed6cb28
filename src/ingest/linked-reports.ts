// The reports a thread's patches link to (Closes:/Link: after a Reported-by:),
// found outside the thread: first in the store, else, unless offline, fetched
// by Message-ID from the configured archive with the client `thread <msgid>`
// uses (ingest/archive.ts: its size, time and redirect limits). The id is taken
// from the link and asked of the configured archive, so a mirror answers for
// lore links. One request per report; links are followed one level only (a
// report's own links are never followed), so a report that links back to the
// patch cannot loop. Whatever goes wrong is a one-line note, never an error.

import { LIMITS } from '../core/limits.js';
import type { LinkedReport, Message } from '../core/types.js';
import { linkFactsOf } from '../extract/link-facts.js';
import { extractMessage } from '../extract/message.js';
import { MAX_REPORT_LINKS, reportRefs } from '../extract/report-refs.js';
import { parseMail } from '../mail/parse.js';
import { oneLine } from '../store/store-db.js';
import { addBatch, normaliseMessageId, rethreadPending, storedThread, type IncomingMessage, type StoreDb } from '../store/store.js';
import { archiveThreadMails, type ArchiveFetchOptions } from './archive.js';
import type { ArchiveInbox } from './archive-ref.js';

/**
 * Hosts that answer for any Message-ID on kernel.org's archive: lore itself and
 * its redirectors (`lkml.kernel.org/r/<id>`, b4's `patch.msgid.link/<id>`,
 * Documentation/process/submitting-patches.rst and maintainer-tip.rst name them).
 * A link to one of these is asked of the configured archive.
 */
export const KERNEL_ORG_ARCHIVE_HOSTS: readonly string[] = ['lore.kernel.org', 'lkml.kernel.org', 'patch.msgid.link'];

/** Reports fetched per thread at most: each may take the archive's whole timeout. */
export const MAX_LINKED_REPORTS_PER_THREAD = 2 * MAX_REPORT_LINKS;

/** Fetches at the same time (one server: be polite, as b4 is). */
const FETCH_CONCURRENCY = 4;

/** A report a patch posting names, to be looked up. */
export interface WantedReport {
  /** `<id@host>`, as Message.messageId */
  messageId: string;
  /** the link as written */
  link: string;
  /** the posting that names it */
  patchId: string;
  trailer: string;
}

export interface LinkPlan {
  wanted: WantedReport[];
  /** links not followed, by the Message-ID they name (for the analysis' "linked report not available") */
  refused: Map<string, string>;
  /** what cannot be keyed by a Message-ID (links capped, links naming no message) */
  notes: string[];
}

const SCHEME = /^([a-z][a-z0-9+.-]{0,30}):/i;

/** Only mail with such a line can link a report: the rest is not extracted here. */
const MAY_LINK = /^[ \t]*(?:closes|link)[ \t]*:/im;

/**
 * Which report links of the thread's patch postings to follow (pure). `archiveHost`
 * is the configured archive's host: lore's hosts and it are followed, any other
 * host or a non-http(s) scheme is not.
 */
export function planReportLinks(messages: readonly Message[], archiveHost: string | undefined): LinkPlan {
  const inThread = new Set(messages.map((m) => m.messageId));
  const plan: LinkPlan = { wanted: [], refused: new Map(), notes: [] };
  const seen = new Set<string>();
  const hosts = new Set([...KERNEL_ORG_ARCHIVE_HOSTS, ...(archiveHost ? [archiveHost.toLowerCase()] : [])]);
  for (const m of messages) {
    if (!MAY_LINK.test(m.body)) continue;
    const x = linkFactsOf(m);
    // the posting's own patch (not one quoted from another mail)
    if (!x.postsPatch) continue;
    const { refs, dropped } = reportRefs(x.trailers);
    if (dropped) plan.notes.push(`${m.messageId}: ${dropped} more report link(s) beyond the first ${MAX_REPORT_LINKS} not followed`);
    for (const r of refs) {
      if (!r.link) continue;
      const link = r.link.trim();
      const refusal = refuseLink(link, hosts);
      const id = r.messageId && !refusal?.noId ? normaliseMessageId(r.messageId) : undefined;
      if (refusal) {
        if (id && !inThread.has(id)) plan.refused.set(id, refusal.why);
        else plan.notes.push(`${m.messageId}: ${r.trailer}: ${refusal.why}`);
        continue;
      }
      if (!id) {
        plan.notes.push(`${m.messageId}: ${r.trailer}: ${clip(link)} names no message; not followed`);
        continue;
      }
      if (inThread.has(id) || seen.has(id)) continue;
      seen.add(id);
      if (plan.wanted.length >= MAX_LINKED_REPORTS_PER_THREAD) {
        plan.notes.push(`${m.messageId}: report ${id} not followed: at most ${MAX_LINKED_REPORTS_PER_THREAD} linked reports are looked up per thread`);
        continue;
      }
      plan.wanted.push({ messageId: id, link, patchId: m.messageId, trailer: r.trailer });
    }
  }
  return plan;
}

/** Why a link is not followed, or nothing: http(s) on lore's hosts or the configured archive's, or a bare `<id>`. */
function refuseLink(link: string, hosts: ReadonlySet<string>): { why: string; noId?: boolean } | undefined {
  if (link.startsWith('<')) return undefined;
  const scheme = SCHEME.exec(link)?.[1]?.toLowerCase();
  if (!scheme) return undefined;
  if (scheme !== 'http' && scheme !== 'https') return { why: `${clip(link)}: a ${scheme}: link is not followed (only http and https)`, noId: true };
  let host: string;
  try {
    host = new URL(link).hostname.toLowerCase();
  } catch {
    return { why: `${clip(link)}: not a valid URL; not followed`, noId: true };
  }
  if (!hosts.has(host)) return { why: `${clip(link)}: ${host} is neither lore.kernel.org nor the configured archive; not followed` };
  return undefined;
}

function clip(s: string): string {
  const one = oneLine(s);
  return one.length > 160 ? `${one.slice(0, 159)}…` : one;
}

export interface LinkReportsOptions {
  /** the open store: reports are looked up in it first, and fetched ones kept in it */
  store?: StoreDb;
  /** no network: the store only */
  offline?: boolean;
  /** the configured archive (chooseInbox: --archive, KTRIAGE_ARCHIVE, b4.midmask, lore) */
  inbox?: ArchiveInbox;
  fetch?: ArchiveFetchOptions;
}

export interface LinkedReportsResult {
  /** keyed by the report's `<Message-ID>` */
  linked: Map<string, LinkedReport>;
  /** one line each, for stderr */
  notes: string[];
  /** archive requests made */
  fetched: number;
}

/** The linked reports of a thread: store, then archive (unless offline), else a note. */
export async function linkReports(messages: readonly Message[], opts: LinkReportsOptions = {}): Promise<LinkedReportsResult> {
  const plan = planReportLinks(messages, opts.inbox ? hostOf(opts.inbox.base) : undefined);
  const linked = new Map<string, LinkedReport>([...plan.refused].map(([id, why]) => [id, { note: why }]));
  const notes = [...plan.notes];
  const inThread = new Set(messages.map((m) => m.messageId));
  const toFetch: WantedReport[] = [];
  for (const w of plan.wanted) {
    const stored = opts.store ? fromStore(opts.store, w.messageId) : undefined;
    if (stored) linked.set(w.messageId, settle(w, stored, 'store', inThread, notes));
    else if (opts.offline || !opts.inbox) linked.set(w.messageId, { note: `${w.messageId} is not in the store${opts.offline ? ' and --offline: not fetched' : ''}` });
    else toFetch.push(w);
  }
  const keep: IncomingMessage[] = [];
  let next = 0;
  const worker = async () => {
    while (next < toFetch.length) {
      const w = toFetch[next++]!;
      const got = await fetchReport(opts.inbox!, w.messageId, opts.fetch ?? {});
      if ('note' in got) linked.set(w.messageId, got);
      else {
        linked.set(w.messageId, settle(w, got.messages, 'archive', inThread, notes));
        keep.push(...got.incoming);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, toFetch.length) }, worker));
  if (opts.store && keep.length) {
    try {
      addBatch(opts.store, keep);
      rethreadPending(opts.store);
    } catch (e) {
      notes.push(`the fetched reports could not be kept in the store (${oneLine((e as Error).message)})`);
    }
  }
  return { linked, notes, fetched: toFetch.length };
}

/** The store-only lookup `ingest` uses while judging (no network): ids the store lacks are left out. */
export function storedLinkedReports(db: StoreDb, messages: readonly Message[]): Map<string, LinkedReport> {
  const plan = planReportLinks(messages, undefined);
  const inThread = new Set(messages.map((m) => m.messageId));
  const linked = new Map<string, LinkedReport>();
  for (const w of plan.wanted) {
    const stored = fromStore(db, w.messageId);
    if (stored) linked.set(w.messageId, settle(w, stored, 'store', inThread));
  }
  return linked;
}

function fromStore(db: StoreDb, messageId: string): Message[] | undefined {
  try {
    const got = storedThread(db, messageId);
    return got?.length ? got : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The report's messages that are not the patch's own thread's: a report whose
 * archive thread holds the fix (posted as a reply to it) keeps only its own mail.
 * A "report" that is itself a patch with no diagnostic is kept (the analysis
 * decides) and noted.
 */
function settle(w: WantedReport, got: readonly Message[], from: 'store' | 'archive', inThread: ReadonlySet<string>, notes?: string[]): LinkedReport {
  const own = got.filter((m) => !inThread.has(m.messageId));
  if (!own.length) return { note: `${w.messageId} links back to this thread; not followed` };
  // reading the report only to say it is none: not done when nobody reads the notes (the daemon)
  if (!notes) return { messages: own, from };
  const extractions = own.map(extractMessage);
  const diff = extractions.some((x) => x.patches.some((p) => p.quoteDepth === 0 && p.source !== 'diffstat'));
  const diagnostic = extractions.some((x) => x.failures.length > 0);
  if (diff && !diagnostic) notes.push(`${w.messageId}, linked by ${w.patchId} (${w.trailer}), is a patch with no diagnostic, not a report`);
  return { messages: own, from };
}

type Fetched = { messages: Message[]; incoming: IncomingMessage[] } | { note: string };

/** One request for the report's thread; every failure is a note. */
async function fetchReport(inbox: ArchiveInbox, messageId: string, opts: ArchiveFetchOptions): Promise<Fetched> {
  const bare = messageId.slice(1, -1);
  const incoming: IncomingMessage[] = [];
  try {
    for await (const raw of archiveThreadMails(inbox, bare, opts)) {
      if (incoming.length >= LIMITS.maxMessagesPerThread) break;
      try {
        incoming.push({ raw: raw.bytes, message: await parseMail(raw) });
      } catch {
        // a damaged message of the report's thread is left out, as `thread` skips one
      }
    }
  } catch (e) {
    return { note: oneLine((e as Error).message) };
  }
  if (!incoming.length) return { note: `${messageId}: the archive's answer held no readable message` };
  return { messages: incoming.map((i) => i.message), incoming };
}

function hostOf(base: string): string | undefined {
  try {
    return new URL(base).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
