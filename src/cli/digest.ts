// ktriage digest [--since 7d | --week 2026-W49] [--until DATE] [--list L] [--subsystem S]
//                [--out FILE | --to ADDR...] [--format text|html|eml] [--db FILE] [--index PATH]
// The weekly digest from the store: what was reported, hidden, fixed, by subsystem
// (MAINTAINERS of the indexed tree), with a chart; written to a file or stdout, or
// sent over SMTP once per (window, recipient).

import { writeFileSync, renameSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { KtriageError } from '../core/errors.js';
import { buildDigest, type DigestWindow } from '../report/digest/model.js';
import { digestText } from '../report/digest/text.js';
import { digestHtml } from '../report/digest/html.js';
import { renderChart, CHART_SIZE } from '../report/digest/chart.js';
import { digestEml, digestMail, CHART_CID } from '../report/digest/eml.js';
import { digestRows } from '../store/digest-rows.js';
import { openStoreDb, storePath } from '../store/store.js';
import { recordPost, wasPosted } from '../store/verdict-store.js';
import { oneOf, parse, USAGE } from './args.js';
import { indexFromValues } from './index-choice.js';
import { parseSince } from './threads.js';

const DAY = 86_400_000;

/** ISO 8601 week "2026-W49": Monday 00:00 UTC to the next Monday. */
export function isoWeek(spec: string): DigestWindow {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(spec.trim());
  if (!m) throw new KtriageError('E_USAGE', `--week must look like 2026-W49 (got "${spec}")`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  // week 1 holds the year's first Thursday: its Monday is Jan 4th's Monday
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Dow = (new Date(jan4).getUTCDay() + 6) % 7;
  const start = jan4 - jan4Dow * DAY + (week - 1) * 7 * DAY;
  const weeksInYear = isoWeekOf(new Date(Date.UTC(year, 11, 28))).week;
  if (week < 1 || week > weeksInYear) throw new KtriageError('E_USAGE', `--week: ${year} has weeks 1 to ${weeksInYear} (got ${week})`);
  return { start: new Date(start), end: new Date(start + 7 * DAY), label: `${year}-W${String(week).padStart(2, '0')}` };
}

export function isoWeekOf(d: Date): { year: number; week: number } {
  const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t - dow * DAY + 3 * DAY;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) };
}

function windowFrom(values: { since?: string; week?: string; until?: string }, now: Date): DigestWindow {
  if (values.week && values.since) throw new KtriageError('E_USAGE', 'give --week or --since, not both');
  if (values.week) return isoWeek(values.week);
  const end = values.until ? parseDate(values.until, '--until') : now;
  const start = parseSince(values.since ?? '7d', end);
  if (start >= end) throw new KtriageError('E_USAGE', '--since must be before --until');
  const days = Math.round((end.getTime() - start.getTime()) / DAY);
  return { start, end, label: `${days} day${days === 1 ? '' : 's'} to ${new Date(end.getTime() - 1).toISOString().slice(0, 10)}` };
}

function parseDate(v: string, flag: string): Date {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) throw new KtriageError('E_USAGE', `${flag} must be a date (2026-12-07) (got "${v}")`);
  return new Date(t);
}

