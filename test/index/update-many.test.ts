// updateIndex with more changed files than SQLite takes variables in one
// statement (32,766), scanned by worker threads.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildIndex, updateIndex } from '../../src/index/build.js';
import { openIndex, pickTree } from '../../src/store/index-db.js';
import { lookupRows } from '../../src/store/index-queries.js';
import { tempDir } from '../helpers/index-fixtures.js';

describe('updateIndex, 33,000 changed files', () => {
  it('re-reads them all (with --jobs 2) and keeps every file', async () => {
    const root = join(tempDir(), 'linux');
    const DIRS = 33;
    const PER_DIR = 1000;
    for (let d = 0; d < DIRS; d++) {
      mkdirSync(join(root, `d${d}`), { recursive: true });
      for (let k = 0; k < PER_DIR; k++) writeFileSync(join(root, `d${d}`, `f${k}.h`), `#define D${d}_F${k} 1\n`);
    }
    writeFileSync(join(root, 'd0', 'inc.c'), '#include "f1.h"\n#include "other.c"\n');
    const db = openIndex(join(tempDir(), 'index.sqlite'));
    try {
      const s = await buildIndex(db, root, { jobs: 0 });
      const n = DIRS * PER_DIR + 1;
      assert.equal(s.files, n);
      // every file's content now differs from what the index holds: as if each had been edited
      db.prepare("UPDATE files SET hash = 'stale', mtime_ms = 0").run();
      const u = await updateIndex(db, root, { jobs: 2 });
      assert.deepEqual([u.changed, u.removed, u.files, u.entries, u.errors], [n, 0, n, DIRS * PER_DIR, []]);
      assert.equal(lookupRows(db, pickTree(db).id, 'D32_F999')[0]?.path, 'd32/f999.h');
    } finally {
      db.close();
    }
  });
});
