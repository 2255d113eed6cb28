// The posts migration (src/store/store-db.ts) and its queries (src/store/post-store.ts).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { duePosts, postsWithStatus } from '../../src/store/post-store.js';
import { openStoreDb, STORE_MIGRATIONS } from '../../src/store/store-db.js';
import { recordPost } from '../../src/store/verdict-store.js';

describe('posts table', () => {
  it('a store from before the poster keeps its posts, recorded as sent, never due again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-posts-'));
    try {
      const path = join(dir, 's.sqlite');
      const before = STORE_MIGRATIONS.findIndex((m) => m.includes('ALTER TABLE posts ADD COLUMN status'));
      assert.ok(before > 0);
      const old = openStoreDb(path, { migrateTo: before });
      assert.equal(recordPost(old, { key: 'k1', kind: 'outbox', destination: '/x', content: 'reply' }), true);
      old.close();
      const db = openStoreDb(path);
      const sent = postsWithStatus(db, 'sent');
      assert.deepEqual(
        sent.map((r) => [r.key, r.attempts, r.content]),
        [['k1', 0, 'reply']],
      );
      assert.deepEqual(duePosts(db, new Date('2100-01-01T00:00:00Z')), []);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
