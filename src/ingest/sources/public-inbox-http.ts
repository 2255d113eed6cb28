// A public-inbox HTTP inbox (lore.kernel.org/<list>/ or a mirror) as a
// source: poll <inbox>/new.atom (the newest messages, newest first), and for
// each entry not seen yet fetch its thread as b4 does (<id>/t.mbox.gz; the
// raw message <id>/raw when the server has no thread for it). Fetches are
// bounded in size, time and redirects by src/ingest/archive.ts.
//
// Checkpoint: the newest entry's updated time and the ids of the feed's
// entries already read. The feed is ordered by the messages' own dates, not
// by arrival (a late delivery with an older Date: header lands below entries
// already read), so "new" is "in the feed and not in the checkpoint's ids",
// not "above the newest one". Only ids still in the feed are kept, so the
// checkpoint stays the feed's size. Mail that arrives and scrolls out of the
// feed between two polls is missed: poll more often than the feed turns over
// (25 messages on lore); the store's dedupe makes any re-read safe.

import { z } from 'zod';
import { KtriageError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';
import type { RawMail } from '../../core/types.js';
import { fetchArchive, mailsFromAnswer } from '../archive.js';
import { bareMessageId, parseArchive, threadMboxUrl, type ArchiveInbox } from '../archive-ref.js';
import type { SkippedMessage } from '../skips.js';
import { readJsonCheckpoint, type MailSource, type SourceItem } from './source.js';

export interface FeedEntry {
  /** the Message-ID, from the entry's link */
  id: string;
  /** the entry's <updated>, as written */
  updated: string;
}

const Checkpoint = z.object({ updated: z.string(), ids: z.array(z.string()).max(LIMITS.maxAtomEntries) });
type Checkpoint = z.infer<typeof Checkpoint>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,4});/gi, (all, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? all;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

function between(text: string, open: string, close: string, from = 0): string | undefined {
  const a = text.indexOf(open, from);
  if (a < 0) return undefined;
  const b = text.indexOf(close, a + open.length);
  return b < 0 ? undefined : text.slice(a + open.length, b);
}

/** The Message-ID an entry's link names: the last path segment of …/<list>/<id>/. */
function idFromLink(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(unescapeXml(href));
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  if (!last) return undefined;
  try {
    return bareMessageId(decodeURIComponent(last));
  } catch {
    return undefined;
  }
}

/**
 * Entries of a public-inbox Atom feed, in feed order. public-inbox writes a
 * fixed shape (<entry>…<updated>…<link href=…/>…</entry>), read here by
 * position, without an XML library; an entry without a usable link is left out.
 */
export function parseFeedEntries(xml: string): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (let pos = xml.indexOf('<entry'); pos >= 0 && out.length < LIMITS.maxAtomEntries; pos = xml.indexOf('<entry', pos)) {
    const end = xml.indexOf('</entry>', pos);
    if (end < 0) break;
    const entry = xml.slice(pos, end);
    pos = end + 8;
    // the entry's own <link>, before any thr:in-reply-to (whose href names the parent)
    const link = between(entry, '<link', '>');
    const href = link === undefined ? undefined : between(link, 'href="', '"');
    const id = href === undefined ? undefined : idFromLink(href);
    if (!id) continue;
    out.push({ id, updated: (between(entry, '<updated>', '</updated>') ?? '').trim().slice(0, 64) });
  }
  return out;
}

/** Entries of the feed not read yet, oldest first. */
export function newEntries(feed: FeedEntry[], read: ReadonlySet<string>): FeedEntry[] {
  return feed.filter((e) => !read.has(e.id)).reverse();
}

function readCheckpoint(value: string | undefined): Checkpoint | undefined {
  return readJsonCheckpoint(value, Checkpoint);
}

/** The Message-ID in a raw message's header block (to know which feed entries a thread already brought). */
export function headerMessageId(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, LIMITS.sniffBytes).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? head : head.slice(0, end)).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!/^message-id:/i.test(lines[i]!)) continue;
    let value = lines[i]!.slice(11);
    // folded onto the next line
    if (!value.includes('<') && /^[ \t]/.test(lines[i + 1] ?? '')) value += lines[i + 1];
    const id = between(value, '<', '>');
    return id?.trim() || undefined;
  }
  return undefined;
}

