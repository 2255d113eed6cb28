// A fix that arrives in its own thread for a report the bot already summarised (a robot's
// "this patch breaks the build" under a series) says so once, in the fix's own summary:
// no second post under the report. The link comes from the fix's Closes: (report_links).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WatchConfigSchema } from '../../src/daemon/config.js';
import { createLogger } from '../../src/daemon/log.js';
import { Watcher } from '../../src/daemon/watch.js';
import { REPO } from '../helpers/index-fixtures.js';
import { deliver, outboxFiles, query } from '../helpers/watch.js';

const tmp = mkdtempSync(join(tmpdir(), 'ktriage-answered-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const FIX = join(REPO, 'test', 'fixtures', 'reference');

function mails(file: string): string[] {
  return readFileSync(join(FIX, file), 'utf8')
    .split(/^(?=From [^\s@]+@\S+ )/m)
    .filter((m) => m.trim())
    .map((m) => m.replace(/^From .*\n/, ''));
}

async function once(config: ReturnType<typeof WatchConfigSchema.parse>): Promise<void> {
  const w = await Watcher.open({ config, once: true, log: createLogger('silent') });
  assert.equal(await w.run(), 0);
}

test('the fix says once that it answers the report the bot summarised', async () => {
  const maildir = join(tmp, 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  const db = join(tmp, 'store.sqlite');
  const outbox = join(tmp, 'outbox');
  const config = WatchConfigSchema.parse({ sources: [`maildir:${maildir}`], db, outbox, index: { none: true }, post: { minConfidence: 0.5 } });

  for (const m of mails('breaks-report-thread.mbox')) deliver(maildir, m);
  await once(config);
  // the series the robot says breaks the build: judged (no-patch, the breaks listed), nothing to post
  assert.equal(query<{ v: string }>(db, 'SELECT verdict AS v FROM verdicts ORDER BY id DESC LIMIT 1')[0]!.v, 'no-patch');
  assert.equal(outboxFiles(outbox).length, 0);

  for (const m of mails('fix-in-own-thread.mbox')) deliver(maildir, m);
  await once(config);
  const files = outboxFiles(outbox);
  assert.equal(files.length, 1, 'one post: the fix, none under the report');
  const fix = readFileSync(join(outbox, files[0]!), 'utf8');
  assert.match(fix, /X-Ktriage-Verdict: fixes/);
  assert.match(fix.replace(/\s+/g, ' '), /This answers the report <202403042000\.XyZ12345-lkp@intel\.com> .*which ktriage judged no-patch on \d{4}-\d{2}-\d{2}/);
  // said once: the fix's summary, not repeated on a rerun
  await once(config);
  assert.equal(outboxFiles(outbox).length, 1);
  assert.equal(query<{ n: number }>(db, "SELECT count(*) AS n FROM report_links WHERE report_id = '<202403042000.XyZ12345-lkp@intel.com>'")[0]!.n, 1);
});

test('--jsonl: one JSON line per new verdict row, for other tools', async () => {
  const maildir = join(tmp, 'Maildir2');
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  const db = join(tmp, 'store2.sqlite');
  const jsonl = join(tmp, 'verdicts.jsonl');
  const config = WatchConfigSchema.parse({ sources: [`maildir:${maildir}`], db, outbox: join(tmp, 'outbox2'), index: { none: true }, jsonl });
  for (const m of [...mails('breaks-report-thread.mbox'), ...mails('fix-in-own-thread.mbox')]) deliver(maildir, m);
  await once(config);
  await once(config); // nothing new: no new line
  const lines = readFileSync(jsonl, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { threadRoot: string; verdictId: number; verdict: string; judgedAt: string });
  const rows = query<{ id: number; root: string; verdict: string }>(db, 'SELECT id, thread_root AS root, verdict FROM verdicts ORDER BY id');
  assert.deepEqual(
    lines.map((l) => [l.verdictId, l.threadRoot, l.verdict]),
    rows.map((r) => [r.id, r.root, r.verdict]),
  );
  assert.ok(lines.every((l) => !Number.isNaN(Date.parse(l.judgedAt))));
});

test('a fix that arrives before the report it names is judged again when the report comes: the same verdict as report first', async () => {
  const latestOf = (db: string) =>
    query<{ root: string; verdict: string; patch: string | null }>(
      db,
      'SELECT thread_root AS root, verdict, patch_id AS patch, confidence FROM verdicts v WHERE id = (SELECT max(id) FROM verdicts w WHERE w.thread_root = v.thread_root) ORDER BY thread_root',
    );
  const run = async (name: string, order: string[][]) => {
    const maildir = join(tmp, `${name}-Maildir`);
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    const db = join(tmp, `${name}.sqlite`);
    const config = WatchConfigSchema.parse({ sources: [`maildir:${maildir}`], db, outbox: join(tmp, `${name}-outbox`), index: { none: true } });
    for (const step of order) {
      for (const f of step) for (const m of mails(f)) deliver(maildir, m);
      await once(config);
    }
    return latestOf(db);
  };
  const reportFirst = await run('report-first', [['../linked/robot-report.mbox'], ['../linked/robot-fix.mbox']]);
  const fixFirst = await run('fix-first', [['../linked/robot-fix.mbox'], ['../linked/robot-report.mbox']]);
  assert.equal(reportFirst.length, 2);
  assert.deepEqual(fixFirst, reportFirst);
  assert.ok(
    fixFirst.some((r) => r.verdict === 'fixes'),
    JSON.stringify(fixFirst),
  );
});
