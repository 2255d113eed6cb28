// refs: which files mention a symbol, whole words only, the first line of each;
// scanned on demand and cached per tree; --refresh rescans; an update drops
// the cache; a tarball tree is streamed again.

import assert from 'node:assert/strict';
import { appendFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { before, describe, it } from 'node:test';
import { runIndex } from '../../src/cli/index-cmd.js';
import { updateIndex } from '../../src/index/build.js';
import { firstWordLine, scanRefs } from '../../src/index/refs.js';
import { openIndex } from '../../src/store/index-db.js';
import { treeFilePaths } from '../../src/store/index-queries.js';
import { ALPHA, ALPHA_VERSION, buildInto, copyTree, makeTarball, tempDir, type Built } from '../helpers/index-fixtures.js';

/** runIndex in this process: its stdout, as text */
async function cli(args: string[]): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const code = await runIndex(args, out);
  assert.equal(code, 0);
  return text;
}

const FLUSH_HITS = [
  { path: 'arch/corvid/include/asm/tlbflush.h', line: 28 },
  { path: 'arch/corvid/kernel/smp_tlb.c', line: 29 },
  { path: 'include/asm-generic/tlbflush.h', line: 11 },
  { path: 'mm/memory.c', line: 13 },
];

describe('firstWordLine', () => {
  it('finds the first whole-word occurrence, as a 1-based line, or 0', () => {
    const buf = Buffer.from('local_panic();\npanic_timeout = 1;\n/* panic */ panic();\n');
    assert.equal(firstWordLine(buf, Buffer.from('panic')), 3);
    assert.equal(firstWordLine(buf, Buffer.from('local_panic')), 1);
    assert.equal(firstWordLine(buf, Buffer.from('timeout')), 0);
    assert.equal(firstWordLine(Buffer.from('panic'), Buffer.from('panic')), 1);
    // an empty needle is everywhere and nowhere a word: 0, at once
    assert.equal(firstWordLine(buf, Buffer.alloc(0)), 0);
  });
});

describe('refs on a directory tree', () => {
  let tree: string;
  let b: Built;
  before(async () => {
    tree = copyTree(ALPHA);
    b = await buildInto(tree);
    b.db.close(); // the CLI opens it itself
  });

  it('scanRefs: whole words only (local_/ipi_ prefixed names do not count), the first line of each file', async () => {
    const db = openIndex(b.dbPath);
    try {
      const hits = await scanRefs(tree, 'dir', treeFilePaths(db, b.tree.id), 'flush_tlb_kernel_span');
      assert.deepEqual(
        [...hits].sort((x, y) => x.path.localeCompare(y.path)),
        FLUSH_HITS,
      );
      assert.deepEqual(await scanRefs(tree, 'dir', treeFilePaths(db, b.tree.id), 'panic'), [{ path: 'kernel/panic.c', line: 3 }]);
    } finally {
      db.close();
    }
  });

  it('index refs: scanned the first time, "(cached)" the second, --refresh scans again', async () => {
    const first = await cli(['refs', 'mutex_lock', '--db', b.dbPath]);
    assert.equal(first, `mutex_lock: 2 files in tree ${ALPHA_VERSION}\n  drivers/gizmo/gizmo-core.c:24\n  kernel/gizctl.c:14\n`);
    appendFileSync(join(tree, 'mm/mempool.c'), '\nvoid mempool_lock(void)\n{\n\tmutex_lock(NULL);\n}\n');
    const second = await cli(['refs', 'mutex_lock', '--db', b.dbPath]);
    assert.equal(second, `mutex_lock: 2 files in tree ${ALPHA_VERSION} (cached)\n  drivers/gizmo/gizmo-core.c:24\n  kernel/gizctl.c:14\n`);
    const json = JSON.parse(await cli(['refs', 'mutex_lock', '--db', b.dbPath, '--format', 'json'])) as { cached: boolean; files: unknown[]; tree: string };
    assert.equal(json.cached, true);
    assert.equal(json.tree, ALPHA_VERSION);
    const fresh = await cli(['refs', 'mutex_lock', '--db', b.dbPath, '--refresh']);
    assert.equal(fresh, `mutex_lock: 3 files in tree ${ALPHA_VERSION}\n  drivers/gizmo/gizmo-core.c:24\n  kernel/gizctl.c:14\n  mm/mempool.c:10\n`);
    assert.match(await cli(['refs', 'mutex_lock', '--db', b.dbPath]), /^mutex_lock: 3 files in tree .* \(cached\)\n/);
  });

  it('an update drops the cached refs', async () => {
    await cli(['refs', 'gizmo_boost', '--db', b.dbPath]);
    assert.match(await cli(['refs', 'gizmo_boost', '--db', b.dbPath]), /\(cached\)/);
    appendFileSync(join(tree, 'mm/filemap.c'), '\nint filemap_boost(void)\n{\n\treturn gizmo_boost(NULL);\n}\n');
    const db = openIndex(b.dbPath);
    try {
      await updateIndex(db, tree, { jobs: 0 });
    } finally {
      db.close();
    }
    assert.equal(await cli(['refs', 'gizmo_boost', '--db', b.dbPath]), `gizmo_boost: 3 files in tree ${ALPHA_VERSION}\n  include/linux/gizmo.h:52\n  kernel/gizctl.c:17\n  mm/filemap.c:10\n`);
  });

  it('a symbol nobody mentions: no files, and that answer is cached too', async () => {
    assert.equal((await cli(['refs', 'no_such_thing_at_all', '--db', b.dbPath])).trimEnd(), `no_such_thing_at_all: 0 files in tree ${ALPHA_VERSION}`);
    assert.match(await cli(['refs', 'no_such_thing_at_all', '--db', b.dbPath]), /\(cached\)/);
  });

  it('refs on a tree whose files have gone is an error that says so', async () => {
    renameSync(tree, `${tree}.moved`);
    try {
      await assert.rejects(runIndex(['refs', 'gizmo_register', '--db', b.dbPath, '--refresh'], new PassThrough()), {
        name: 'KtriageError',
        message: `${tree}: the tree's files are not there any more; refs needs the tree the index was built from`,
      });
    } finally {
      renameSync(`${tree}.moved`, tree);
    }
  });
});

describe('refs on a tarball tree', () => {
  it('streams the tarball again and finds the same files', async () => {
    const ball = makeTarball(ALPHA, join(tempDir(), 'linux-6.3.tar.xz'), 'linux-6.3');
    const b = await buildInto(ball);
    b.db.close();
    const out = await cli(['refs', 'flush_tlb_kernel_span', '--db', b.dbPath, '--format', 'json']);
    const j = JSON.parse(out) as { cached: boolean; files: { path: string; line: number }[] };
    assert.equal(j.cached, false);
    assert.deepEqual(j.files, FLUSH_HITS);
  });
});
