// buildIndex when things go wrong or come twice: a batch that fails (an SQLite
// error) gives one error and leaves the index as it was; a rebuild replaces the
// old tree only once the new one is done, and keeps its Module.symvers; a path
// listed twice (an unmerged git path, a tarball entry repeated) is one file;
// file contents are moved to workers only when they own their buffer.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { KtriageError } from '../../src/core/errors.js';
import { buildIndex, forTransfer, updateIndex } from '../../src/index/build.js';
import { parseSymvers } from '../../src/index/scan/symvers.js';
import { listTrees, openIndex, pickTree, type DB } from '../../src/store/index-db.js';
import { replaceSymvers, symversRows, treeFilePaths } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_SYMVERS, ALPHA_VERSION, allEntries, buildInto, copyTree, makeTarball, tempDir } from '../helpers/index-fixtures.js';

/** every insert of this file into the index fails, as a full disk or a broken database would */
function failOn(db: DB, path: string): void {
  db.exec(`CREATE TEMP TRIGGER fail_build BEFORE INSERT ON files WHEN NEW.path = '${path}' BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`);
}

function rowCounts(db: DB): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['trees', 'files', 'entries', 'make_items', 'kconfig', 'symvers']) out[t] = db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return out;
}

const isBuildFailure = (e: unknown) => e instanceof KtriageError && /index build failed and the index is as it was \(disk I\/O error \(simulated\)\)$/.test(e.message);

describe('a build that fails part-way', () => {
  for (const jobs of [0, 2]) {
    it(`jobs ${jobs}: buildIndex rejects with one KtriageError; no tree, no files, nothing staged; the connection builds again`, async () => {
      const db = openIndex(join(tempDir(), 'index.sqlite'));
      try {
        failOn(db, 'mm/Makefile');
        await assert.rejects(buildIndex(db, ALPHA, { jobs }), isBuildFailure);
        assert.deepEqual(rowCounts(db), { trees: 0, files: 0, entries: 0, make_items: 0, kconfig: 0, symvers: 0 });
        assert.equal(db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'stage'").pluck().get(), 0);
        assert.equal(db.inTransaction, false);
        db.exec('DROP TRIGGER temp.fail_build');
        const s = await buildIndex(db, ALPHA, { jobs });
        assert.deepEqual([s.tree, s.files, s.entries], [ALPHA_VERSION, 91, 155]);
      } finally {
        db.close();
      }
    });
  }

  it('a failed rebuild leaves the previous tree whole, and the previous tree stays the default while a rebuild runs', async () => {
    const b = await buildInto(ALPHA);
    try {
      const before = allEntries(b.db, b.tree.id);
      replaceSymvers(b.db, b.tree.id, parseSymvers(readFileSync(ALPHA_SYMVERS, 'utf8')));
      const counts = rowCounts(b.db);
      failOn(b.db, 'mm/Makefile');
      await assert.rejects(buildIndex(b.db, ALPHA, { jobs: 0 }), isBuildFailure);
      assert.deepEqual(rowCounts(b.db), counts);
      assert.equal(pickTree(b.db).id, b.tree.id);
      assert.deepEqual(allEntries(b.db, b.tree.id), before);
      b.db.exec('DROP TRIGGER temp.fail_build');

      const seen: { phase: string; default: number; kinds: string[] }[] = [];
      const s = await buildIndex(b.db, ALPHA, {
        jobs: 0,
        onProgress: (p) =>
          seen.push({
            phase: p.phase,
            default: pickTree(b.db).id,
            kinds: listTrees(b.db)
              .map((t) => t.kind)
              .sort(),
          }),
      });
      const during = seen.filter((x) => x.phase !== 'done');
      assert.ok(during.length > 0);
      for (const x of during) assert.deepEqual([x.default, x.kinds], [b.tree.id, ['dir', 'partial']]);
      const now = pickTree(b.db);
      assert.deepEqual([s.tree, now.name, now.kind, listTrees(b.db).length], [ALPHA_VERSION, ALPHA_VERSION, 'dir', 1]);
      assert.notEqual(now.id, b.tree.id);
      assert.deepEqual(allEntries(b.db, now.id), before);
      assert.equal(symversRows(b.db, now.id, 'gizmo_unregister')[0]?.namespace, 'GIZMO_CORE');
      assert.equal(b.db.prepare('SELECT count(*) FROM symvers').pluck().get(), 5);
    } finally {
      b.db.close();
    }
  });
});

describe('a rebuild whose final name clashes', () => {
  it("a tarball named after its file until its Makefile goes by replaces the tree of its version and keeps that tree's Module.symvers", async () => {
    const b = await buildInto(ALPHA);
    try {
      replaceSymvers(b.db, b.tree.id, parseSymvers(readFileSync(ALPHA_SYMVERS, 'utf8')));
      const ball = makeTarball(ALPHA, join(tempDir(), 'linux-alpha.tar.gz'), 'linux-alpha');
      const s = await buildIndex(b.db, ball, { jobs: 0 });
      assert.equal(s.tree, ALPHA_VERSION);
      const trees = listTrees(b.db);
      assert.deepEqual(
        trees.map((t) => [t.name, t.kind]),
        [[ALPHA_VERSION, 'tarball']],
      );
      assert.deepEqual(symversRows(b.db, trees[0]!.id, 'panic'), [{ crc: '0x7a1b2c3d', module: 'vmlinux', exportType: 'EXPORT_SYMBOL', namespace: null }]);
      assert.equal(b.db.prepare('SELECT count(*) FROM symvers').pluck().get(), 5);
    } finally {
      b.db.close();
    }
  });
});

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_NOSYSTEM: '1' };

