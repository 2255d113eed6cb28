// Where a tree is found again, and which tree is the default.

import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildIndex, updateIndex } from '../../src/index/build.js';
import { parseSymvers } from '../../src/index/scan/symvers.js';
import { openIndex, pickTree, treeRoot } from '../../src/store/index-db.js';
import { symversRows } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_SYMVERS, BETA, tempDir } from '../helpers/index-fixtures.js';

describe('tree paths and defaults', () => {
  it('a tree built from a relative path is stored absolute and updated from another working directory', async () => {
    const dir = tempDir();
    cpSync(ALPHA, join(dir, 'alpha'), { recursive: true });
    const db = openIndex(join(dir, 'i.sqlite'));
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      await buildIndex(db, 'alpha', { jobs: 0 });
    } finally {
      process.chdir(cwd);
    }
    const tree = pickTree(db);
    assert.equal(tree.source, join(dir, 'alpha'));
    const s = await updateIndex(db, join(dir, 'alpha'), { jobs: 0 });
    assert.equal(s.changed, 0);
    db.close();
  });

  it('a relative source (the bundled index) is found next to the index file', () => {
    const dir = tempDir();
    const fake = { id: 1, name: 't', source: '../kernel-subset', kind: 'dir', version: null, commit_id: null, built_at: '', files: 0, entries: 0 };
    cpSync(ALPHA, join(dir, 'kernel-subset'), { recursive: true });
    assert.equal(treeRoot(fake, join(dir, 'index', 'i.sqlite')), join(dir, 'kernel-subset'));
  });

  it('a name holding only a Module.symvers is not the default tree; a rebuild keeps the symvers it had', async () => {
    const dir = tempDir();
    const db = openIndex(join(dir, 'i.sqlite'));
    const built = await buildIndex(db, ALPHA, { jobs: 0 });
    const rows = parseSymvers(readFileSync(ALPHA_SYMVERS, 'utf8'));
    assert.ok(rows.length > 0);
    // record them for the built tree, as `index symvers --name` does
    const treeId = pickTree(db, built.tree).id;
    const ins = db.prepare('INSERT INTO symvers(tree_id, sym, crc, module, export_type, ns) VALUES (?, ?, ?, ?, ?, ?)');
    let next = ((db.prepare('SELECT max(id) FROM syms').pluck().get() as number | null) ?? 0) + 1;
    for (const r of rows) {
      let id = db.prepare('SELECT id FROM syms WHERE name = ?').pluck().get(r.symbol) as number | undefined;
      if (id === undefined) db.prepare('INSERT INTO syms(name, id) VALUES (?, ?)').run(r.symbol, (id = next++));
      ins.run(treeId, id, r.crc, r.module, r.exportType, r.namespace);
    }
    db.prepare("INSERT INTO trees(name, source, kind, built_at) VALUES ('only-symvers', 'x', 'symvers', datetime('now', '+1 hour'))").run();
    assert.equal(pickTree(db).name, built.tree, 'the symvers-only name is newer but not the default');
    await buildIndex(db, ALPHA, { jobs: 0 });
    const again = pickTree(db, built.tree);
    assert.equal(symversRows(db, again.id, rows[0]!.symbol).length > 0, true, 'symvers survive the rebuild');
    await buildIndex(db, BETA, { jobs: 0 });
    db.close();
  });
});
