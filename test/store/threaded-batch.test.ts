// A backfill stores and threads each batch in one transaction (addThreadedBatch
// then placeRows), taking the Messages it last used from a MessageMemo: the same
// rows and threads as storing, then re-threading what is pending from the store.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Message } from '../../src/core/types.js';
import { readMails } from '../../src/ingest/read.js';
import { parseMail } from '../../src/mail/parse.js';
import { addThreadedBatch } from '../../src/store/message-store.js';
import { addBatch, openStoreDb, rethreadPending, type IncomingMessage, type StoreDb } from '../../src/store/store.js';
import { MessageMemo, placeRows } from '../../src/store/threading.js';

const FIX = join(import.meta.dirname, '../fixtures/store');
const dir = mkdtempSync(join(tmpdir(), 'ktriage-threaded-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): StoreDb => openStoreDb(join(dir, `s${n++}.sqlite`));

async function incoming(file: string): Promise<IncomingMessage[]> {
  const out: IncomingMessage[] = [];
  for await (const raw of readMails(join(FIX, file))) out.push({ raw: raw.bytes, message: await parseMail(raw) });
  return out;
}

/** What a store holds, less the times rows were written. */
function dump(db: StoreDb): unknown {
  return {
    messages: db.prepare('SELECT id, message_id, header_id, sha256, lists, date, subject, topic, is_reply, has_thread_headers, raw, parsed, threaded FROM messages ORDER BY id').all(),
    refs: db.prepare('SELECT * FROM message_refs ORDER BY message, ref_id').all(),
    threads: db
      .prepare(
        'SELECT t.root_id, t.subject, t.lists, t.first_date, t.last_activity, t.message_count, t.dirty, tm.message FROM thread_messages tm JOIN threads t ON t.id = tm.thread ORDER BY tm.message',
      )
      .all(),
    checkpoints: db.prepare('SELECT source, value FROM checkpoints').all(),
  };
}

describe('a batch stored and threaded in one transaction', () => {
  test('gives the rows and threads that storing, then re-threading from the store, gives', async () => {
    const mails = [...(await incoming('corvid-adc.mbox')), ...(await incoming('cross-post.mbox'))];
    // the reply before the report it answers, a message again, a cross-post, other content under a known id
    const batches = [[mails[2]!], mails.slice(0, 2), mails.slice(3), [mails[0]!]];
    const now = new Date('2025-03-11T10:00:00Z');

    const before = fresh();
    for (const [i, b] of batches.entries()) {
      addBatch(before, b, { source: 's', value: String(i) }, undefined, now);
      rethreadPending(before, { now });
    }
    const after = fresh();
    const memo = new MessageMemo(2);
    for (const [i, b] of batches.entries()) {
      after.transaction(() => {
        const { rows } = addThreadedBatch(after, b, { source: 's', value: String(i) }, undefined, now);
        assert.ok(rows.every((r) => r.id > 0 && typeof r.message.messageId === 'string'));
        placeRows(after, rows, { now, memo });
      })();
      // a duplicate seen on one more list is left pending, as addBatch leaves it
      rethreadPending(after, { now, memo });
    }
    assert.deepEqual(dump(after), dump(before));
    assert.equal((after.prepare('SELECT count(*) AS n FROM messages WHERE threaded = 0').get() as { n: number }).n, 0);
    before.close();
    after.close();
  });

  test('rows marked threaded are refused outside the transaction that places them', async () => {
    const db = fresh();
    const mails = await incoming('corvid-adc.mbox');
    assert.throws(() => addThreadedBatch(db, mails), /transaction/);
    assert.throws(() => placeRows(db, [{ id: 1, lists: '[]', message: mails[0]!.message }]), /transaction/);
    assert.equal((db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n, 0);
    db.close();
  });

  test('a batch that fails stores neither its rows nor their threads', async () => {
    const db = fresh();
    const mails = await incoming('corvid-adc.mbox');
    assert.throws(() =>
      db.transaction(() => {
        const { rows } = addThreadedBatch(db, mails, { source: 's', value: 'one' });
        placeRows(db, rows);
        throw new Error('killed');
      })(),
    );
    for (const table of ['messages', 'threads', 'thread_messages', 'checkpoints']) {
      assert.equal((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 0, table);
    }
    db.close();
  });
});

describe('MessageMemo', () => {
  const m = (id: string) => ({ messageId: id }) as Message;

  test('keeps the most recently used, up to its limit', () => {
    const memo = new MessageMemo(2);
    memo.set(1, m('<a@x>'));
    memo.set(2, m('<b@x>'));
    assert.equal(memo.get(1)?.messageId, '<a@x>'); // 1 is now the most recent
    memo.set(3, m('<c@x>'));
    assert.equal(memo.get(2), undefined);
    assert.equal(memo.get(1)?.messageId, '<a@x>');
    assert.equal(memo.get(3)?.messageId, '<c@x>');
  });

  test('a limit of 0 keeps nothing', () => {
    const memo = new MessageMemo(0);
    memo.set(1, m('<a@x>'));
    assert.equal(memo.get(1), undefined);
  });
});
