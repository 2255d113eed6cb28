// The outbox after a crash: a reply file whose posts row never committed, and a
// half-written temporary, are removed at start; replies with rows and files not
// named like ours stay.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { WatchConfigSchema } from '../../src/daemon/config.js';
import { createLogger } from '../../src/daemon/log.js';
import { outboxFileName, reconcileOutbox, writeOutbox } from '../../src/daemon/outbox.js';
import { Watcher } from '../../src/daemon/watch.js';
import { deliver, larchThread, query } from '../helpers/watch.js';

const tmp = mkdtempSync(join(tmpdir(), 'ktriage-outbox-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('reconcileOutbox removes what no row names and leaves the rest', () => {
  const dir = join(tmp, 'unit');
  writeOutbox(dir, 'kept', 'a reply\n');
  writeOutbox(dir, 'orphan', 'a reply the kill left\n');
  const temp = `.${outboxFileName('half')}.4242.tmp`;
  writeFileSync(join(dir, temp), 'half a re');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  const removed = reconcileOutbox(dir, ['kept']);
  assert.deepEqual(removed.sort(), [outboxFileName('orphan'), temp].sort());
  assert.deepEqual(readdirSync(dir).sort(), [outboxFileName('kept'), 'notes.txt'].sort());
  assert.deepEqual(reconcileOutbox(join(tmp, 'absent'), []), []);
});

test('watch reconciles its outbox at start', async () => {
  const maildir = join(tmp, 'Maildir');
  for (const m of larchThread(1)) deliver(maildir, m);
  const db = join(tmp, 'store.sqlite');
  const outbox = join(tmp, 'outbox');
  const config = WatchConfigSchema.parse({ sources: [`maildir:${maildir}`], db, outbox, index: { none: true } });
  const once = async () => assert.equal(await (await Watcher.open({ config, once: true, log: createLogger('silent') })).run(), 0);
  await once();
  const posted = query<{ k: string }>(db, 'SELECT idempotency_key AS k FROM posts').map((r) => outboxFileName(r.k));
  assert.ok(posted.length > 0);
  mkdirSync(outbox, { recursive: true });
  writeOutbox(outbox, 'a verdict the kill left unrecorded', 'x\n');
  await once();
  assert.deepEqual(readdirSync(outbox).sort(), posted.sort());
});
