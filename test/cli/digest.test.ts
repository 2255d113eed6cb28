// ktriage digest: a store filled from fixture threads (ingest, bundled index for the
// MAINTAINERS routing), rendered as text (golden), HTML (golden), and one email whose
// chart is a real PNG; sent through a real SMTP receiver (smtp-server on loopback)
// once per window and recipient, across runs; ISO weeks; bad input in one line.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { freePort } from '../helpers/net.js';
import { isoWeek, runDigest } from '../../src/cli/digest.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const GOLDEN = join(FIX, 'digest');
const dir = mkdtempSync(join(tmpdir(), 'ktriage-digest-'));
const db = join(dir, 'store.sqlite');
const WINDOW = ['--since', '2023-12-01', '--until', '2024-07-01'];
const THREADS = [
  'series/linux-next-merge-failure.mbox',
  'series/robot-breaks-member.mbox',
  'series/robot-breaks-v2-answers.mbox',
  'reference/fix-closes-report-in-thread.mbox',
  'reference/fix-credits-robot.mbox',
  'store/corvid-adc.mbox',
  'linked/robot-report.mbox',
  'linked/robot-fix.mbox',
];
// regenerate the golden files with KTRIAGE_UPDATE_GOLDEN=1 (and read the diff before committing)
const UPDATE = process.env.KTRIAGE_UPDATE_GOLDEN === '1';

before(() => {
  ensureDist();
  for (const t of THREADS) {
    const r = runCli(['ingest', join(FIX, t), '--db', db]);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE || !existsSync(path)) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `differs from ${path}`);
}

async function digest(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  const code = await runDigest(['--db', db, ...args], sink, new Date('2026-12-07T06:00:00Z'));
  return { code, out };
}

