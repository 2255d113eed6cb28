// The public-inbox v2 source against a real inbox (public-inbox-init -V2, the
// library's importer, public-inbox-mda, -learn rm, -purge): only new commits
// on a rerun, removals skipped and counted, a rewritten epoch read again
// with nothing lost or doubled, and `ktriage ingest <inbox dir>` end to end.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { KtriageError } from '../../src/core/errors.js';
import { headerMessageId } from '../../src/ingest/sources/public-inbox-http.js';
import { findInboxV2, publicInboxV2Source } from '../../src/ingest/sources/public-inbox-v2.js';
import { openSource } from '../../src/ingest/sources/open-source.js';
import type { MailSource } from '../../src/ingest/sources/source.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { createInboxV2, publicInboxMissing, type InboxV2Fixture } from '../helpers/public-inbox-v2.js';

const ARCHIVE = join(import.meta.dirname, '../fixtures/archive');
const PI = join(import.meta.dirname, '../fixtures/public-inbox');
const THREAD = join(ARCHIVE, 'larch-ic-thread.mbox');
const OTHER = join(ARCHIVE, 'other-traffic.mbox');
const V2 = readFileSync(join(PI, 'larch-ic-v2.eml'));
const ACK = readFileSync(join(PI, 'larch-ic-v2-ack.eml'));
const THREAD_IDS = ['20240108081402.11873-1-tomasz.wierzbicki@larchwood-dev.example', 'ZZvB3xk7Qa1m9sTe@greta-x1.example', 'reply/2-9c1e@larchwood-dev.example'];
const OTHER_IDS = ['20240109080000.4410-1-priya.r@quillmail.example', 'ZZ0aa1bb2cc3dd4e@greta-x1.example'];

const missing = publicInboxMissing();
const fixtures: InboxV2Fixture[] = [];
const newInbox = (mboxes: string[]) => {
  const f = createInboxV2(mboxes);
  fixtures.push(f);
  return f;
};
after(async () => {
  for (const f of fixtures) await f.cleanup();
});

interface Pulled {
  ids: string[];
  skips: string[];
  checkpoint: string | undefined;
}

async function pull(source: MailSource, checkpoint: string | undefined): Promise<Pulled> {
  const out: Pulled = { ids: [], skips: [], checkpoint };
  for await (const item of source.pull(checkpoint)) {
    if (item.kind === 'mail') out.ids.push(headerMessageId(item.raw.bytes) ?? '?');
    else out.skips.push(item.skip.detail);
    out.checkpoint = item.checkpoint;
  }
  return out;
}

async function sourceOf(dir: string): Promise<MailSource> {
  const inbox = await findInboxV2(dir);
  assert.ok(inbox, `${dir} is a v2 inbox`);
  return publicInboxV2Source(inbox, dir);
}

