// ktriage digest [--since 7d | --week 2026-W49] [--until DATE] [--list L] [--subsystem S]
//                [--out FILE | --to ADDR...] [--format text|html|eml] [--db FILE] [--index PATH]
// The weekly digest from the store: what was reported, hidden, fixed, by subsystem
// (MAINTAINERS of the indexed tree), with a chart; written to a file or stdout, or
// sent over SMTP once per (window, recipient).

import { writeFileSync, renameSync } from 'node:fs';
import { KtriageError } from '../core/errors.js';
import { digestMessageId, expandRecipients, makeDigest, sendDigestOnce } from '../daemon/digest.js';
import type { DigestWindow } from '../report/digest/model.js';
import { digestText } from '../report/digest/text.js';
import { digestHtml } from '../report/digest/html.js';
import { renderChart, CHART_SIZE } from '../report/digest/chart.js';
import { digestEml, CHART_CID } from '../report/digest/eml.js';
import { isoWeek } from '../report/digest/weeks.js';
import { openStoreDb, storePath } from '../store/store.js';
import { oneOf, parse, USAGE } from './args.js';
import { indexFromValues } from './index-choice.js';
import { parseSince } from './threads.js';

export { isoWeek, isoWeekOf } from '../report/digest/weeks.js';

const DAY = 86_400_000;

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
  const format = oneOf(values.format, ['text', 'html', 'eml'] as const, '--format', values.to?.length ? 'eml' : 'text');
  const to = values.to ?? [];
  if (to.length && values.out) throw new KtriageError('E_USAGE', 'give --out FILE or --to ADDR, not both');
  const from = values.from ?? process.env.KTRIAGE_FROM ?? 'ktriage <ktriage@localhost.invalid>';

  const db = openStoreDb(storePath(values.db));
  // MAINTAINERS routing comes from the kernel index, when one is there
  const index = indexFromValues({ index: values.index, tree: values.tree, 'no-index': values['no-index'] });
  try {
    const digest = makeDigest(db, { window, list: values.list, subsystem: values.subsystem, index });
    const recipients = expandRecipients(to, values.subsystem, index);
    const chart = values['no-chart'] || format === 'text' ? undefined : renderChart(digest);

    if (to.length) {
      const smtp = values.smtp ?? process.env.KTRIAGE_SMTP;
      if (!smtp) throw new KtriageError('E_USAGE', '--to needs an SMTP server: --smtp smtp://host:port or KTRIAGE_SMTP');
      const { transport, host } = await smtpTransport(smtp);
      let sent;
      try {
        sent = await sendDigestOnce(db, digest, chart, { transport, from, to: recipients, now });
      } catch (e) {
        throw e instanceof KtriageError ? new KtriageError(e.code, e.message.replace(/^(sending the digest to \S+): /, `$1 via ${host}: `)) : e;
      } finally {
        transport.close();
      }
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

/** --smtp smtp://host:port (or smtps://): a nodemailer transport. */
async function smtpTransport(spec: string) {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new KtriageError('E_USAGE', `--smtp must be a URL like smtp://host:25 (got "${spec}")`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new KtriageError('E_USAGE', `--smtp must be smtp:// or smtps:// (got "${url.protocol}")`);
  const nodemailer = (await import('nodemailer')).default;
  const secure = url.protocol === 'smtps:';
  return { transport: nodemailer.createTransport({ host: url.hostname, port: Number(url.port || (secure ? 465 : 25)), secure, connectionTimeout: 10_000 }), host: url.host };
}
