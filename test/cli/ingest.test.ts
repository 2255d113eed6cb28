// ktriage ingest and ktriage threads, through the built CLI, on fixture mail
// (test/fixtures/store): an mbox, its .gz, a Maildir, a cross-post, damaged
// mail, reruns, and the bad input each command must refuse in one line.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { ensureDist, runCli, type CliResult } from '../helpers/index-cli.js';

const FIX = join(import.meta.dirname, '../fixtures/store');
const dir = mkdtempSync(join(tmpdir(), 'ktriage-ingest-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => ensureDist());

let n = 0;
const newDb = () => join(dir, `db${n++}.sqlite`);
const ingest = (db: string, ...args: string[]) => runCli(['ingest', ...args, '--db', db, '--no-index']);
const threadsJson = (db: string, ...args: string[]) => {
  const r = runCli(['threads', '--db', db, '--format', 'json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { rootId: string; verdict: string | null; messages: number; lists: string[] }[];
};
const query = <T>(db: string, sql: string): T => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).get() as T;
  } finally {
    d.close();
  }
};
/** one line on stderr, "ktriage: ...", no stack trace */
function oneLineError(r: CliResult, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^ktriage: /);
  assert.ok(!r.stderr.split('\n').some((l) => l.trimStart().startsWith('at ')), r.stderr);
  assert.match(r.stderr, pattern);
}

describe('ktriage ingest', () => {
  test('an mbox is stored, threaded and judged; a rerun is a no-op', () => {
    const db = newDb();
    const r = ingest(db, join(FIX, 'corvid-adc.mbox'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ingest .*corvid-adc\.mbox: 4 read, 4 new, 0 already stored, 0 skipped; 2 threads changed, 2 judged, 2 verdicts changed/);
    const threads = threadsJson(db);
    assert.deepEqual(
      threads.map((t) => [t.rootId, t.messages, t.verdict]),
      [
        ['<20240307081500.33120-1-avarga@example.net>', 1, 'no-failure'],
        ['<202403050712.Qa7Rt2Xk-lkp@intel.com>', 3, 'fixes'],
      ],
    );
    const again = ingest(db, join(FIX, 'corvid-adc.mbox'));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /: 0 read, 0 new, 0 already stored, 0 skipped; 0 threads changed, 0 judged, 0 verdicts changed/);
    assert.equal(query<{ n: number }>(db, 'SELECT count(*) AS n FROM messages').n, 4);
    assert.equal(query<{ n: number }>(db, 'SELECT count(*) AS n FROM verdicts').n, 2);
  });

  test('the same archive gzipped (another file identity) adds nothing: every message is already stored', () => {
    const db = newDb();
    const gz = join(dir, 'corvid-adc.mbox.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(FIX, 'corvid-adc.mbox'))));
    assert.equal(ingest(db, join(FIX, 'corvid-adc.mbox')).code, 0);
    const r = ingest(db, gz);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: 4 read, 0 new, 4 already stored, 0 skipped; 0 threads changed/);
  });

  test('a cross-post is stored once with both lists; a reused Message-ID keeps both messages; --list names the list', () => {
    const db = newDb();
    assert.equal(ingest(db, join(FIX, 'corvid-adc.mbox')).code, 0);
    const r = ingest(db, join(FIX, 'cross-post.mbox'), '--list', 'iio-archive');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: 2 read, 1 new \(1 under a derived Message-ID\), 1 already stored/);
    const threads = threadsJson(db);
    const cleanup = threads.find((t) => t.rootId === '<20240307081500.33120-1-avarga@example.net>')!;
    assert.deepEqual(cleanup.lists, ['iio-archive', 'linux-iio.vger.kernel.org', 'linux-kernel.vger.kernel.org']);
    assert.ok(threads.some((t) => t.rootId === '<20240307081500.33120-1-avarga=example.net.dup2@ktriage.invalid>'));
    // the thread's verdict did not change: no second row in its history
    assert.equal(query<{ n: number }>(db, "SELECT count(*) AS n FROM verdicts WHERE thread_root = '<20240307081500.33120-1-avarga@example.net>'").n, 1);
  });

  test('a damaged message is skipped, counted and told in one line; the rest is stored', () => {
    const db = newDb();
    const r = ingest(db, join(FIX, 'damaged.mbox'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: 2 read, 2 new, 0 already stored, 1 skipped;/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^ktriage: skipped .*damaged\.mbox message 2: contains NUL bytes/);
    assert.deepEqual(
      threadsJson(db).map((t) => t.messages),
      [2],
    );
  });

  test('a Maildir: new/ and cur/, a damaged file skipped; a new delivery is read alone, a file moved to cur/ is not read again', () => {
    const db = newDb();
    const md = join(dir, 'maildir');
    cpSync(join(FIX, 'maildir'), md, { recursive: true });
    const files = [
      ['cur/1710150000.M100P2201.mx1.example.net:2,S', 1710150000],
      ['new/1710152000.M200P2210.mx1.example.net', 1710152000],
      ['new/1710153000.M300P2211.mx1.example.net', 1710153000],
    ] as const;
    for (const [f, t] of files) utimesSync(join(md, f), t, t);
    const r = runCli(['ingest', `maildir:${md}`, '--db', db, '--no-index']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: 2 read, 2 new, 0 already stored, 1 skipped; 1 threads changed, 1 judged/);
    assert.match(r.stderr, /^ktriage: skipped .*message 3: \(1710153000\.M300P2211\.mx1\.example\.net\) binary data/);
    // a reader moves a message to cur/ and flags it: the same message, not read again
    renameSync(join(md, 'new/1710152000.M200P2210.mx1.example.net'), join(md, 'cur/1710152000.M200P2210.mx1.example.net:2,RS'));
    // a new delivery
    const fresh = join(md, 'new/1710160000.M400P2300.mx1.example.net');
    writeFileSync(
      fresh,
      readFileSync(join(FIX, 'maildir/new/1710152000.M200P2210.mx1.example.net'), 'utf8').replace('<Ze7WQA0b1c2d3e4f@raaberg-x1>', '<Ze7xyz9@raaberg-x1>').replace('Reviewed-by', 'Tested-by'),
    );
    utimesSync(fresh, 1710160000, 1710160000);
    const again = runCli(['ingest', md, '--db', db, '--no-index']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /: 1 read, 1 new, 0 already stored, 0 skipped; 1 threads changed/);
    assert.deepEqual(
      threadsJson(db).map((t) => t.messages),
      [3],
    );
  });
});