describe('public-inbox v2 source', { skip: missing }, () => {
  test('the inbox, then only what was delivered since; oldest first', async () => {
    const f = newInbox([THREAD, OTHER]);
    const source = await sourceOf(f.dir);
    assert.equal(await source.estimate?.(), 5);
    const first = await pull(source, undefined);
    assert.deepEqual(first.ids, [...THREAD_IDS, ...OTHER_IDS]);
    assert.deepEqual(first.skips, []);
    assert.deepEqual(await pull(source, first.checkpoint), { ids: [], skips: [], checkpoint: first.checkpoint });
    f.deliver(V2);
    f.deliver(ACK);
    const second = await pull(source, first.checkpoint);
    assert.deepEqual(second.ids, ['20240109083011.20544-1-tomasz.wierzbicki@larchwood-dev.example', 'ZZ0c9e1f2a3b4c5d@greta-x1.example']);
    // a checkpoint it cannot read means "everything", never a crash
    assert.equal((await pull(source, 'not json')).ids.length, 7);
  });

  test('one epoch named directly (…/git/0.git), and an inbox with no mail yet', async () => {
    const f = newInbox([THREAD]);
    const epoch = await sourceOf(join(f.dir, 'git', '0.git'));
    assert.deepEqual((await pull(epoch, undefined)).ids, THREAD_IDS);
    const empty = newInbox([]);
    assert.deepEqual((await pull(await sourceOf(empty.dir), undefined)).ids, []);
  });

  test('a removal commit (public-inbox-learn rm: `d`, no `m`) is skipped and counted', async () => {
    const f = newInbox([THREAD]);
    const source = await sourceOf(f.dir);
    const first = await pull(source, undefined);
    f.deliver(V2);
    f.remove(V2);
    const second = await pull(source, first.checkpoint);
    assert.deepEqual(second.ids, ['20240109083011.20544-1-tomasz.wierzbicki@larchwood-dev.example']);
    assert.equal(second.skips.length, 1);
    assert.match(second.skips[0]!, /^\(epoch 0, commit [0-9a-f]{12}\) holds no message \(a removal: no 'm' blob\)$/);
  });

  test('a rewritten epoch (public-inbox-purge) is read again from its start', async () => {
    const f = newInbox([THREAD, OTHER]);
    const source = await sourceOf(f.dir);
    const first = await pull(source, undefined);
    const before = f.git(['rev-parse', 'HEAD']);
    // purge rewrites every commit after the purged one: the checkpoint commit is gone
    const mbox = readFileSync(THREAD, 'utf8');
    f.purge(mbox.slice(mbox.indexOf('\n') + 1, mbox.indexOf('\nFrom mboxrd@z', 1) + 1));
    assert.notEqual(f.git(['rev-parse', 'HEAD']), before);
    f.deliver(V2);
    const second = await pull(source, first.checkpoint);
    assert.deepEqual(second.ids, [...THREAD_IDS.slice(1), ...OTHER_IDS, '20240109083011.20544-1-tomasz.wierzbicki@larchwood-dev.example']);
    assert.deepEqual(
      second.skips.map((s) => s.replace(/commit [0-9a-f]+/, 'commit X')),
      ['(epoch 0, commit X) holds an empty message (purged)'],
    );
    assert.deepEqual(await pull(source, second.checkpoint), { ids: [], skips: [], checkpoint: second.checkpoint });
  });

  test('a directory that is neither a Maildir nor an inbox is refused in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-notinbox-'));
    try {
      await assert.rejects(openSource(dir), (e: unknown) => e instanceof KtriageError && e.code === 'E_NOT_MAIL' && /nor a public-inbox v2 inbox/.test(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ktriage ingest <public-inbox dir>', { skip: missing }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ktriage-piv2-cli-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  before(() => ensureDist());

  test('stores the inbox; a rerun only the new mail; a rewrite loses and doubles nothing', () => {
    const f = newInbox([THREAD, OTHER]);
    const db = join(work, 'store.sqlite');
    const ingest = () => runCli(['ingest', f.dir, '--db', db, '--no-index']);
    const r1 = ingest();
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /: 5 read, 5 new, 0 already stored, 0 skipped;/);
    const r2 = ingest();
    assert.match(r2.stdout, /: 0 read, 0 new, 0 already stored, 0 skipped;/);
    f.deliver(V2);
    const r3 = ingest();
    assert.match(r3.stdout, /: 1 read, 1 new, 0 already stored, 0 skipped;/);
    // force-push: the last commit dropped, another delivered on top (mda still knows
    // the dropped Message-ID and does not take it again): the epoch is read again,
    // the store keeps the dropped message and gains the new one, each once
    f.git(['update-ref', 'refs/heads/master', 'HEAD~1']);
    f.deliver(ACK);
    const r4 = ingest();
    assert.equal(r4.code, 0, r4.stderr);
    assert.match(r4.stdout, /: 6 read, 1 new, 5 already stored, 0 skipped;/);
    const r5 = ingest();
    assert.match(r5.stdout, /: 0 read, 0 new, 0 already stored, 0 skipped;/);
    const d = new Database(db, { readonly: true });
    try {
      const { n } = d.prepare('SELECT count(*) AS n FROM messages').get() as { n: number };
      assert.equal(n, 7);
    } finally {
      d.close();
    }
  });
});
