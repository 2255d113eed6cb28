// `ktriage watch` against a real Dovecot started by the test on a loopback
// port, as one daemon's life: a thread delivered into the watched folder is a
// summary in the outbox within seconds (IDLE); /healthz and /metrics answer;
// SIGHUP with a bad config is logged and the old config kept; Dovecot
// restarted mid-IDLE (mail delivered while it is down is caught up); the
// folder recreated (new UIDVALIDITY: read again, nothing written twice);
// SIGTERM ends it cleanly. Then a store locked by another process.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { ensureDovecot, freePort, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { ensureDist } from '../helpers/index-cli.js';
import { count, larchThread, outboxFiles, query, spawnWatch, waitFor } from '../helpers/watch.js';

const tmp = mkdtempSync(join(tmpdir(), 'ktriage-watch-imap-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const skip = ensureDovecot() ? false : 'dovecot is not installed (and cannot be: not root or no apt-get)';

describe('watch over IMAP (Dovecot)', { skip }, () => {
  let dc: Dovecot;
  before(async () => {
    ensureDist();
    dc = await startDovecot();
  });
  after(async () => dc?.close());

  async function client(): Promise<ImapFlow> {
    const c = new ImapFlow({ host: dc.host, port: dc.port, secure: false, auth: { user: 'bot', pass: dc.password }, logger: false, disableAutoIdle: true });
    c.on('error', () => {});
    await c.connect();
    return c;
  }
  const FOLDER = 'lists/arm';
  const deliverThread = (i: number) => {
    for (const m of larchThread(i)) dc.save('bot', FOLDER, m);
  };

  test('IDLE delivery, health, SIGHUP with a bad config, Dovecot restart, new UIDVALIDITY, SIGTERM', { timeout: 180_000 }, async () => {
    const c = await client();
    await c.mailboxCreate(FOLDER);
    await c.logout();
    const db = join(tmp, 'store.sqlite');
    const outbox = join(tmp, 'outbox');
    const port = await freePort();
    const config = join(tmp, 'watch.json');
    const good = { sources: [{ url: `imap://bot@127.0.0.1:${dc.port}/${FOLDER}`, list: 'linux-arm-kernel.lists.infradead.org', pollSeconds: 3 }], db, outbox, index: { none: true }, health: { port } };
    writeFileSync(config, JSON.stringify(good));
    const w = spawnWatch(['--config', config], { KTRIAGE_IMAP_PASSWORD: dc.password });
    try {
      await waitFor('the daemon to listen', () => w.log().includes('"msg":"watching"'), 20_000);
      await waitFor(
        '/healthz',
        () =>
          fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        10_000,
      );

      // 1. new mail while IDLE: a summary within seconds
      const t0 = Date.now();
      deliverThread(1);
      await waitFor('the first summary', () => outboxFiles(outbox).length === 1, 15_000);
      const latency = Date.now() - t0;
      assert.ok(latency < 10_000, `summary after ${latency} ms`);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(metrics, /^ktriage_messages_in_total\{source="imap:\/\/bot@127\.0\.0\.1:\d+\/lists\/arm"\} 3$/m);
      assert.match(metrics, /^ktriage_verdicts_total\{verdict="hides"\} 1$/m);

      // 2. SIGHUP with a bad config: one line per error, the old config kept, mail still judged
      writeFileSync(config, JSON.stringify({ ...good, batch: 'many', sources: 'nope' }));
      w.child.kill('SIGHUP');
      await waitFor('the reload refused', () => w.log().includes('the running one is kept'), 10_000);
      assert.match(w.log(), /watch\.json: batch: Expected number/);
      assert.match(w.log(), /watch\.json: sources: Expected array/);
      deliverThread(2);
      await waitFor('the second summary', () => outboxFiles(outbox).length === 2, 15_000);

      // 3. Dovecot restarted mid-IDLE, mail delivered while it was down
      await dc.stop();
      for (const m of larchThread(3)) dc.dropIntoMaildir('bot', m);
      await dc.start();
      // dropped into INBOX's Maildir: move it where the daemon watches
      const c2 = await client();
      await c2.mailboxOpen('INBOX');
      await c2.messageMove('1:*', FOLDER);
      await c2.logout();
      await waitFor('the summary after the restart', () => outboxFiles(outbox).length === 3, 60_000);
      assert.match(w.log(), /reconnecting in/);

      // 4. the folder recreated (new UIDVALIDITY): read again, recognised, nothing written twice
      const c3 = await client();
      await c3.mailboxDelete(FOLDER);
      await c3.mailboxCreate(FOLDER);
      for (const m of [...larchThread(1), ...larchThread(4)]) await c3.append(FOLDER, m);
      await c3.logout();
      // a recreated folder sends the IDLEing client nothing: the next catch-up (pollSeconds) finds it
      await waitFor('the summary of the new thread', () => outboxFiles(outbox).length === 4, 60_000);
      await waitFor('the old thread seen again', () => w.log().includes('UIDVALIDITY changed'), 10_000);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(outboxFiles(outbox).length, 4);
      assert.equal(count(db, 'SELECT count(*) AS n FROM posts'), 4);
      assert.equal(count(db, 'SELECT count(*) AS n FROM messages'), 12);
      assert.equal(count(db, 'SELECT count(*) AS n FROM verdicts'), 4);

      // 5. SIGTERM: a clean stop, exit 0, nothing left unjudged
      w.child.kill('SIGTERM');
      const end = await w.exited;
      assert.equal(end.code, 0, w.log());
      assert.match(w.log(), /"msg":"stopped"/);
      assert.equal(count(db, 'SELECT count(*) AS n FROM threads WHERE dirty = 1'), 0);
      const cp = query<{ value: string }>(db, 'SELECT value FROM checkpoints')[0]!;
      assert.ok(JSON.parse(cp.value).uid >= 6, cp.value);
    } finally {
      if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
  });

  test('a store locked by another process: waited for, then one line and exit 1', { timeout: 60_000 }, async () => {
    const db = join(tmp, 'locked.sqlite');
    const config = join(tmp, 'locked.json');
    writeFileSync(config, JSON.stringify({ sources: [`imap://bot@127.0.0.1:${dc.port}/INBOX`], db, outbox: join(tmp, 'locked-out'), index: { none: true }, storeLockWaitSeconds: 1 }));
    // make the store, then hold its write lock from another process
    const first = spawnWatch(['--config', config, '--once'], { KTRIAGE_IMAP_PASSWORD: dc.password });
    assert.equal((await first.exited).code, 0, first.log());
    const lock = new Database(db);
    lock.exec('BEGIN EXCLUSIVE');
    try {
      const w = spawnWatch(['--config', config, '--once'], { KTRIAGE_IMAP_PASSWORD: dc.password });
      const end = await w.exited;
      assert.equal(end.code, 1);
      const lines = w.log().trim().split('\n');
      assert.match(lines.at(-1)!, /^ktriage: .*locked\.sqlite: the store is locked by another process .*waited 1 s, giving up$/);
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
  });
});