describe('ktriage threads', () => {
  const db = join(dir, 'threads.sqlite');
  before(() => {
    for (const f of ['corvid-adc.mbox', 'damaged.mbox']) assert.equal(ingest(db, join(FIX, f)).code, 0);
  });

  test('newest activity first, with the latest verdict, in text', () => {
    const r = runCli(['threads', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[0]!, /^2024-03-09 11:00 {2}unclear 0\.\d\d +2 {2}\[PATCH\] a good one$/);
    assert.match(lines[4]!, /^2024-03-06 18:02 {2}fixes 0\.\d\d +3 {2}\[jic23-iio:testing 12\/30\] ERROR: modpost/);
    assert.match(lines[5]!, /<202403050712\.Qa7Rt2Xk-lkp@intel\.com> {2}linux-iio\.vger\.kernel\.org, oe-kbuild-all\.lists\.linux\.dev$/);
  });

  test('filters: --list, --verdict, --since, --limit', () => {
    assert.deepEqual(
      threadsJson(db, '--list', 'oe-kbuild-all.lists.linux.dev').map((t) => t.rootId),
      ['<202403050712.Qa7Rt2Xk-lkp@intel.com>'],
    );
    assert.deepEqual(
      threadsJson(db, '--verdict', 'fixes').map((t) => t.rootId),
      ['<202403050712.Qa7Rt2Xk-lkp@intel.com>'],
    );
    assert.deepEqual(threadsJson(db, '--verdict', 'hides'), []);
    assert.equal(threadsJson(db, '--since', '2024-03-07').length, 2);
    assert.deepEqual(threadsJson(db, '--since', '7d'), []);
    assert.equal(threadsJson(db, '--limit', '1').length, 1);
    assert.equal(runCli(['threads', '--db', db, '--since', '7d']).stdout, 'no threads\n');
  });

  test('KTRIAGE_DB names the store', () => {
    const r = runCli(['threads', '--format', 'json'], { env: { KTRIAGE_DB: db } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 3);
  });
});

describe('bad input: one line, nonzero exit', () => {
  test('ingest', () => {
    const db = newDb();
    oneLineError(ingest(db, join(dir, 'missing.mbox')), /missing\.mbox: no such file or directory/);
    oneLineError(ingest(db, FIX), /a directory, but not a Maildir/);
    const bin = join(dir, 'blob.bin');
    writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255]));
    oneLineError(ingest(db, bin), /blob\.bin: binary data, not mail/);
    oneLineError(runCli(['ingest', join(FIX, 'corvid-adc.mbox'), '--db', join(FIX, 'damaged.mbox'), '--no-index']), /not a usable ktriage store|cannot open the store/);
    oneLineError(runCli(['ingest', 'gopher://mail.example.org/INBOX', '--db', db]), /can be ingested so far/);
    oneLineError(runCli(['ingest', 'imap://mail.example.org/INBOX', '--db', db]), /no user name/);
    oneLineError(runCli(['ingest', '--db', db]), /expected one source/);
    oneLineError(runCli(['ingest', join(FIX, 'corvid-adc.mbox'), '--db', db, '--batch', '0']), /--batch must be/);
  });

  test('threads', () => {
    oneLineError(runCli(['threads', '--db', join(dir, 'nothing-here.sqlite')]), /no store there/);
    const db = newDb();
    assert.equal(ingest(db, join(FIX, 'damaged.mbox')).code, 0);
    oneLineError(runCli(['threads', '--db', db, '--since', 'last week']), /--since must be a duration/);
    oneLineError(runCli(['threads', '--db', db, '--verdict', 'great']), /--verdict must be one of/);
    oneLineError(runCli(['threads', '--db', db, '--format', 'xml']), /--format must be one of/);
  });
});
