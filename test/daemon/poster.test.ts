// src/daemon/poster.ts against a real SMTP receiver on loopback (smtp-server):
// the outbox always, the list only when allowed, once per (thread, patch
// revision, verdict) across restarts, retries that neither lose nor duplicate.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { triageMessages } from '../../src/analyze/triage.js';
import type { Message, PatchVerdict, Verdict, VerdictKind } from '../../src/core/types.js';
import { parsePostConfig, type PostConfigInput } from '../../src/daemon/post-config.js';
import { createPoster } from '../../src/daemon/poster.js';
import type { Poster, VerdictOffer } from '../../src/daemon/types.js';
import { postByKey, postsWithStatus } from '../../src/store/post-store.js';
import { openStoreDb, type StoreDb } from '../../src/store/store-db.js';
import { freePort } from '../helpers/net.js';
import { headerOf, startSink, type Sink } from '../helpers/smtp-sink.js';
import { makeMessage } from '../helpers/unit.js';

const LIST = 'foo-devel.lists.example.org';
const LIST_ADDR = { name: '', address: 'foo-devel@lists.example.org' };
const T0 = new Date('2026-03-02T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const BODY = [
  'Building with CONFIG_FOO=n fails:',
  '',
  "  ld: drivers/foo/core.o: in function `foo_probe':",
  "  core.c:(.text+0x10): undefined reference to `bar_get'",
  '',
  'Signed-off-by: Ada Hacker <ada@example.org>',
  '---',
  'diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig',
  '--- a/drivers/foo/Kconfig',
  '+++ b/drivers/foo/Kconfig',
  '@@ -1,3 +1,4 @@',
  ' config FOO_CORE',
  ' \ttristate "foo"',
  '+\tdepends on BAR',
  ' \thelp',
  '',
].join('\n');

function patchMail(id: string, opts: { revision?: number; refs?: string[]; topic?: string; tree?: string } = {}): Message {
  const v = opts.revision && opts.revision > 1 ? ` v${opts.revision}` : '';
  return makeMessage({
    messageId: id,
    subject: `[PATCH${opts.tree ? ` ${opts.tree}` : ''}${v}] ${opts.topic ?? 'foo: depend on BAR'}`,
    from: { name: 'Ada Hacker', address: 'ada@example.org' },
    to: [{ name: 'Mo Maintainer', address: 'mo@example.org' }],
    cc: [LIST_ADDR],
    references: opts.refs ?? [],
    ...(opts.refs?.length ? { inReplyTo: opts.refs[opts.refs.length - 1] } : {}),
    date: T0.toISOString(),
    list: LIST,
    body: BODY,
  });
}

/** The engine's verdict on the thread, with its kind and confidence set by the test (policy is under test here, not the rules). */
function verdictOn(messages: Message[], kind: VerdictKind, confidence: number): Verdict {
  const v = triageMessages(messages);
  return { ...v, verdict: kind, confidence, patches: v.patches.map((p) => ({ ...p, verdict: kind, confidence }) as PatchVerdict) };
}

let verdictIds = 0;
function offerOf(messages: Message[], kind: VerdictKind, confidence: number, over: Partial<VerdictOffer> = {}): VerdictOffer {
  return { threadRoot: messages[0]!.messageId, verdictId: ++verdictIds, verdict: verdictOn(messages, kind, confidence), messages, list: LIST, patchArrivedAt: T0, ...over };
}

const silent = pino({ level: 'silent' });