function inboxOf(spec: string): { inbox: ArchiveInbox; url: string } {
  let text = spec.trim();
  if (text.endsWith('/new.atom')) text = text.slice(0, -'/new.atom'.length);
  const inbox = parseArchive(text, 'ingest');
  return { inbox, url: `${inbox.base}/${encodeURIComponent(inbox.list)}` };
}

export function publicInboxHttpSource(spec: string): MailSource {
  const { inbox, url } = inboxOf(spec);

  async function readFeed(): Promise<FeedEntry[]> {
    const feedUrl = `${url}/new.atom`;
    let body: Buffer;
    try {
      body = (await fetchArchive(feedUrl, 'new.atom', { maxDownloadBytes: LIMITS.maxAtomFeedBytes })).body;
    } catch (e) {
      if (e instanceof KtriageError && e.code === 'E_NOT_FOUND') throw new KtriageError('E_NOT_FOUND', `${spec}: no public-inbox there (${feedUrl}: HTTP 404)`);
      throw e;
    }
    const xml = body.toString('utf8');
    if (!xml.slice(0, 4096).includes('<feed')) throw new KtriageError('E_NOT_MAIL', `${feedUrl}: not an Atom feed; is ${spec} a public-inbox inbox?`);
    return parseFeedEntries(xml);
  }

  /** The entry's thread, or its raw message when the server has no thread for it; [] when it is gone. */
  async function fetchEntry(id: string, onSkip: (s: SkippedMessage) => void): Promise<RawMail[]> {
    const mails: RawMail[] = [];
    const read = async (answerUrl: string) => {
      for await (const m of mailsFromAnswer(await fetchArchive(answerUrl, id), { onSkip })) mails.push(m);
    };
    try {
      await read(threadMboxUrl(inbox, id));
    } catch (e) {
      if (!(e instanceof KtriageError && e.code === 'E_NOT_FOUND')) throw e;
      await read(threadMboxUrl(inbox, id).replace(/\/t\.mbox\.gz$/, '/raw'));
    }
    return mails;
  }

  return {
    key: `public-inbox-http:${url}`,
    label: url + '/',
    async *pull(checkpoint: string | undefined): AsyncGenerator<SourceItem> {
      const feed = await readFeed();
      const cp = readCheckpoint(checkpoint);
      // ids read before or in this pull (a thread brings the entries it holds)
      const read = new Set(cp?.ids ?? []);
      const fresh = newEntries(feed, read);
      const mark = () => {
        const ids = feed.filter((e) => read.has(e.id));
        const updated = ids.reduce((a, e) => (e.updated > a ? e.updated : a), cp?.updated ?? '');
        return JSON.stringify({ updated, ids: ids.map((e) => e.id) } satisfies Checkpoint);
      };
      // items before a thread's last message keep the previous mark: a kill mid-thread refetches it
      let previous = checkpoint ?? mark();
      let index = 0;
      for (const entry of fresh) {
        if (read.has(entry.id)) continue;
        const skips: SkippedMessage[] = [];
        let mails: RawMail[];
        try {
          mails = await fetchEntry(entry.id, (s) => skips.push(s));
        } catch (e) {
          if (!(e instanceof KtriageError && e.code === 'E_NOT_FOUND')) throw e;
          // removed from the archive since the feed was written
          mails = [];
          skips.push({ index: 0, reason: 'not-mail', bytes: 0, detail: `<${entry.id}> is listed in new.atom but no longer served` });
        }
        read.add(entry.id);
        for (const m of mails) {
          const id = headerMessageId(m.bytes);
          if (id) read.add(id);
        }
        const items: SourceItem[] = [
          ...skips.map((s): SourceItem => ({ kind: 'skip', skip: { ...s, index: index++ }, checkpoint: previous })),
          ...mails.map((raw): SourceItem => ({ kind: 'mail', raw: { ...raw, origin: { ...raw.origin, index: index++ } }, checkpoint: previous })),
        ];
        if (!items.length) continue;
        previous = mark();
        items[items.length - 1]!.checkpoint = previous;
        yield* items;
      }
    },
  };
}
