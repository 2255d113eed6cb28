import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { readMails } from '../../src/ingest/read.js';
import { parseMail } from '../../src/mail/parse.js';
import { triageMessages } from '../../src/analyze/triage.js';
import { openLlmCache } from '../../src/store/llm-cache.js';
import { verdictHistory } from '../../src/store/verdict-store.js';
import { STORE_MIGRATIONS, STORE_SCHEMA_VERSION, migrateStore } from '../../src/store/store-db.js';
import {
  addBatch,
  getCheckpoint,
  listThreads,
  openStoreDb,
  recordPost,
  recordVerdict,
  reparsedThread,
  rethreadPending,
  storedThread,
  storePath,
  type IncomingMessage,
  type StoreDb,
} from '../../src/store/store.js';

const FIX = join(import.meta.dirname, '../fixtures/store');
const dir = mkdtempSync(join(tmpdir(), 'ktriage-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): { db: StoreDb; path: string } => {
  const path = join(dir, `s${n++}.sqlite`);
  return { db: openStoreDb(path), path };
};

async function incoming(file: string): Promise<IncomingMessage[]> {
  const out: IncomingMessage[] = [];
  for await (const raw of readMails(join(FIX, file))) out.push({ raw: raw.bytes, message: await parseMail(raw) });
  return out;
}

const count = (db: StoreDb, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('store', () => {
  test('a new file is created at the latest schema, in WAL mode', () => {
    const { db } = fresh();
    assert.equal((db.prepare('SELECT version FROM schema_version').get() as { version: number }).version, STORE_SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  test('the path: --db, then KTRIAGE_DB, then the XDG data dir', () => {
    assert.equal(storePath('/x/y.sqlite', { KTRIAGE_DB: '/e.sqlite' }), '/x/y.sqlite');
    assert.equal(storePath(undefined, { KTRIAGE_DB: '/e.sqlite' }), '/e.sqlite');
    assert.equal(storePath(undefined, { XDG_DATA_HOME: '/d' }), '/d/ktriage/ktriage.sqlite');
    assert.equal(storePath(undefined, { HOME: '/h' }), '/h/.local/share/ktriage/ktriage.sqlite');
  });

  test('a version 1 file is migrated and keeps its messages', async () => {
    const path = join(dir, 'v1.sqlite');
    const old = new Database(path);
    migrateStore(old, path, 1);
    addBatch(old, await incoming('corvid-adc.mbox'));
    old.close();
    const db = openStoreDb(path);
    assert.equal((db.prepare('SELECT version FROM schema_version').get() as { version: number }).version, STORE_MIGRATIONS.length);
    assert.equal(count(db, 'messages'), 4);
    assert.equal(count(db, 'verdicts'), 0);
    db.close();
  });

  test('a newer file is refused in one line', () => {
    const path = join(dir, 'newer.sqlite');
    const db = openStoreDb(path);
    db.prepare('UPDATE schema_version SET version = 99').run();
    db.close();
    assert.throws(
      () => openStoreDb(path),
      (e: Error & { code?: string }) => e.code === 'E_IO' && /schema 99 is newer/.test(e.message) && !e.message.includes('\n'),
    );
  });

  test('not an SQLite file: one line', () => {
    assert.throws(
      () => openStoreDb(join(FIX, 'corvid-adc.mbox')),
      (e: Error & { code?: string }) => e.code === 'E_IO' && !e.message.includes('\n'),
    );
  });

  test('the same bytes twice are stored once; a cross-post merges lists; other content under a known id is kept renamed', async () => {
    const { db } = fresh();
    const first = addBatch(db, await incoming('corvid-adc.mbox'), { source: 's', value: 'one' });
    assert.deepEqual(first, { added: 4, renamed: 0, duplicates: 0, overflow: 0 });
    assert.equal(getCheckpoint(db, 's'), 'one');
    const again = addBatch(db, await incoming('corvid-adc.mbox'));
    assert.deepEqual(again, { added: 0, renamed: 0, duplicates: 4, overflow: 0 });
    const cross = addBatch(db, await incoming('cross-post.mbox'));
    assert.deepEqual(cross, { added: 0, renamed: 1, duplicates: 1, overflow: 0 });
    const row = db.prepare("SELECT lists FROM messages WHERE message_id = '<20240307081500.33120-1-avarga@example.net>'").get() as { lists: string };
    assert.deepEqual(JSON.parse(row.lists), ['linux-iio.vger.kernel.org', 'linux-kernel.vger.kernel.org']);
    const renamed = db.prepare("SELECT message_id, subject FROM messages WHERE header_id = '<20240307081500.33120-1-avarga@example.net>' AND message_id <> header_id").get() as {
      message_id: string;
      subject: string;
    };
    assert.equal(renamed.subject, 'weekly status');
    assert.match(renamed.message_id, /^<20240307081500\.33120-1-avarga=example\.net\.dup2@ktriage\.invalid>$/);
    assert.equal(count(db, 'messages'), 5);
    db.close();
  });

  test('threads are rebuilt from what changed, newest activity first; storedThread returns a whole thread', async () => {
    const { db } = fresh();
    const mails = await incoming('corvid-adc.mbox');
    // the reply first: its thread is rooted at the report it references (not yet stored), and grows later
    addBatch(db, [mails[2]!]);
    rethreadPending(db);
    assert.deepEqual(
      listThreads(db).map((t) => [t.rootId, t.messages]),
      [['<202403050712.Qa7Rt2Xk-lkp@intel.com>', 1]],
    );
    addBatch(db, mails.slice(0, 2).concat(mails.slice(3)));
    rethreadPending(db);
    const threads = listThreads(db);
    assert.deepEqual(
      threads.map((t) => [t.rootId, t.messages]),
      [
        ['<20240307081500.33120-1-avarga@example.net>', 1],
        ['<202403050712.Qa7Rt2Xk-lkp@intel.com>', 3],
      ],
    );
    assert.deepEqual(threads[1]!.lists, ['linux-iio.vger.kernel.org', 'oe-kbuild-all.lists.linux.dev']);
    const t = storedThread(db, '20240305093109.220417-1-ibrandt@example.org');
    assert.equal(t?.length, 3);
    assert.ok(t!.some((m) => m.messageId === '<202403050712.Qa7Rt2Xk-lkp@intel.com>'));
    assert.equal(storedThread(db, '<nowhere@example.org>'), undefined);
    // parsed again from the raw bytes kept (after an engine change): the same messages
    const again = await reparsedThread(db, '<20240305093109.220417-1-ibrandt@example.org>');
    assert.deepEqual(
      again?.map((m) => m.messageId),
      t!.map((m) => m.messageId),
    );
    assert.deepEqual(
      again?.map((m) => m.body),
      t!.map((m) => m.body),
    );
    assert.equal(listThreads(db, { list: 'oe-kbuild-all.lists.linux.dev' }).length, 1);
    assert.equal(listThreads(db, { since: new Date('2024-03-07T00:00:00Z') }).length, 1);
    db.close();
  });

  test('replies to a parent the store lacks, arriving in separate batches, make one thread; the parent joins it later', async () => {
    const { db } = fresh();
    const mail = (id: string, subject: string, refs: string[], date: string) => {
      const text = [
        `From: A <a@example.org>`,
        `Subject: ${subject}`,
        `Date: ${date}`,
        `Message-ID: ${id}`,
        ...(refs.length ? [`In-Reply-To: ${refs[refs.length - 1]}`, `References: ${refs.join(' ')}`] : []),
        '',
        'text',
        '',
      ].join('\n');
      return parseMail({ bytes: Buffer.from(text), origin: { kind: 'eml', path: 'x' } }).then((message) => ({ raw: Buffer.from(text), message }));
    };
    addBatch(db, [await mail('<r1@example.org>', 'Re: [PATCH] x', ['<p@example.org>'], 'Mon, 01 Apr 2024 10:00:00 +0000')]);
    rethreadPending(db);
    addBatch(db, [await mail('<r2@example.org>', 'Re: [PATCH] x', ['<p@example.org>'], 'Mon, 01 Apr 2024 11:00:00 +0000')]);
    rethreadPending(db);
    assert.deepEqual(
      listThreads(db).map((t) => [t.rootId, t.messages]),
      [['<p@example.org>', 2]],
    );
    // two threads joined by a message that references both: the second's verdict history follows
    addBatch(db, [await mail('<q@example.org>', '[PATCH] y', [], 'Mon, 01 Apr 2024 09:00:00 +0000')]);
    rethreadPending(db);
    db.prepare("INSERT INTO verdicts(thread_root, verdict, confidence, summary, engine_version, judged_at, json) VALUES ('<q@example.org>', 'unclear', 0.3, '', '0', '', '{}')").run();
    addBatch(db, [await mail('<p@example.org>', '[PATCH] x', ['<q@example.org>'], 'Mon, 01 Apr 2024 09:30:00 +0000')]);
    rethreadPending(db);
    assert.deepEqual(
      listThreads(db).map((t) => [t.rootId, t.messages]),
      [['<q@example.org>', 4]],
    );
    assert.equal(count(db, 'threads'), 1);
    assert.equal(verdictHistory(db, '<q@example.org>').length, 1);
    db.close();
  });

  test('verdict history: a row only when the verdict, the judged patch or its confidence changed', async () => {
    const { db } = fresh();
    const mails = (await incoming('corvid-adc.mbox')).slice(0, 3).map((m) => m.message);
    const root = '<202403050712.Qa7Rt2Xk-lkp@intel.com>';
    const reportOnly = triageMessages(mails.slice(0, 1));
    const withPatch = triageMessages(mails.slice(0, 2));
    assert.equal(reportOnly.verdict, 'no-patch');
    assert.equal(withPatch.verdict, 'fixes');
    assert.equal(recordVerdict(db, root, reportOnly, mails), true);
    assert.equal(recordVerdict(db, root, reportOnly, mails), false);
    assert.equal(recordVerdict(db, root, withPatch, mails), true);
    assert.equal(recordVerdict(db, root, withPatch, mails), false);
    // the reviewer's reply makes the same verdict surer: recorded, once
    const withReply = triageMessages(mails);
    assert.ok(withReply.confidence > withPatch.confidence);
    assert.equal(recordVerdict(db, root, withReply, mails), true);
    assert.equal(recordVerdict(db, root, triageMessages(mails), mails), false);
    const h = verdictHistory(db, root);
    assert.deepEqual(
      h.map((v) => [v.verdict, v.patchId, v.patchRevision, v.confidence]),
      [
        ['no-patch', null, null, reportOnly.confidence],
        ['fixes', '<20240305093109.220417-1-ibrandt@example.org>', 1, withPatch.confidence],
        ['fixes', '<20240305093109.220417-1-ibrandt@example.org>', 1, withReply.confidence],
      ],
    );
    assert.match(h[1]!.engineVersion, /^\d+\.\d+\.\d+/);
    db.close();
  });

  test('a post is recorded once per idempotency key', () => {
    const { db } = fresh();
    const post = { key: 'reply:<a@b>:fixes', kind: 'outbox' as const, destination: '/tmp/outbox', content: 'x' };
    assert.equal(recordPost(db, post), true);
    assert.equal(recordPost(db, post), false);
    db.close();
  });

  test('the LLM cache shares the store file without touching its schema', () => {
    const { db, path } = fresh();
    const cache = openLlmCache(path);
    cache.put('k', { model: 'm', promptId: 'p', promptVersion: 1, content: '{}' });
    assert.equal(cache.size(), 1);
    cache.close();
    assert.equal((db.prepare('SELECT version FROM schema_version').get() as { version: number }).version, STORE_SCHEMA_VERSION);
    db.close();
    openStoreDb(path).close();
  });
});