describe('ktriage digest', () => {
  test('text: every section a maintainer acts on, 72 columns, each item with its lore link', async () => {
    const r = runCli(['digest', '--db', db, ...WINDOW]);
    assert.equal(r.code, 0, r.stderr);
    golden('kbuild-fixtures.txt', r.stdout);
    for (const line of r.stdout.split('\n')) if (!/https?:\/\/\S+$/.test(line)) assert.ok(line.length <= 72, `longer than 72: ${line}`);
    assert.match(r.stdout, /Build failures with no patch yet, oldest first \(1\)/);
    // the robot's report in a thread of its own, answered by a fix elsewhere (Closes:): not open
    assert.match(r.stdout, /Reports answered by a patch in another thread \(1\)[^]*Answered by: \[PATCH\] drm\/tilia: fix build error/);
    assert.match(r.stdout, /Subsystem: MEMORY MANAGEMENT/); // MAINTAINERS of the bundled tree, not the list
    assert.match(r.stdout, /Started by: the kernel test robot:\s+https:\/\/lore\.kernel\.org\/oe-kbuild-all\/202403040812\.AbCdEfGh-lkp@intel\.com\//);
  });

  test('html: the same content, the chart by cid, no remote image, no script', async () => {
    const r = runCli(['digest', '--db', db, ...WINDOW, '--format', 'html']);
    assert.equal(r.code, 0, r.stderr);
    golden('kbuild-fixtures.html', r.stdout);
    assert.match(r.stdout, /<img src="cid:digest-chart@ktriage" alt="Bar chart, [^"]+" width="600" height="260">/);
    assert.doesNotMatch(r.stdout, /<script|src="https?:|<link /i);
  });

  test('eml: multipart/alternative, text then HTML with the chart inline; the PNG decodes at its size', async () => {
    const out = join(dir, 'digest.eml');
    const r = runCli(['digest', '--db', db, ...WINDOW, '--format', 'eml', '--out', out, '--from', 'ktriage <bot@example.org>']);
    assert.equal(r.code, 0, r.stderr);
    const raw = readFileSync(out);
    assert.match(raw.toString('latin1'), /^Content-Type: multipart\/alternative;/m);
    const m = await simpleParser(raw);
    assert.match(m.subject ?? '', /^\[ktriage\] weekly digest 213 days to 2024-06-30$/);
    assert.match(m.text ?? '', /Fixes \(6\)/);
    const png = m.attachments.find((a) => a.contentType === 'image/png');
    assert.ok(png, 'the chart');
    assert.equal(png.cid, 'digest-chart@ktriage');
    assert.equal(png.content.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20
    assert.equal(png.content.readUInt32BE(16), 600);
    assert.equal(png.content.readUInt32BE(20), 260);
  });

  test('MAINTAINERS K: keywords route a patch as get_maintainer.pl does: a multitouch event in an IIO driver reaches both', async () => {
    const kdb = join(dir, 'keyword.sqlite');
    assert.equal(runCli(['ingest', join(GOLDEN, 'keyword-route.mbox'), '--db', kdb]).code, 0);
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    assert.equal(await runDigest(['--db', kdb, ...WINDOW], sink, new Date('2026-12-07T06:00:00Z')), 0);
    // counted once, under its most specific section: the file's (F:)
    assert.match(out, /IIO SUBSYSTEM AND DRIVERS: 1 /);
    // and in the digest of the section its ABS_MT_ lines name (K:), not in an unrelated one
    const scoped = async (subsystem: string) => {
      out = '';
      assert.equal(await runDigest(['--db', kdb, ...WINDOW, '--subsystem', subsystem], sink, new Date('2026-12-07T06:00:00Z')), 0);
      return out;
    };
    const mt = await scoped('INPUT MULTITOUCH (MT) PROTOCOL');
    assert.match(mt, /1 thread judged/);
    // its "By subsystem" counts it under the section the digest is about, not under IIO's
    assert.match(mt, /INPUT MULTITOUCH \(MT\) PROTOCOL: 1 /);
    assert.doesNotMatch(mt, /IIO SUBSYSTEM AND DRIVERS: 1 /);
    assert.match(await scoped('SOUND'), /0 threads judged/);
  });

  test('sent over SMTP once per window and recipient, across runs', async () => {
    const port = await freePort();
    const got: { to: string[]; raw: Buffer }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          got.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
          cb();
        });
      },
    });
    await new Promise<void>((res) => server.listen(port, '127.0.0.1', res));
    try {
      const smtp = `smtp://127.0.0.1:${port}`;
      const first = await digest([...WINDOW, '--to', 'mm-maint@example.org', '--to', 'iio@example.org', '--smtp', smtp]);
      assert.equal(first.code, 0);
      assert.match(first.out, /^sent to mm-maint@example\.org, iio@example\.org/);
      assert.equal(got.length, 2);
      const m = await simpleParser(got[0]!.raw);
      assert.equal(m.attachments.filter((a) => a.cid === 'digest-chart@ktriage').length, 1);
      // a second run (a restart, a cron retry) sends nothing again; a new recipient gets it
      const again = await digest([...WINDOW, '--to', 'mm-maint@example.org', '--to', 'new@example.org', '--smtp', smtp]);
      assert.match(again.out, /sent to new@example\.org; already sent for .*: mm-maint@example\.org/);
      assert.equal(got.length, 3);
      // a subsystem's digest to its maintainers: the M: lines of its MAINTAINERS section
      const sound = await digest([...WINDOW, '--subsystem', 'SOUND', '--to', 'maintainers', '--smtp', smtp]);
      assert.equal(sound.code, 0);
      assert.deepEqual(
        got.slice(3).map((g) => g.to),
        [['perex@perex.cz'], ['tiwai@suse.com']],
      );
      const soundMail = await simpleParser(got[3]!.raw);
      assert.match(soundMail.text ?? '', /SOUND: 1 fixes/);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });

  test('an SMTP server that is not there: one line, nonzero', async () => {
    const port = await freePort();
    const r = runCli(['digest', '--db', db, ...WINDOW, '--to', 'x@example.org', '--smtp', `smtp://127.0.0.1:${port}`]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^ktriage: sending the digest to x@example\.org via 127\.0\.0\.1:\d+: /);
  });

  test('ISO weeks: Monday to Monday, week 53 only where the year has one', () => {
    const w = isoWeek('2026-W49');
    assert.equal(w.start.toISOString(), '2026-11-30T00:00:00.000Z');
    assert.equal(w.end.toISOString(), '2026-12-07T00:00:00.000Z');
    assert.equal(isoWeek('2020-W53').start.toISOString(), '2020-12-28T00:00:00.000Z');
    assert.equal(isoWeek('2021-W01').start.toISOString(), '2021-01-04T00:00:00.000Z');
    assert.throws(() => isoWeek('2021-W53'), /2021 has weeks 1 to 52/);
  });

  for (const [args, pattern] of [
    [['--week', 'last'], /--week must look like 2026-W49/],
    [['--since', 'yesterday'], /--since must be a duration/],
    [['--week', '2026-W49', '--since', '7d'], /give --week or --since, not both/],
    [['--format', 'pdf'], /--format must be one of text, html, eml/],
    [['--to', 'a@example.org'], /--to needs an SMTP server/],
    [['--to', 'maintainers'], /"maintainers" as a recipient needs a subsystem/],
    [['--to', 'maintainers', '--subsystem', 'NO SUCH SUBSYSTEM'], /no MAINTAINERS section titled "NO SUCH SUBSYSTEM"/],
  ] as const) {
    test(`bad input ${args.join(' ')}: one line, nonzero`, () => {
      const r = runCli(['digest', '--db', db, ...args], { env: { KTRIAGE_SMTP: '' } });
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    });
  }
});
