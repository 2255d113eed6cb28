// The same fixture tree read as a directory, a git work tree, a .tar.xz and a
// .tar.gz (streamed, never unpacked): the same entries, the same build
// conditions, the same answers; tree names from the Makefile or --name.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lookupRows } from '../../src/store/index-queries.js';
import { listTrees, openIndex } from '../../src/store/index-db.js';
import { ALPHA, ALPHA_VERSION, BETA, allBuildConds, allEntries, buildInto, copyTree, explainIn, gitCommitAll, makeTarball, tempDir, type Built } from '../helpers/index-fixtures.js';

describe('one tree, four sources', () => {
  let dir: Built;
  before(async () => {
    dir = await buildInto(ALPHA);
  });
  after(() => dir.db.close());

  /** the same index content and the same explain answer as the directory build */
  const assertSame = (other: Built) => {
    assert.equal(other.stats.files, dir.stats.files);
    assert.equal(other.stats.entries, dir.stats.entries);
    assert.deepEqual(allEntries(other.db, other.tree.id), allEntries(dir.db, dir.tree.id));
    assert.deepEqual(allBuildConds(other.db, other.tree.id), allBuildConds(dir.db, dir.tree.id));
    const q = (b: Built) => explainIn(b.db, b.tree, 'flush_tlb_kernel_span', 'corvid', 'CONFIG_SMP=y,CONFIG_MMU=n');
    const [e1, e2] = [q(other), q(dir)];
    assert.deepEqual(e1.builtinUse, e2.builtinUse);
    assert.equal(e1.builtinUse.answer, 'false');
  };

  it('a git work tree: kind git, the HEAD commit recorded, the same content', async () => {
    const repo = copyTree(ALPHA);
    const head = gitCommitAll(repo);
    const g = await buildInto(repo);
    try {
      assert.equal(g.stats.kind, 'git');
      assert.equal(g.stats.tree, ALPHA_VERSION);
      assert.equal(g.tree.commit_id, head);
      assertSame(g);
    } finally {
      g.db.close();
    }
  });

  it('a git work tree: untracked files count, ignored ones do not', async () => {
    const repo = copyTree(ALPHA);
    gitCommitAll(repo);
    writeFileSync(join(repo, '.gitignore'), 'scratch.c\n');
    writeFileSync(join(repo, 'kernel', 'scratch.c'), 'int scratch_only(void) { return 0; }\n');
    writeFileSync(join(repo, 'kernel', 'fresh.c'), 'int fresh_untracked(void) { return 0; }\n');
    rmSync(join(repo, 'drivers', 'orphan', 'orphan.c')); // deleted in the work tree, still in HEAD
    const g = await buildInto(repo);
    try {
      assert.equal(g.stats.files, dir.stats.files + 1 - 1);
      assert.equal(lookupRows(g.db, g.tree.id, 'fresh_untracked').length, 1);
      assert.equal(lookupRows(g.db, g.tree.id, 'scratch_only').length, 0);
      assert.equal(lookupRows(g.db, g.tree.id, 'orphan_probe').length, 0);
    } finally {
      g.db.close();
    }
  });

  for (const ext of ['.tar.xz', '.tar.gz']) {
    it(`a ${ext} tarball, streamed: kind tarball, named from the Makefile inside it, the same content`, async () => {
      const ball = makeTarball(ALPHA, join(tempDir(), `linux-source-6.3${ext}`), 'linux-source-6.3');
      const t = await buildInto(ball);
      try {
        assert.equal(t.stats.kind, 'tarball');
        assert.equal(t.stats.tree, ALPHA_VERSION);
        assert.equal(t.stats.version, ALPHA_VERSION);
        assert.equal(t.tree.source, ball);
        // paths are relative to the tree, without the tarball's top directory
        assert.ok(lookupRows(t.db, t.tree.id, 'panic').every((r) => r.path === 'kernel/panic.c'));
        assertSame(t);
      } finally {
        t.db.close();
      }
    });
  }

  it('--name overrides the Makefile version, for a tarball and a directory', async () => {
    const ball = makeTarball(ALPHA, join(tempDir(), 'alpha.tar.xz'), 'alpha');
    const db = join(tempDir(), 'named.sqlite');
    const t = await buildInto(ball, { name: 'corvid-next' }, db);
    try {
      assert.equal(t.stats.tree, 'corvid-next');
      assert.equal(t.tree.name, 'corvid-next');
      assert.equal(t.tree.version, ALPHA_VERSION);
    } finally {
      t.db.close();
    }
    const d = await buildInto(ALPHA, { name: 'alpha-dir' }, db);
    try {
      assert.deepEqual(
        listTrees(d.db)
          .map((x) => `${x.name} ${x.kind} ${x.version}`)
          .sort(),
        [`alpha-dir dir ${ALPHA_VERSION}`, `corvid-next tarball ${ALPHA_VERSION}`],
      );
    } finally {
      d.db.close();
    }
  });

  it('a tarball whose tree has no top Makefile is named after the file', async () => {
    const copy = copyTree(BETA, 'mini');
    rmSync(join(copy, 'Makefile'));
    const ball = join(tempDir(), 'mini-tree.tar.gz');
    execFileSync('tar', ['-czf', ball, '-C', join(copy, '..'), 'mini']);
    const t = await buildInto(ball);
    try {
      assert.equal(t.stats.tree, 'mini-tree');
      assert.equal(t.stats.version, undefined);
      assert.equal(t.stats.files, 29);
    } finally {
      t.db.close();
    }
  });
});