describe('poster', () => {
  let dir: string;
  let db: StoreDb;
  let sink: Sink | undefined;
  let poster: Poster | undefined;
  const outbox = () => join(dir, 'outbox');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ktriage-poster-'));
    db = openStoreDb(join(dir, 'store.sqlite'));
  });
  afterEach(async () => {
    await poster?.close();
    poster = undefined;
    db.close();
    await sink?.close();
    sink = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  after(() => silent.flush());

  function posterFor(port: number, over: PostConfigInput = {}, store: StoreDb = db): Poster {
    const config = parsePostConfig({
      smtp: { host: '127.0.0.1', port },
      from: 'ktriage <bot@triage.example.net>',
      embargoMinutes: 0,
      lists: { [`<${LIST}>`]: { post: true } },
      retry: { baseSeconds: 60, maxSeconds: 600, giveUpHours: 24 },
      ...over,
    });
    poster = createPoster(store, config, { outboxDir: outbox(), log: silent });
    return poster;
  }

  it('an allowed list: the reply arrives threaded under the patch, To its author, Cc the thread; the outbox keeps a copy named by hash', async () => {
    sink = await startSink();
    const p = posterFor(sink.port);
    const offered = p.offer(offerOf([patchMail('<p1@ex.example.org>')], 'hides', 0.9), T0);
    assert.equal(offered.kind, 'queued');
    assert.deepEqual(await p.flush(T0), { sent: 1, deferred: 0, failed: 0 });
    assert.equal(sink.received.length, 1);
    const m = sink.received[0]!;
    assert.equal(headerOf(m.raw, 'In-Reply-To'), '<p1@ex.example.org>');
    assert.equal(headerOf(m.raw, 'References'), '<p1@ex.example.org>');
    assert.equal(headerOf(m.raw, 'Subject'), 'Re: [PATCH] foo: depend on BAR');
    assert.equal(headerOf(m.raw, 'To'), 'Ada Hacker <ada@example.org>');
    assert.equal(headerOf(m.raw, 'Cc'), 'Mo Maintainer <mo@example.org>, foo-devel@lists.example.org');
    assert.deepEqual(m.to.sort(), ['ada@example.org', 'foo-devel@lists.example.org', 'mo@example.org']);
    assert.equal(m.from, 'bot@triage.example.net');
    assert.match(headerOf(m.raw, 'Message-ID')!, /^<ktriage\.[0-9a-f]{24}@triage\.example\.net>$/);
    const files = readdirSync(outbox());
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^[0-9a-f]{32}\.eml$/);
    assert.equal(readFileSync(join(outbox(), files[0]!), 'utf8').replace(/\r\n/g, '\n'), m.raw.replace(/\r\n/g, '\n'));
    assert.equal(postsWithStatus(db, 'sent').length, 1);
  });

  it('a muted list, an unknown list, no SMTP: the outbox only', async () => {
    sink = await startSink();
    const p = posterFor(sink.port, { lists: { [LIST]: { post: false } } });
    const muted = p.offer(offerOf([patchMail('<m1@ex.example.org>')], 'hides', 0.95), T0);
    const unknown = p.offer(offerOf([patchMail('<m2@ex.example.org>')], 'hides', 0.95, { list: 'other.lists.example.org' }), T0);
    assert.equal(muted.kind, 'outbox');
    assert.equal(unknown.kind, 'outbox');
    assert.deepEqual(await p.flush(minutes(600)), { sent: 0, deferred: 0, failed: 0 });
    assert.equal(sink.dataSeen, 0);
    assert.equal(readdirSync(outbox()).length, 2);
    await p.close();
    const noSmtp = createPoster(db, parsePostConfig({ lists: { [LIST]: { post: true } } }), { outboxDir: outbox(), log: silent });
    assert.equal(noSmtp.offer(offerOf([patchMail('<m3@ex.example.org>')], 'hides', 0.95), T0).kind, 'outbox');
    await noSmtp.close();
  });

  it('below the confidence, unclear, no-failure: never sent (unclear still reaches the outbox)', async () => {
    sink = await startSink();
    const p = posterFor(sink.port, { minConfidence: 0.8 });
    assert.equal(p.offer(offerOf([patchMail('<c1@ex.example.org>')], 'hides', 0.79), T0).kind, 'outbox');
    assert.equal(p.offer(offerOf([patchMail('<c2@ex.example.org>')], 'unclear', 0.99), T0).kind, 'outbox');
    assert.equal(p.offer(offerOf([patchMail('<c3@ex.example.org>')], 'no-failure', 0.99), T0).kind, 'skipped');
    assert.equal(p.offer(offerOf([patchMail('<c4@ex.example.org>')], 'hides', 0.8), T0).kind, 'queued');
    await p.flush(T0);
    assert.equal(sink.received.length, 1);
    assert.equal(headerOf(sink.received[0]!.raw, 'In-Reply-To'), '<c4@ex.example.org>');
  });

  it('a reply held below the confidence is sent once the same verdict rises past it (its report arrived), under the same Message-ID', async () => {
    sink = await startSink();
    const thread = [patchMail('<h1@ex.example.org>')];
    const p = posterFor(sink.port, { minConfidence: 0.8 });
    const held = p.offer(offerOf(thread, 'fixes', 0.7), T0);
    assert.equal(held.kind, 'outbox');
    const file = held.kind === 'outbox' ? held.path : '';
    const heldId = headerOf(readFileSync(file, 'utf8'), 'Message-ID');
    assert.equal(headerOf(readFileSync(file, 'utf8'), 'Date'), 'Mon, 02 Mar 2026 10:00:00 +0000');
    const risen = p.offer(offerOf(thread, 'fixes', 0.86), minutes(1));
    assert.equal(risen.kind, 'queued');
    // the outbox file and the row now say the latest word
    assert.equal(headerOf(readFileSync(file, 'utf8'), 'Date'), 'Mon, 02 Mar 2026 10:01:00 +0000');
    assert.deepEqual(
      postsWithStatus(db, 'queued').map((r) => r.confidence),
      [0.86],
    );
    assert.equal(readdirSync(outbox()).length, 1);
    assert.deepEqual(await p.flush(minutes(1)), { sent: 1, deferred: 0, failed: 0 });
    assert.equal(sink.received.length, 1);
    assert.equal(headerOf(sink.received[0]!.raw, 'Message-ID'), heldId);
    assert.equal(headerOf(sink.received[0]!.raw, 'Date'), 'Mon, 02 Mar 2026 10:01:00 +0000');
    // once it went out, a later rise of the same verdict is not news
    assert.deepEqual(p.offer(offerOf(thread, 'fixes', 0.93), minutes(2)), { kind: 'skipped', reason: 'already offered' });
    await p.flush(minutes(3));
    assert.equal(sink.received.length, 1);
  });

  it('a reply held below the confidence and offered again still below it stays in the outbox, brought up to date, never sent', async () => {
    sink = await startSink();
    const thread = [patchMail('<h2@ex.example.org>')];
    const p = posterFor(sink.port, { minConfidence: 0.8 });
    assert.equal(p.offer(offerOf(thread, 'fixes', 0.6), T0).kind, 'outbox');
    const again = p.offer(offerOf(thread, 'fixes', 0.75), minutes(1));
    assert.equal(again.kind, 'outbox');
    assert.equal(headerOf(readFileSync(again.kind === 'outbox' ? again.path : '', 'utf8'), 'Date'), 'Mon, 02 Mar 2026 10:01:00 +0000');
    assert.deepEqual(await p.flush(minutes(60)), { sent: 0, deferred: 0, failed: 0 });
    assert.equal(sink.dataSeen, 0);
    assert.deepEqual(
      postsWithStatus(db, 'outbox').map((r) => r.confidence),
      [0.75],
    );
  });

  it('a stable backport reaches the outbox only, unless stableBackports is set; a mainline patch beside it is sent', async () => {
    sink = await startSink();
    const p = posterFor(sink.port);
    const backport = p.offer(offerOf([patchMail('<s1@ex.example.org>', { tree: '6.1' })], 'fixes', 0.9), T0);
    assert.equal(backport.kind, 'outbox');
    assert.equal(p.offer(offerOf([patchMail('<s2@ex.example.org>')], 'fixes', 0.9), T0).kind, 'queued');
    await p.flush(T0);
    assert.deepEqual(
      sink.received.map((m) => headerOf(m.raw, 'In-Reply-To')),
      ['<s2@ex.example.org>'],
    );
    await p.close();
    const all = posterFor(sink.port, { stableBackports: true });
    assert.equal(all.offer(offerOf([patchMail('<s3@ex.example.org>', { tree: '5.15.y' })], 'fixes', 0.9), T0).kind, 'queued');
  });

  it('the same verdict offered twice, and again after the store is reopened: one post', async () => {
    sink = await startSink();
    const thread = [patchMail('<d1@ex.example.org>')];
    const p = posterFor(sink.port);
    assert.equal(p.offer(offerOf(thread, 'hides', 0.9), T0).kind, 'queued');
    assert.deepEqual(p.offer(offerOf(thread, 'hides', 0.9), T0), { kind: 'skipped', reason: 'already offered' });
    await p.flush(T0);
    await p.close();
    db.close();
    db = openStoreDb(join(dir, 'store.sqlite'));
    const again = posterFor(sink.port);
    assert.equal(again.offer(offerOf(thread, 'hides', 0.9), minutes(5)).kind, 'skipped');
    await again.flush(minutes(5));
    assert.equal(sink.received.length, 1);
    assert.equal(readdirSync(outbox()).length, 1);
  });

  it('the receiver down, then up: retried after the backoff, delivered once', async () => {
    const port = await freePort();
    const p = posterFor(port);
    p.offer(offerOf([patchMail('<r1@ex.example.org>')], 'hides', 0.9), T0);
    assert.deepEqual(await p.flush(T0), { sent: 0, deferred: 1, failed: 0 });
    const row = postsWithStatus(db, 'queued')[0]!;
    assert.equal(row.attempts, 1);
    assert.equal(row.nextAttemptAt, minutes(1).toISOString());
    assert.doesNotMatch(row.lastError!, /may have arrived/);
    sink = await startSink(port);
    assert.deepEqual(await p.flush(minutes(0.5)), { sent: 0, deferred: 0, failed: 0 }, 'not before the backoff');
    assert.deepEqual(await p.flush(minutes(1)), { sent: 1, deferred: 0, failed: 0 });
    assert.deepEqual(await p.flush(minutes(10)), { sent: 0, deferred: 0, failed: 0 });
    assert.equal(sink.received.length, 1);
  });

  it('4xx, then accepted: the backoff doubles, one delivery', async () => {
    sink = await startSink();
    sink.answers.push('defer', 'defer');
    const p = posterFor(sink.port);
    p.offer(offerOf([patchMail('<t1@ex.example.org>')], 'partial', 0.85), T0);
    assert.equal((await p.flush(T0)).deferred, 1);
    assert.equal((await p.flush(minutes(1))).deferred, 1);
    assert.equal(postsWithStatus(db, 'queued')[0]!.nextAttemptAt, minutes(3).toISOString(), '1 min, then 2');
    assert.match(postsWithStatus(db, 'queued')[0]!.lastError!, /451/);
    assert.equal((await p.flush(minutes(3))).sent, 1);
    assert.equal(sink.dataSeen, 3);
    assert.equal(sink.received.length, 1);
  });

  it('5xx: failed, kept in the outbox and the store, not retried', async () => {
    sink = await startSink();
    sink.answers.push('reject');
    const p = posterFor(sink.port);
    const offered = p.offer(offerOf([patchMail('<f1@ex.example.org>')], 'hides', 0.9), T0);
    assert.deepEqual(await p.flush(T0), { sent: 0, deferred: 0, failed: 1 });
    await p.flush(minutes(600));
    assert.equal(sink.dataSeen, 1);
    const row = postByKey(db, offered.kind === 'queued' ? offered.key : '')!;
    assert.equal(row.status, 'failed');
    assert.match(row.lastError!, /550/);
    assert.ok(existsSync(join(outbox(), readdirSync(outbox())[0]!)));
  });

  it('the connection drops after DATA: retried with the same Message-ID (the duplicate folds into one on lore and in mail clients)', async () => {
    sink = await startSink();
    sink.answers.push('drop');
    const p = posterFor(sink.port);
    p.offer(offerOf([patchMail('<x1@ex.example.org>')], 'hides', 0.9), T0);
    assert.equal((await p.flush(T0)).deferred, 1);
    assert.match(postsWithStatus(db, 'queued')[0]!.lastError!, /may have arrived/);
    assert.equal((await p.flush(minutes(1))).sent, 1);
    assert.equal(sink.received.length, 2);
    assert.equal(headerOf(sink.received[0]!.raw, 'Message-ID'), headerOf(sink.received[1]!.raw, 'Message-ID'));
    assert.equal(sink.received[0]!.raw, sink.received[1]!.raw);
  });

  it('the embargo holds the reply; a v2 judged before it ends cancels the v1 reply, and goes out after its own', async () => {
    sink = await startSink();
    const p = posterFor(sink.port, { embargoMinutes: 30 });
    const v1 = patchMail('<e1@ex.example.org>');
    const first = p.offer(offerOf([v1], 'hides', 0.9), T0);
    assert.deepEqual(first.kind === 'queued' && first.notBefore, minutes(30));
    assert.equal((await p.flush(minutes(10))).sent, 0);
    const v2 = patchMail('<e2@ex.example.org>', { revision: 2, refs: ['<e1@ex.example.org>'] });
    const second = p.offer(offerOf([v1, v2], 'fixes', 0.9, { patchArrivedAt: minutes(10) }), minutes(12));
    assert.deepEqual(second.kind === 'queued' && second.notBefore, minutes(40));
    assert.equal(postsWithStatus(db, 'cancelled').length, 1);
    assert.equal((await p.flush(minutes(35))).sent, 0);
    assert.equal((await p.flush(minutes(40))).sent, 1);
    assert.equal(sink.received.length, 1);
    assert.equal(headerOf(sink.received[0]!.raw, 'In-Reply-To'), '<e2@ex.example.org>');
  });

  it('a v2 in a thread of its own (same topic, same author) supersedes too; another topic does not', async () => {
    sink = await startSink();
    const p = posterFor(sink.port, { embargoMinutes: 30 });
    p.offer(offerOf([patchMail('<s1@ex.example.org>')], 'hides', 0.9), T0);
    p.offer(offerOf([patchMail('<o1@ex.example.org>', { topic: 'bar: select BAZ' })], 'hides', 0.9), T0);
    p.offer(offerOf([patchMail('<s2@ex.example.org>', { revision: 2 })], 'hides', 0.9, { patchArrivedAt: minutes(5) }), minutes(5));
    assert.deepEqual(
      postsWithStatus(db, 'cancelled').map((r) => r.patchId),
      ['<s1@ex.example.org>'],
    );
    await p.flush(minutes(60));
    assert.deepEqual(sink.received.map((m) => headerOf(m.raw, 'In-Reply-To')).sort(), ['<o1@ex.example.org>', '<s2@ex.example.org>']);
  });

  it('a later verdict on a patch already answered: outbox only, unless repostOnChange', async () => {
    sink = await startSink();
    const thread = [patchMail('<v1@ex.example.org>')];
    const p = posterFor(sink.port);
    p.offer(offerOf(thread, 'hides', 0.9), T0);
    await p.flush(T0);
    assert.equal(p.offer(offerOf(thread, 'fixes', 0.9), minutes(5)).kind, 'outbox');
    await p.close();
    const q = posterFor(sink.port, { repostOnChange: true });
    assert.equal(q.offer(offerOf(thread, 'partial', 0.9), minutes(6)).kind, 'queued');
    await q.flush(minutes(6));
    assert.deepEqual(
      sink.received.map((m) => headerOf(m.raw, 'X-Ktriage-Verdict')),
      ['hides', 'partial'],
    );
  });

  it('the rate limit per list: the second reply waits until the hour has passed', async () => {
    sink = await startSink();
    const p = posterFor(sink.port, { rate: { perListPerHour: 1, perHour: 10 } });
    p.offer(offerOf([patchMail('<l1@ex.example.org>')], 'hides', 0.9), T0);
    p.offer(offerOf([patchMail('<l2@ex.example.org>', { topic: 'foo: other' })], 'hides', 0.9), T0);
    assert.deepEqual(await p.flush(T0), { sent: 1, deferred: 1, failed: 0 });
    assert.deepEqual(await p.flush(minutes(30)), { sent: 0, deferred: 0, failed: 0 });
    assert.deepEqual(await p.flush(minutes(60)), { sent: 1, deferred: 0, failed: 0 });
    assert.equal(sink.received.length, 2);
  });

  it('the overall rate limit spans lists', async () => {
    sink = await startSink();
    const other = 'bar-devel.lists.example.org';
    const p = posterFor(sink.port, { rate: { perListPerHour: 5, perHour: 1 }, lists: { [LIST]: { post: true }, [other]: { post: true } } });
    p.offer(offerOf([patchMail('<g1@ex.example.org>')], 'hides', 0.9), T0);
    p.offer(offerOf([patchMail('<g2@ex.example.org>', { topic: 'bar: x' })], 'hides', 0.9, { list: other }), T0);
    assert.deepEqual(await p.flush(T0), { sent: 1, deferred: 1, failed: 0 });
    assert.equal(sink.received.length, 1);
  });

  it('outbox files are named from the key, never from a Message-ID', () => {
    const p = createPoster(db, parsePostConfig({}), { outboxDir: outbox(), log: silent });
    const out = p.offer(offerOf([patchMail('<../../etc/passwd@ex.example.org>')], 'hides', 0.9), T0);
    assert.equal(out.kind, 'outbox');
    assert.equal(out.kind === 'outbox' && basename(out.path).length, 36);
    assert.deepEqual(readdirSync(dir).sort(), ['outbox', 'store.sqlite', 'store.sqlite-shm', 'store.sqlite-wal']);
  });
});
