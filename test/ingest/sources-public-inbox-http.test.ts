// The public-inbox HTTP source: the Atom feed read by position (unit), then
// against a real public-inbox-httpd on a loopback port: every thread of the
// feed, nothing on a rerun, the new mail after a delivery, and
// `ktriage ingest http://127.0.0.1:PORT/test/` end to end.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KtriageError } from '../../src/core/errors.js';
import { newEntries, headerMessageId, parseFeedEntries, publicInboxHttpSource } from '../../src/ingest/sources/public-inbox-http.js';
import type { MailSource } from '../../src/ingest/sources/source.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { createInboxV2, publicInboxMissing, type InboxV2Fixture } from '../helpers/public-inbox-v2.js';

const ARCHIVE = join(import.meta.dirname, '../fixtures/archive');
const PI = join(import.meta.dirname, '../fixtures/public-inbox');
const THREAD = join(ARCHIVE, 'larch-ic-thread.mbox');
const OTHER = join(ARCHIVE, 'other-traffic.mbox');
const V2 = readFileSync(join(PI, 'larch-ic-v2.eml'));
const ACK = readFileSync(join(PI, 'larch-ic-v2-ack.eml'));

describe('new.atom, read by position', () => {
  const feed = (entries: string) => `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>mailto:l@example.org</id>${entries}</feed>`;
  const entry = (href: string, updated: string, parent = '') =>
    `<entry><title>t</title><updated>${updated}</updated><link\nhref="${href}"/><id>urn:uuid:x</id>${parent ? `<thr:in-reply-to\nref="urn:uuid:y"\nhref="${parent}"/>` : ''}<content type="xhtml"><div>&lt;link href="http://x/l/evil@x/"</div></content></entry>`;

  test('the Message-ID from each entry own link (decoded), never the parent or the body', () => {
    const xml = feed(
      entry('http://h/l/reply%2F2-9c1e@larch.example/', '2024-01-08T11:02:51Z', 'http://h/l/parent@x/') + entry('http://h/l/a&amp;b@x/', '2024-01-08T10:00:00Z') + entry('http://h/l/no-at-sign/', 'x'),
    );
    assert.deepEqual(parseFeedEntries(xml), [
      { id: 'reply/2-9c1e@larch.example', updated: '2024-01-08T11:02:51Z' },
      { id: 'a&b@x', updated: '2024-01-08T10:00:00Z' },
    ]);
    assert.deepEqual(parseFeedEntries('<feed><entry><link href="http://h/l/a@x/"/>'), []);
  });

  test('entries not read yet, oldest first, wherever they sit in the feed', () => {
    const f = [
      { id: 'c@x', updated: '3' },
      { id: 'late@x', updated: '2' },
      { id: 'a@x', updated: '1' },
    ];
    assert.deepEqual(
      newEntries(f, new Set(['c@x', 'a@x'])).map((e) => e.id),
      ['late@x'],
    );
    assert.deepEqual(
      newEntries(f, new Set(['gone@x'])).map((e) => e.id),
      ['a@x', 'late@x', 'c@x'],
    );
  });

  test('a folded Message-ID header is found', () => {
    assert.equal(headerMessageId(Buffer.from('From: a@x\r\nMessage-ID:\r\n <id@x>\r\n\r\nMessage-ID: <body@x>\r\n')), 'id@x');
    assert.equal(headerMessageId(Buffer.from('From: a@x\n\nMessage-ID: <body@x>\n')), undefined);
  });

  test('only http(s): another scheme or a query is refused in one line', () => {
    assert.throws(
      () => publicInboxHttpSource('http://h/l/?q=x'),
      (e: unknown) => e instanceof KtriageError && e.code === 'E_USAGE',
    );
  });
});

const missing = publicInboxMissing();

async function pull(source: MailSource, checkpoint: string | undefined) {
  const out = { ids: [] as string[], skips: 0, checkpoint };
  for await (const item of source.pull(checkpoint)) {
    if (item.kind === 'mail') out.ids.push(headerMessageId(item.raw.bytes) ?? '?');
    else out.skips++;
    out.checkpoint = item.checkpoint;
  }
  return out;
}

describe('public-inbox HTTP source against public-inbox-httpd', { skip: missing }, () => {
  let f: InboxV2Fixture;
  let url: string;
  const work = mkdtempSync(join(tmpdir(), 'ktriage-pihttp-'));
  before(async () => {
    ensureDist();
    f = createInboxV2([THREAD, OTHER]);
    url = (await f.serve()).url;
  });
  after(async () => {
    await f?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  test('every thread of the feed once, nothing on a rerun, the new mail after a delivery', async () => {
    const source = publicInboxHttpSource(url);
    const first = await pull(source, undefined);
    // five entries in two threads: each thread fetched once (t.mbox.gz)
    assert.equal(first.ids.length, 5);
    assert.equal(new Set(first.ids).size, 5);
    assert.equal(first.skips, 0);
    assert.deepEqual(await pull(source, first.checkpoint), { ids: [], skips: 0, checkpoint: first.checkpoint });
    // a reply whose parent is not in the inbox yet, dated before the newest
    // entry: the feed (ordered by date) lists it below mail already read
    f.deliver(ACK);
    const second = await pull(source, first.checkpoint);
    assert.deepEqual(second.ids, ['ZZ0c9e1f2a3b4c5d@greta-x1.example']);
    assert.equal((JSON.parse(second.checkpoint!) as { ids: string[] }).ids.length, 6);
    assert.deepEqual(await pull(source, second.checkpoint), { ids: [], skips: 0, checkpoint: second.checkpoint });
  });

  test('ktriage ingest http://127.0.0.1:PORT/test/: the inbox, then only the delivery', () => {
    const db = join(work, 'store.sqlite');
    const ingest = () => runCli(['ingest', url, '--db', db, '--no-index']);
    const r1 = ingest();
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /^ingest http:\/\/127\.0\.0\.1:\d+\/test\/: 6 read, 6 new, 0 already stored, 0 skipped;/);
    const r2 = ingest();
    assert.match(r2.stdout, /: 0 read, 0 new, 0 already stored, 0 skipped;/);
    f.deliver(V2);
    const r3 = ingest();
    assert.equal(r3.code, 0, r3.stderr);
    // the new patch's thread: the three messages above it already stored, it and the ack new
    assert.match(r3.stdout, /: 5 read, 1 new, 4 already stored, 0 skipped;/);
  });

  test('a server that is no public-inbox, or is down, in one line', () => {
    const notInbox = runCli(['ingest', url.replace(/test\/$/, 'nosuchlist/'), '--db', join(work, 'x.sqlite'), '--no-index']);
    assert.notEqual(notInbox.code, 0);
    assert.match(notInbox.stderr, /^ktriage: .*nosuchlist.*\n?$/);
    const down = runCli(['ingest', 'http://127.0.0.1:9/list/', '--db', join(work, 'y.sqlite'), '--no-index']);
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /^ktriage: .*connection refused.*\n?$/);
  });
});
