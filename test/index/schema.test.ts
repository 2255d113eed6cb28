// An index built before schema 3 (no subset flag, no commit date, no
// MAINTAINERS table): read-only it still answers (a whole tree, no sections);
// opened for writing it is migrated, and a build adds MAINTAINERS to it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { buildIndex } from '../../src/index/build.js';
import { openIndex, SCHEMA_VERSION } from '../../src/store/index-db.js';
import { openIndexPort } from '../../src/store/index-port.js';
import { ALPHA, ALPHA_VERSION, buildInto, TREES } from '../helpers/index-fixtures.js';

/** A built index taken back to schema 2. */
async function schema2(): Promise<string> {
  const b = await buildInto(ALPHA);
  b.db.close();
  const raw = new Database(b.dbPath);
  raw.exec('ALTER TABLE trees DROP COLUMN subset; ALTER TABLE trees DROP COLUMN commit_date; DROP TABLE maintainers;');
  raw.pragma('user_version = 2');
  raw.close();
  return b.dbPath;
}

describe('an index of schema 2', () => {
  it('is read as it is: a whole tree, no MAINTAINERS sections, a choice made by date', async () => {
    const path = await schema2();
    const idx = openIndexPort(path);
    try {
      const port = idx.portFor({ date: new Date('2023-06-01') });
      assert.equal(port.tree.name, ALPHA_VERSION);
      assert.equal(port.tree.subset, null);
      assert.deepEqual(port.maintainers!(['kernel/panic.c']), []);
      assert.equal(port.lookup('gizmo_register').length > 0, true);
    } finally {
      idx.close();
    }
  });

  it('opened for writing is migrated; a tree built into it then has its MAINTAINERS', async () => {
    const path = await schema2();
    const db = openIndex(path);
    try {
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      await buildIndex(db, join(TREES, 'delta'), { jobs: 0 });
    } finally {
      db.close();
    }
    const idx = openIndexPort(path, '6.9.3');
    try {
      assert.deepEqual(
        idx.port.maintainers!(['drivers/gizmo/bus/core.c']).map((m) => m.title),
        ['GIZMO BUS DRIVER', 'GIZMO SUBSYSTEM', 'THE REST'],
      );
      assert.equal(idx.port.tree.chosenBecause, 'named with --tree');
    } finally {
      idx.close();
    }
  });
});
