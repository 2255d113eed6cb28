// The weekly digest, made and delivered: shared by `ktriage digest` and the daemon's
// schedule. Delivery is once per (window, scope, recipient), remembered in the posts
// table, so a restart, a cron retry or a second daemon does not send it twice.

import { createHash } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import { KtriageError } from '../core/errors.js';
import { renderChart, type DigestChart } from '../report/digest/chart.js';
import { digestMail } from '../report/digest/eml.js';
import { buildDigest, type Digest, type DigestWindow } from '../report/digest/model.js';
import { isoWeekOf } from '../report/digest/weeks.js';
import { digestRows } from '../store/digest-rows.js';
import type { StoreDb } from '../store/store.js';
import { recordPost, wasPosted } from '../store/verdict-store.js';
import type { OpenedIndex } from '../store/index-port.js';
import { maintainerAddresses } from '../index/maintainers.js';

export interface MakeDigestOptions {
  window: DigestWindow;
  list?: string;
  subsystem?: string;
  index?: OpenedIndex;
}

export function makeDigest(db: StoreDb, o: MakeDigestOptions): Digest {
  const span = o.window.end.getTime() - o.window.start.getTime();
  const previousWindow = { start: new Date(o.window.start.getTime() - span), end: o.window.start, label: 'before' };
  const port = o.index?.port;
  // MAINTAINERS of the indexed tree, most specific first, then K: keywords in the patch; not the catch-all
  const route = port?.maintainers
    ? (files: string[], patchText?: string) =>
        (patchText && port.maintainersForPatch ? port.maintainersForPatch(files, patchText) : port.maintainers!(files)).filter((m) => !/^THE REST$/i.test(m.title)).map((m) => m.title)
    : undefined;
  return buildDigest(digestRows(db, previousWindow.start, o.window.end), { window: o.window, previousWindow, route, list: o.list, subsystem: o.subsystem });
}

/** In a digest's recipients: the M: maintainers of its subsystem's MAINTAINERS section, as get_maintainer.pl lists them. */
export const MAINTAINERS_RECIPIENT = 'maintainers';

/** The recipients with `maintainers` replaced by the subsystem's M: addresses (each once); a clear error when that cannot be done. */
export function expandRecipients(to: readonly string[], subsystem: string | undefined, index: OpenedIndex | undefined): string[] {
  if (!to.some((r) => r.toLowerCase() === MAINTAINERS_RECIPIENT)) return [...to];
  if (!subsystem) throw new KtriageError('E_USAGE', `"${MAINTAINERS_RECIPIENT}" as a recipient needs a subsystem (--subsystem S): whose maintainers?`);
  const section = index?.port.maintainerSection?.(subsystem);
  if (!index) throw new KtriageError('E_USAGE', `"${MAINTAINERS_RECIPIENT}" as a recipient needs a kernel index with MAINTAINERS (--index PATH)`);
  if (!section) throw new KtriageError('E_USAGE', `no MAINTAINERS section titled "${subsystem}" in the index (${index.port.tree.name})`);
  const persons = maintainerAddresses([{ ...section, persons: section.persons.filter((p) => p.role === 'maintainer') }]).persons;
  if (!persons.length) throw new KtriageError('E_USAGE', `the MAINTAINERS section "${section.title}" names no maintainer (M:)`);
  const out: string[] = [];
  for (const r of to) {
    if (r.toLowerCase() !== MAINTAINERS_RECIPIENT) out.push(r);
    else for (const p of persons) out.push(p.name ? `${p.name} <${p.email}>` : p.email);
  }
  return [...new Map(out.map((r) => [bareOf(r), r])).values()];
}

const bareOf = (r: string) => (/<([^<>]+)>/.exec(r)?.[1] ?? r).trim().toLowerCase();

export function digestMessageId(label: string, recipient: string, from: string): string {
  const at = from.lastIndexOf('@');
  const rest = at >= 0 ? from.slice(at + 1) : '';
  const stop = rest.search(/[>\s]/);
  const host = (stop >= 0 ? rest.slice(0, stop) : rest) || 'ktriage.invalid';
  return `<ktriage-digest-${label}-${createHash('sha256').update(recipient.toLowerCase()).digest('hex').slice(0, 12)}@${host}>`;
}

const deliveryKey = (d: Digest, rcpt: string) => `digest|${d.window.label}|${d.scope.join(',')}|${rcpt.toLowerCase()}`;

/** Recipients that have not had this digest yet. */
export function pendingRecipients(db: StoreDb, d: Digest, to: readonly string[]): string[] {
  return to.filter((r) => !wasPosted(db, deliveryKey(d, r)));
}

/** Send to each recipient that has not had it; one line per failure, nothing recorded for it (the next attempt retries). */
export async function sendDigestOnce(
  db: StoreDb,
  d: Digest,
  chart: DigestChart | undefined,
  o: { transport: Transporter; from: string; to: readonly string[]; now: Date },
): Promise<{ sent: string[]; already: string[] }> {
  const sent: string[] = [];
  const already: string[] = [];
  for (const rcpt of o.to) {
    const key = deliveryKey(d, rcpt);
    if (wasPosted(db, key)) {
      already.push(rcpt);
      continue;
    }
    // the Message-ID is fixed per (window, recipient): a resend after a crash between the
    // send and the record below is the same message, which mail clients and lore fold
    const mail = digestMail(d, chart, { from: o.from, to: [rcpt], date: o.now, messageId: digestMessageId(d.window.label, rcpt, o.from) });
    try {
      await o.transport.sendMail(mail);
    } catch (e) {
      throw new KtriageError('E_NETWORK', `sending the digest to ${rcpt}: ${(e as Error).message.split('\n')[0]}`);
    }
    recordPost(db, { key, kind: 'smtp', destination: rcpt, content: mail.subject }, o.now);
    sent.push(rcpt);
  }
  return { sent, already };
}

export { renderChart };

// ---- the daemon's schedule ----------------------------------------------------

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const digestScheduleSchema = z
  .object({
    /** who gets it: addresses, or "maintainers" (the subsystem's M: in MAINTAINERS) */
    to: z.array(z.string().min(3)).min(1),
    /** when: the weekday and hour in the time zone; the digest of the ISO week before goes out then */
    weekday: z.enum(WEEKDAYS).default('mon'),
    hour: z.number().int().min(0).max(23).default(8),
    timeZone: z.string().default('UTC').refine(validTimeZone, { message: 'not a time zone (e.g. Europe/Berlin, UTC)' }),
    list: z.string().min(1).optional(),
    subsystem: z.string().min(1).optional(),
  })
  .strict();
export type DigestSchedule = z.output<typeof digestScheduleSchema>;

/** The weekday (0 = Monday), the hour and the calendar date of `now` in a time zone. */
function localParts(now: Date, timeZone: string): { weekday: number; hour: number; date: Date } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = WEEKDAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
  return { weekday, hour: Number(get('hour')), date: new Date(Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')))) };
}

/**
 * The ISO week whose digest is due at `now`: the week before the current one (in the
 * schedule's time zone), once its weekday and hour have come; nothing before that.
 */
export function dueWeek(now: Date, s: Pick<DigestSchedule, 'weekday' | 'hour' | 'timeZone'>): string | undefined {
  const local = localParts(now, s.timeZone);
  const target = WEEKDAYS.indexOf(s.weekday);
  if (local.weekday < target || (local.weekday === target && local.hour < s.hour)) return undefined;
  const w = isoWeekOf(new Date(local.date.getTime() - 7 * 86_400_000));
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}