export async function runDigest(argv: string[], out: NodeJS.WritableStream, now: Date = new Date()): Promise<number> {
  const { values } = parse(
    argv,
    {
      db: { type: 'string' },
      index: { type: 'string' },
      tree: { type: 'string' },
      'no-index': { type: 'boolean' },
      since: { type: 'string' },
      week: { type: 'string' },
      until: { type: 'string' },
      list: { type: 'string' },
      subsystem: { type: 'string' },
      out: { type: 'string', short: 'o' },
      to: { type: 'string', multiple: true },
      from: { type: 'string' },
      smtp: { type: 'string' },
      format: { type: 'string', short: 'f' },
      'no-chart': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE.digest,
  );
  if (values.help) {
    out.write(USAGE.digest + '\n');
    return 0;
  }
  const window = windowFrom(values, now);
  const span = window.end.getTime() - window.start.getTime();
  const previousWindow = { start: new Date(window.start.getTime() - span), end: window.start, label: 'before' };
  const format = oneOf(values.format, ['text', 'html', 'eml'] as const, '--format', values.to?.length ? 'eml' : 'text');
  const to = values.to ?? [];
  if (to.length && values.out) throw new KtriageError('E_USAGE', 'give --out FILE or --to ADDR, not both');
  const from = values.from ?? process.env.KTRIAGE_FROM ?? 'ktriage <ktriage@localhost.invalid>';

  const db = openStoreDb(storePath(values.db));
  // MAINTAINERS routing comes from the kernel index, when one is there
  const index = indexFromValues({ index: values.index, tree: values.tree, 'no-index': values['no-index'] });
  try {
    const route = index?.port.maintainers
      ? (files: string[]) =>
          index.port.maintainers!(files)
            .filter((m) => !/^THE REST$/i.test(m.title))
            .map((m) => m.title)
      : undefined;
    const digest = buildDigest(digestRows(db, previousWindow.start, window.end), { window, previousWindow, route, list: values.list, subsystem: values.subsystem });
    const chart = values['no-chart'] || format === 'text' ? undefined : renderChart(digest);

    if (to.length) {
      const smtp = values.smtp ?? process.env.KTRIAGE_SMTP;
      if (!smtp) throw new KtriageError('E_USAGE', '--to needs an SMTP server: --smtp smtp://host:port or KTRIAGE_SMTP');
      const sent = await sendOnce(db, digest, chart, { smtp, from, to, now });
      out.write(`${sent.sent.length ? `sent to ${sent.sent.join(', ')}` : 'nothing sent'}${sent.already.length ? `; already sent for ${digest.window.label}: ${sent.already.join(', ')}` : ''}\n`);
      return 0;
    }
    let body: string | Buffer;
    if (format === 'text') body = digestText(digest);
    else if (format === 'html') body = digestHtml(digest, chart ? { cid: CHART_CID, alt: chart.alt, ...CHART_SIZE } : undefined);
    else body = await digestEml(digest, chart, { from, to: [], date: now, messageId: digestMessageId(digest.window.label, 'file', from) });
    if (values.out) {
      const tmp = `${values.out}.tmp-${process.pid}`;
      writeFileSync(tmp, body);
      renameSync(tmp, values.out);
    } else out.write(body);
    return 0;
  } finally {
    index?.close();
    db.close();
  }
}

function digestMessageId(label: string, recipient: string, from: string): string {
  const at = from.lastIndexOf('@');
  const rest = at >= 0 ? from.slice(at + 1) : '';
  const stop = rest.search(/[>\s]/);
  const host = (stop >= 0 ? rest.slice(0, stop) : rest) || 'ktriage.invalid';
  return `<ktriage-digest-${label}-${createHash('sha256').update(recipient.toLowerCase()).digest('hex').slice(0, 12)}@${host}>`;
}

/** One mail per recipient and window, ever: the posts table's idempotency key remembers it across runs. */
async function sendOnce(
  db: ReturnType<typeof openStoreDb>,
  digest: ReturnType<typeof buildDigest>,
  chart: ReturnType<typeof renderChart> | undefined,
  o: { smtp: string; from: string; to: string[]; now: Date },
): Promise<{ sent: string[]; already: string[] }> {
  const nodemailer = (await import('nodemailer')).default;
  let url: URL;
  try {
    url = new URL(o.smtp);
  } catch {
    throw new KtriageError('E_USAGE', `--smtp must be a URL like smtp://host:25 (got "${o.smtp}")`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new KtriageError('E_USAGE', `--smtp must be smtp:// or smtps:// (got "${url.protocol}")`);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    ignoreTLS: url.protocol === 'smtp:' && url.hostname === '127.0.0.1',
    connectionTimeout: 10_000,
  });
  const sent: string[] = [];
  const already: string[] = [];
  try {
    for (const rcpt of o.to) {
      const key = `digest|${digest.window.label}|${digest.scope.join(',')}|${rcpt.toLowerCase()}`;
      if (wasPosted(db, key)) {
        already.push(rcpt);
        continue;
      }
      const mail = digestMail(digest, chart, { from: o.from, to: [rcpt], date: o.now, messageId: digestMessageId(digest.window.label, rcpt, o.from) });
      try {
        await transport.sendMail(mail);
      } catch (e) {
        throw new KtriageError('E_NETWORK', `sending the digest to ${rcpt} via ${url.host}: ${(e as Error).message.split('\n')[0]}`);
      }
      recordPost(db, { key, kind: 'smtp', destination: rcpt, content: mail.subject }, o.now);
      sent.push(rcpt);
    }
  } finally {
    transport.close();
  }
  return { sent, already };
}
