// The daemon's weekly digest: due at its weekday and hour in its time zone (the ISO week
// before), sent once per (week, recipient) across restarts through a real SMTP receiver,
// and written to the outbox once when no SMTP is configured.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WatchConfigSchema, validateConfig } from '../../src/daemon/config.js';
import { dueWeek } from '../../src/daemon/digest.js';
import { createLogger } from '../../src/daemon/log.js';
import { Watcher } from '../../src/daemon/watch.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';
import { startSink } from '../helpers/smtp-sink.js';

const tmp = mkdtempSync(join(tmpdir(), 'ktriage-digest-schedule-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('when the digest is due', () => {
  const berlin = { weekday: 'mon' as const, hour: 8, timeZone: 'Europe/Berlin' };
  test('not before its weekday and hour in its time zone; then the ISO week before, all week long', () => {
    // Monday 2026-12-07: 07:30 in Berlin is not yet 08:00
    assert.equal(dueWeek(new Date('2026-12-07T06:30:00Z'), berlin), undefined);
    assert.equal(dueWeek(new Date('2026-12-07T07:05:00Z'), berlin), '2026-W49');
    assert.equal(dueWeek(new Date('2026-12-10T12:00:00Z'), berlin), '2026-W49');
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin: the new week, before the hour
    assert.equal(dueWeek(new Date('2026-12-13T23:30:00Z'), berlin), undefined);
    assert.equal(dueWeek(new Date('2026-12-14T07:00:00Z'), berlin), '2026-W50');
    // across a year: the first Monday of 2027 sends 2026's last week
    assert.equal(dueWeek(new Date('2027-01-04T09:00:00Z'), { weekday: 'mon', hour: 8, timeZone: 'UTC' }), '2026-W53');
  });
  test('a schedule with a wrong time zone or weekday is one line per error', () => {
    const r = validateConfig({ digests: [{ to: ['m@example.org'], timeZone: 'Mars/Olympus', weekday: 'monday' }] }, 'cfg.json');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.errors.some((e) => /digests\.0\.timeZone: not a time zone/.test(e)), JSON.stringify(r));
    assert.ok(!r.ok && r.errors.some((e) => /digests\.0\.weekday/.test(e)), JSON.stringify(r));
  });
});

describe('the daemon sends it', () => {
  const db = join(tmp, 'store.sqlite');
  const maildir = join(tmp, 'Maildir');
  before(() => {
    ensureDist();
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    for (const f of ['store/corvid-adc.mbox', 'reference/fix-credits-robot.mbox']) assert.equal(runCli(['ingest', join(REPO, 'test', 'fixtures', f), '--db', db]).code, 0);
  });
  // 2024-03-11 is a Monday: the digest of 2024-W10 (March 4 to 10) holds the fixture threads
  const monday = new Date('2024-03-11T09:00:00Z');
  const config = (extra: object) => WatchConfigSchema.parse({ sources: [`maildir:${maildir}`], db, outbox: join(tmp, 'outbox'), index: {}, ...extra });

  test('over SMTP, once per week and recipient, across a restart; a new recipient still gets it', async () => {
    const sink = await startSink();
    try {
      const post = { from: 'ktriage <bot@example.org>', smtp: { host: '127.0.0.1', port: sink.port } };
      const digests = [{ to: ['mm@example.org', 'iio@example.org'], weekday: 'mon', hour: 8, timeZone: 'UTC' }];
      for (let run = 0; run < 2; run++) {
        const w = await Watcher.open({ config: config({ post, digests }), once: true, log: createLogger('silent') });
        await w.sendDueDigests(monday);
        await w.stop('test');
      }
      assert.deepEqual(sink.received.map((r) => r.to.join(',')).sort(), ['iio@example.org', 'mm@example.org']);
      const raw = sink.received[0]!.raw;
      assert.match(raw, /^Subject: \[ktriage\] weekly digest 2024-W10$/m);
      assert.match(raw, /Content-Type: multipart\/alternative/);
      assert.match(raw, /Content-ID: <digest-chart@ktriage>/);
      const more = [{ to: ['mm@example.org', 'new@example.org'], weekday: 'mon', hour: 8, timeZone: 'UTC' }];
      const w = await Watcher.open({ config: config({ post, digests: more }), once: true, log: createLogger('silent') });
      await w.sendDueDigests(monday);
      await w.stop('test');
      assert.equal(sink.received.length, 3);
      assert.deepEqual(sink.received[2]!.to, ['new@example.org']);
    } finally {
      await sink.close();
    }
  });

  test('"maintainers": the subsystem digest goes to the M: lines of its MAINTAINERS section', async () => {
    const sink = await startSink();
    try {
      const post = { from: 'ktriage <bot@example.org>', smtp: { host: '127.0.0.1', port: sink.port } };
      const digests = [{ to: ['maintainers'], subsystem: 'IIO SUBSYSTEM AND DRIVERS', weekday: 'mon', hour: 8, timeZone: 'UTC' }];
      const w = await Watcher.open({ config: config({ post, digests }), once: true, log: createLogger('silent') });
      await w.sendDueDigests(monday);
      await w.stop('test');
      assert.deepEqual(
        sink.received.map((r) => r.to),
        [['jic23@kernel.org']],
      );
    } finally {
      await sink.close();
    }
  });

  test('without SMTP, written to the outbox once', async () => {
    const outbox = join(tmp, 'outbox-only');
    const digests = [{ to: ['solo@example.org'], weekday: 'mon', hour: 8, timeZone: 'UTC' }];
    for (let run = 0; run < 2; run++) {
      const w = await Watcher.open({ config: { ...config({ digests }), outbox }, once: true, log: createLogger('silent') });
      await w.sendDueDigests(monday);
      await w.stop('test');
    }
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    assert.match(readFileSync(join(outbox, files[0]!), 'utf8'), /^Subject: \[ktriage\] weekly digest 2024-W10$/m);
  });
});
