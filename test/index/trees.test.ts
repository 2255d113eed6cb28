// Several named trees in one index: --tree picks one, the default is the
// newest, and rebuilding a name replaces that tree and only it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex } from '../../src/index/build.js';
import { listTrees, openIndex, pickTree, type DB } from '../../src/store/index-db.js';
import { kconfigRows, lookupRows } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_VERSION, BETA, BETA_VERSION, allEntries, brief, tempDir } from '../helpers/index-fixtures.js';

describe('two trees in one index', () => {
  let db: DB;
  before(async () => {
    db = openIndex(join(tempDir(), 'two.sqlite'));
    await buildIndex(db, ALPHA, { jobs: 0 });
    await buildIndex(db, BETA, { jobs: 0 });
  });
  after(() => db.close());

  const exportsOf = (tree: string, sym: string) => brief(lookupRows(db, pickTree(db, tree).id, sym)).filter((r) => r.includes(' export '));

  it('lists both, newest first; the default tree is the newest', () => {
    assert.deepEqual(
      listTrees(db).map((t) => `${t.name} ${t.kind} ${t.files}`),
      [`${BETA_VERSION} dir 30`, `${ALPHA_VERSION} dir 91`],
    );
    assert.equal(pickTree(db).name, BETA_VERSION);
  });

  it('--tree picks one: the same symbol answers per tree', () => {
    assert.deepEqual(exportsOf(ALPHA_VERSION, 'gizmo_register'), ['drivers/gizmo/gizmo-core.c:29 export EXPORT_SYMBOL_GPL | 1']);
    assert.deepEqual(exportsOf(BETA_VERSION, 'gizmo_register'), ['drivers/gizmo/gizmo-core.c:8 export EXPORT_SYMBOL | 1']);
    assert.deepEqual(lookupRows(db, pickTree(db, ALPHA_VERSION).id, 'gizmo_beta_only'), []);
    assert.equal(lookupRows(db, pickTree(db, BETA_VERSION).id, 'gizmo_beta_only').length, 2);
    assert.deepEqual(
      kconfigRows(db, pickTree(db, BETA_VERSION).id, 'CONFIG_GIZMO').defs.map((d) => d.prompt),
      ['Gizmo device support (beta)'],
    );
    assert.deepEqual(
      kconfigRows(db, pickTree(db, ALPHA_VERSION).id, 'CONFIG_GIZMO').defs.map((d) => d.prompt),
      ['Gizmo device support'],
    );
  });

  it('--tree naming no tree is an error listing the trees there are', () => {
    assert.throws(() => pickTree(db, '5.0'), { name: 'KtriageError', message: `no tree named "5.0" in the index (have: ${BETA_VERSION}, ${ALPHA_VERSION})` });
  });

  it('rebuilding a name replaces that tree: no duplicate rows, the other tree untouched, the rebuilt one newest', async () => {
    const oldAlpha = pickTree(db, ALPHA_VERSION);
    const alphaRows = allEntries(db, oldAlpha.id);
    const betaRows = allEntries(db, pickTree(db, BETA_VERSION).id);
    await buildIndex(db, ALPHA, { jobs: 0 });
    const trees = listTrees(db);
    assert.deepEqual(
      trees.map((t) => t.name),
      [ALPHA_VERSION, BETA_VERSION],
    );
    const newAlpha = pickTree(db);
    assert.equal(newAlpha.name, ALPHA_VERSION);
    assert.notEqual(newAlpha.id, oldAlpha.id);
    assert.equal(db.prepare('SELECT count(*) FROM files WHERE tree_id = ?').pluck().get(oldAlpha.id) as number, 0);
    assert.equal(db.prepare('SELECT count(*) FROM entries').pluck().get() as number, newAlpha.entries + pickTree(db, BETA_VERSION).entries);
    assert.deepEqual(allEntries(db, newAlpha.id), alphaRows);
    assert.deepEqual(allEntries(db, pickTree(db, BETA_VERSION).id), betaRows);
  });

  it('--name gives a second copy of a tree its own name; building the same name from another tree replaces it', async () => {
    await buildIndex(db, ALPHA, { jobs: 0, name: 'scratch' });
    assert.equal(pickTree(db).name, 'scratch');
    assert.equal(lookupRows(db, pickTree(db, 'scratch').id, 'orphan_probe').length, 2);
    await buildIndex(db, BETA, { jobs: 0, name: 'scratch' });
    assert.deepEqual(
      listTrees(db)
        .map((t) => t.name)
        .sort(),
      [ALPHA_VERSION, BETA_VERSION, 'scratch'].sort(),
    );
    assert.equal(lookupRows(db, pickTree(db, 'scratch').id, 'orphan_probe').length, 0);
    assert.equal(lookupRows(db, pickTree(db, 'scratch').id, 'gizmo_beta_only').length, 2);
  });
});

describe('an empty index', () => {
  it('has no default tree, and says how to build one', () => {
    const db = openIndex(join(tempDir(), 'empty.sqlite'));
    try {
      assert.deepEqual(listTrees(db), []);
      assert.throws(() => pickTree(db), { name: 'KtriageError', message: 'the index holds no tree yet (ktriage index build <tree>)' });
    } finally {
      db.close();
    }
  });
});