describe('a path listed twice is one file', () => {
  it('git: an unmerged path (listed once per stage by ls-files --cached) is indexed once; update works on it', async () => {
    const tree = copyTree(ALPHA);
    const git = (...args: string[]) => execFileSync('git', ['-C', tree, ...args], { env: { ...GIT_ENV, HOME: tree }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const panic = join(tree, 'kernel/panic.c');
    const base = readFileSync(panic, 'utf8');
    git('checkout', '-q', '-b', 'other');
    writeFileSync(panic, base + '\nint panic_other(void)\n{\n\treturn 2;\n}\n');
    git('commit', '-q', '-am', 'other');
    git('checkout', '-q', 'main');
    writeFileSync(panic, base + '\nint panic_main(void)\n{\n\treturn 1;\n}\n');
    git('commit', '-q', '-am', 'main');
    assert.throws(() => git('merge', '-q', 'other'));
    assert.equal(git('ls-files', '--cached', 'kernel/panic.c').split('\n').filter(Boolean).length, 3);

    const db = openIndex(join(tempDir(), 'index.sqlite'));
    try {
      const s = await buildIndex(db, tree, { jobs: 0 });
      assert.equal(s.files, 91);
      assert.equal(treeFilePaths(db, pickTree(db).id).filter((p) => p === 'kernel/panic.c').length, 1);
      const later = new Date(Date.now() + 60_000);
      writeFileSync(panic, base + '\nint panic_merged(void)\n{\n\treturn 3;\n}\n');
      utimesSync(panic, later, later);
      const u = await updateIndex(db, tree, { jobs: 0 });
      assert.deepEqual([u.changed, u.removed, u.files], [1, 0, 91]);
    } finally {
      db.close();
    }
  });

  it('a tarball that holds an entry twice', async () => {
    const stage = tempDir('ktriage-tar-');
    cpSync(ALPHA, join(stage, 'linux-dup'), { recursive: true });
    const ball = join(tempDir(), 'linux-dup.tar');
    execFileSync('tar', ['-cf', ball, '-C', stage, 'linux-dup'], { stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync('tar', ['-rf', ball, '-C', stage, 'linux-dup/kernel/panic.c'], { stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(
      execFileSync('tar', ['-tf', ball])
        .toString()
        .split('\n')
        .filter((l) => l === 'linux-dup/kernel/panic.c').length,
      2,
    );
    const b = await buildInto(ball);
    try {
      assert.deepEqual([b.stats.tree, b.stats.files, b.stats.entries], [ALPHA_VERSION, 91, 155]);
    } finally {
      b.db.close();
    }
  });
});

describe('file contents sent to a worker', () => {
  it('only contents that own their whole buffer are transferred; slices of a shared buffer are copied, the originals stay usable', () => {
    const small = Buffer.concat([Buffer.from('int a;'), Buffer.from('\n')]);
    const small2 = Buffer.concat([Buffer.from('int b;\n')]);
    const big = Buffer.concat([Buffer.alloc(10_000, 0x20), Buffer.from('int c;\n')]);
    const shared = Buffer.from(new ArrayBuffer(64), 8, 16).fill(0x41);
    assert.ok(small.byteLength < small.buffer.byteLength, 'a small Buffer.concat result is a slice of the pool');
    assert.equal(big.byteOffset, 0);
    const items = [
      { path: 'a.h', data: small, size: small.length },
      { path: 'b.h', data: small2, size: small2.length },
      { path: 'c.h', data: big, size: big.length },
      { path: 'd.h', data: shared, size: shared.length },
      { path: 'e.h', abs: '/nowhere/e.h', size: 1 },
    ];
    const r = forTransfer(items);
    assert.equal(r.transfer.length, 4);
    assert.equal(new Set(r.transfer).size, 4);
    assert.ok(r.transfer.includes(big.buffer as ArrayBuffer));
    assert.ok(!r.transfer.includes(small.buffer as ArrayBuffer));
    assert.ok(!r.transfer.includes(shared.buffer as ArrayBuffer));
    for (const [k, it] of r.items.entries()) {
      assert.equal(it.path, items[k]!.path);
      if (!it.data) continue;
      assert.equal(it.data.byteOffset, 0);
      assert.equal(it.data.byteLength, it.data.buffer.byteLength);
      assert.deepEqual(Buffer.from(it.data), items[k]!.data);
    }
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(r.items, r.transfer);
    port1.close();
    port2.close();
    assert.equal(big.buffer.byteLength, 0, 'transferred');
    assert.equal(small.toString(), 'int a;\n');
    assert.equal(small2.toString(), 'int b;\n');
    assert.equal(shared.toString(), 'A'.repeat(16));
  });

  it('a tarball scanned by worker threads stores what the in-process scan stores', async () => {
    const ball = makeTarball(ALPHA, join(tempDir(), 'linux-w.tar.gz'), 'linux-w');
    const w = await buildInto(ball, { jobs: 2 });
    const a = await buildInto(ball, { jobs: 0 });
    try {
      assert.deepEqual([w.stats.files, w.stats.entries, w.stats.errors], [91, 155, []]);
      assert.deepEqual(allEntries(w.db, w.tree.id), allEntries(a.db, a.tree.id));
    } finally {
      w.db.close();
      a.db.close();
    }
  });
});
