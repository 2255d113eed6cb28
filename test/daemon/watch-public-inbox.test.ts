// `ktriage watch --once` over a real public-inbox v2 inbox (public-inbox-init
// -V2 and its importer, in a temp dir): the thread's summary in the outbox;
// a second pass after a live delivery (public-inbox-mda) judges only what came.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureDist } from '../helpers/index-cli.js';
import { createInboxV2, publicInboxMissing, type InboxV2Fixture } from '../helpers/public-inbox-v2.js';
import { count, LARCH, larchThread, outboxFiles, spawnWatch } from '../helpers/watch.js';

const skip = publicInboxMissing() ?? false;

describe('watch over a public-inbox v2 inbox', { skip }, () => {
  let inbox: InboxV2Fixture;
  before(() => {
    ensureDist();
    inbox = createInboxV2([LARCH]);
  });
  after(async () => inbox?.cleanup());

  test('--once: the summary in the outbox; a delivery, then --once again: only the new thread', { timeout: 120_000 }, async () => {
    const db = join(inbox.root, 'store.sqlite');
    const outbox = join(inbox.root, 'outbox');
    const args = [inbox.dir, '--db', db, '--outbox', outbox, '--once'];
    const first = spawnWatch(args, { KTRIAGE_LOG_LEVEL: 'warn', XDG_CACHE_HOME: join(inbox.root, 'cache') });
    assert.equal((await first.exited).code, 0, first.log());
    assert.equal(outboxFiles(outbox).length, 1);
    assert.equal(count(db, 'SELECT count(*) AS n FROM messages'), 3);
    for (const m of larchThread(7)) inbox.deliver(m);
    const second = spawnWatch(args, { KTRIAGE_LOG_LEVEL: 'warn', XDG_CACHE_HOME: join(inbox.root, 'cache') });
    assert.equal((await second.exited).code, 0, second.log());
    assert.equal(outboxFiles(outbox).length, 2);
    assert.equal(count(db, 'SELECT count(*) AS n FROM messages'), 6);
    assert.equal(count(db, 'SELECT count(*) AS n FROM verdicts'), 2);
  });
});