describe('compressed tarballs cut short', () => {
  /**
   * The alpha tree as a tar, split at an entry boundary near the middle and
   * compressed as two concatenated streams (xz and gzip both read those): cut
   * inside the second stream, the first still decodes to a tar that ends
   * cleanly, and only the decompressor's failure says the file is truncated.
   */
  function twoStreams(compress: (b: Buffer) => Buffer): { whole: Buffer; cut: Buffer } {
    const tarPath = makeTarball(ALPHA, join(tempDir(), 'alpha.tar'), 'linux-two');
    const tar = readFileSync(tarPath);
    let at = 0;
    let boundary = 0;
    while (at + 512 <= tar.length && tar[at] !== 0) {
      const size = parseInt(
        tar
          .subarray(at + 124, at + 136)
          .toString('latin1')
          .split('\0')[0]!
          .trim() || '0',
        8,
      );
      at += 512 + Math.ceil(size / 512) * 512;
      if (!boundary && at >= tar.length / 2) boundary = at;
    }
    assert.ok(boundary > 0 && boundary < at);
    const first = compress(tar.subarray(0, boundary));
    const second = compress(tar.subarray(boundary));
    return { whole: Buffer.concat([first, second]), cut: Buffer.concat([first, second.subarray(0, 16)]) };
  }
  const xz = (b: Buffer) => execFileSync('xz', ['-c'], { input: b, maxBuffer: 64 << 20 });

  it('a .tar.xz whose second stream is cut: an error, and no tree left behind', async () => {
    const { whole, cut } = twoStreams(xz);
    const d = tempDir();
    const good = join(d, 'two.tar.xz');
    writeFileSync(good, whole);
    const g = await buildInto(good);
    try {
      assert.equal(g.stats.tree, ALPHA_VERSION); // two streams read as one tar
      assert.equal(g.stats.files, 91);
    } finally {
      g.db.close();
    }
    const bad = join(d, 'cut.tar.xz');
    writeFileSync(bad, cut);
    const dbPath = join(d, 'cut.sqlite');
    await assert.rejects(buildInto(bad, {}, dbPath), { name: 'KtriageError', message: /^.*cut\.tar\.xz: xz failed \(xz: .*(Unexpected end of input|Compressed data is corrupt).*\)$/ });
    const db = openIndex(dbPath);
    try {
      assert.deepEqual(listTrees(db), []);
    } finally {
      db.close();
    }
  });

  it('a .tar.gz whose second member is cut: an error', async () => {
    const { whole, cut } = twoStreams((b) => gzipSync(b));
    const d = tempDir();
    writeFileSync(join(d, 'two.tar.gz'), whole);
    const g = await buildInto(join(d, 'two.tar.gz'));
    g.db.close();
    assert.equal(g.stats.files, 91);
    writeFileSync(join(d, 'cut.tar.gz'), cut);
    await assert.rejects(buildInto(join(d, 'cut.tar.gz')), { name: 'KtriageError', message: /cut\.tar\.gz: cannot read the tarball \(unexpected end of file\)$/ });
  });
});
