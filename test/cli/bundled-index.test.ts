// The bundled index is shipped gzipped and unpacked once into the user's
// cache: first use unpacks, later uses reuse, a damaged copy is replaced,
// processes starting together never open a half-written file, and with no
// directory to write to ktriage says so and judges without an index.

import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLED_INDEX_GZ, bundledCacheDirs, unpackBundledIndex } from '../../src/cli/bundled-index.js';
import { chooseIndex, openBundledIndex } from '../../src/cli/index-choice.js';
import { openIndexPort } from '../../src/store/index-port.js';
import { REPO, tempDir } from '../helpers/index-fixtures.js';

const gzBytes = readFileSync(BUNDLED_INDEX_GZ);
/** the size gzip records for what it compressed (RFC 1952 ISIZE) */
const unpackedSize = gzBytes.readUInt32LE(gzBytes.length - 4);

function cacheEnv(): { env: NodeJS.ProcessEnv; cache: string; tmp: string } {
  const root = tempDir('ktriage-cache-');
  return { env: { XDG_CACHE_HOME: join(root, 'cache'), TMPDIR: join(root, 'tmp'), HOME: root }, cache: join(root, 'cache', 'ktriage'), tmp: join(root, 'tmp') };
}

const ok = (u: ReturnType<typeof unpackBundledIndex>) => {
  assert.ok(u.ok, u.ok ? '' : u.why);
  return u;
};

describe('unpacking the bundled index', () => {
  it('where: $XDG_CACHE_HOME/ktriage, a relative XDG_CACHE_HOME ignored (XDG spec), then a directory of our own under TMPDIR', () => {
    const uid = process.getuid?.() ?? 'user';
    assert.deepEqual(bundledCacheDirs({ XDG_CACHE_HOME: '/c', TMPDIR: '/t', HOME: '/h' }), ['/c/ktriage', `/t/ktriage-${uid}`]);
    assert.deepEqual(bundledCacheDirs({ XDG_CACHE_HOME: 'rel/cache', TMPDIR: '/t', HOME: '/h' }), ['/h/.cache/ktriage', `/t/ktriage-${uid}`]);
  });

  it('first use writes the copy, named by the hash of the .gz, the size gzip recorded, and it opens as an index', () => {
    const { env, cache } = cacheEnv();
    const u = ok(unpackBundledIndex({ env }));
    assert.equal(u.wrote, true);
    assert.match(u.path, /\/bundled-[0-9a-f]{16}\.sqlite$/);
    assert.equal(u.path.startsWith(cache + '/'), true);
    assert.equal(statSync(u.path).size, unpackedSize);
    assert.deepEqual(readdirSync(cache), [u.path.slice(cache.length + 1)], 'no temporary file left behind');
    const idx = openIndexPort(u.path);
    assert.deepEqual(idx.trees.map((t) => t.name).sort(), ['6.1-subset', '6.12-subset']);
    idx.close();
  });

  it('a second use reuses the copy: nothing written', () => {
    const { env } = cacheEnv();
    const first = ok(unpackBundledIndex({ env }));
    const before = statSync(first.path);
    const second = ok(unpackBundledIndex({ env }));
    assert.deepEqual([second.path, second.wrote], [first.path, false]);
    const after = statSync(second.path);
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
  });

  it('a truncated or overwritten copy is replaced', () => {
    const { env } = cacheEnv();
    const first = ok(unpackBundledIndex({ env }));
    writeFileSync(first.path, readFileSync(first.path).subarray(0, 4096));
    const again = ok(unpackBundledIndex({ env }));
    assert.equal(again.wrote, true);
    assert.equal(statSync(again.path).size, unpackedSize);
    // the same size, but not SQLite
    writeFileSync(again.path, Buffer.alloc(unpackedSize, 0x41));
    assert.equal(ok(unpackBundledIndex({ env })).wrote, true);
    assert.equal(ok(unpackBundledIndex({ env })).wrote, false);
  });

  it("another version's copy stays while used (two checkouts share a cache), goes after a week unused; a dead process's temporary file goes", () => {
    const { env, cache } = cacheEnv();
    const ours = ok(unpackBundledIndex({ env }));
    const recent = join(cache, 'bundled-0123456789abcdef.sqlite');
    const unused = join(cache, 'bundled-fedcba9876543210.sqlite');
    const deadTemp = join(cache, 'bundled-0123456789abcdef.sqlite.4242.deadbeef.tmp');
    const liveTemp = join(cache, 'bundled-0123456789abcdef.sqlite.4243.cafef00d.tmp');
    for (const p of [recent, unused, deadTemp, liveTemp]) writeFileSync(p, 'x');
    const ago = (days: number) => new Date(Date.now() - days * 86400e3);
    utimesSync(unused, ago(8), ago(8));
    utimesSync(deadTemp, ago(1), ago(1));
    utimesSync(recent, ago(2), ago(2));
    // our copy, unused for two days, is marked used when reused
    utimesSync(ours.path, ago(2), ago(2));
    ok(unpackBundledIndex({ env }));
    assert.ok(Date.now() - statSync(ours.path).mtimeMs < 60e3);
    // pruning happens when a copy is written
    writeFileSync(ours.path, 'broken');
    ok(unpackBundledIndex({ env }));
    assert.deepEqual(readdirSync(cache).sort(), [ours.path.slice(cache.length + 1), 'bundled-0123456789abcdef.sqlite', 'bundled-0123456789abcdef.sqlite.4243.cafef00d.tmp'].sort());
  });

  it('a copy of the right size and header that SQLite cannot read is unpacked again when opened', () => {
    const { env } = cacheEnv();
    const first = ok(unpackBundledIndex({ env }));
    const damaged = Buffer.alloc(unpackedSize);
    readFileSync(first.path).copy(damaged, 0, 0, 16);
    writeFileSync(first.path, damaged);
    const warnings: string[] = [];
    const idx = openBundledIndex(undefined, env, { warn: (l) => warnings.push(l) });
    assert.ok(idx, 'opened after unpacking again');
    assert.deepEqual(warnings, []);
    assert.equal(idx.trees.length, 2);
    idx.close();
  });

  it('a cache directory that cannot be made: the copy goes to TMPDIR/ktriage-<uid>', () => {
    const { env, tmp } = cacheEnv();
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, '');
    const u = ok(unpackBundledIndex({ env: { ...env, XDG_CACHE_HOME: blocked } }));
    assert.equal(u.path.startsWith(join(tmp, `ktriage-${process.getuid?.() ?? 'user'}`) + '/'), true);
  });

  it('nowhere to write: one line on stderr, and no index (the verdict stands on the thread alone)', () => {
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, '');
    const env = { XDG_CACHE_HOME: blocked, TMPDIR: blocked, HOME: blocked };
    const u = unpackBundledIndex({ env });
    assert.equal(u.ok, false);
    const warnings: string[] = [];
    assert.equal(openBundledIndex(undefined, env, { warn: (l) => warnings.push(l) }), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^ktriage: judging without an index: the bundled index cannot be unpacked: no cache directory can hold it \(.*ENOTDIR.*ENOTDIR\)$/);
  });

  it('several processes using it first at the same moment: each opens a whole copy, and one copy is left', async () => {
    const { env, cache } = cacheEnv();
    const start = Date.now() + 1500;
    const script = [
      `import { unpackBundledIndex } from ${JSON.stringify(join(REPO, 'src', 'cli', 'bundled-index.ts'))};`,
      `import { openIndexPort } from ${JSON.stringify(join(REPO, 'src', 'store', 'index-port.ts'))};`,
      `while (Date.now() < ${start}) {}`,
      'const u = unpackBundledIndex();',
      'if (!u.ok) throw new Error(u.why);',
      'const idx = openIndexPort(u.path);',
      'console.log(JSON.stringify({ path: u.path, wrote: u.wrote, trees: idx.trees.length, rows: idx.portFor({}).kconfig("MMU").length }));',
    ].join('\n');
    const run = () =>
      new Promise<{ path: string; wrote: boolean; trees: number; rows: number }>((resolve, reject) => {
        const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, env: { ...process.env, ...env } });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const results = await Promise.all(Array.from({ length: 4 }, run));
    assert.equal(new Set(results.map((r) => r.path)).size, 1);
    for (const r of results) {
      assert.equal(r.trees, 2);
      assert.ok(r.rows > 0, 'the Kconfig of the chosen tree is readable');
    }
    assert.ok(
      results.some((r) => r.wrote),
      'one of them unpacked it',
    );
    assert.deepEqual(readdirSync(cache), [results[0]!.path.slice(cache.length + 1)], 'one copy, no temporary files');
    assert.equal(statSync(results[0]!.path).size, unpackedSize);
  });
});

describe('the shipped data/index/bundled.sqlite.gz', () => {
  it('gzip -n: no file name, no timestamp (the same input gives the same bytes)', () => {
    assert.deepEqual([...gzBytes.subarray(0, 4)], [0x1f, 0x8b, 8, 0], 'deflate, no FNAME flag');
    assert.equal(gzBytes.readUInt32LE(4), 0, 'MTIME 0');
  });

  it("two subset trees of Debian's 6.1 and 6.12, no help texts, no WAL, one build time", () => {
    const { env } = cacheEnv();
    const u = ok(unpackBundledIndex({ env }));
    // file format bytes 18-19: 1 = rollback journal (a WAL file needs a writable -shm beside it)
    assert.deepEqual([...readFileSync(u.path).subarray(18, 20)], [1, 1]);
    const db = new Database(u.path, { readonly: true });
    const trees = db.prepare('SELECT name, version, kind, subset, built_at, source FROM trees ORDER BY name').all() as {
      name: string;
      version: string;
      subset: number;
      built_at: string;
      source: string;
    }[];
    db.close();
    assert.deepEqual(
      trees.map((t) => [t.name, t.subset, t.source]),
      [
        ['6.1-subset', 1, '/usr/src/linux-source-6.1.tar.xz'],
        ['6.12-subset', 1, '/usr/src/linux-source-6.12.tar.xz'],
      ],
    );
    assert.match(trees[0]!.version, /^6\.1\.\d+$/);
    assert.match(trees[1]!.version, /^6\.12\.\d+$/);
    assert.equal(trees[0]!.built_at, trees[1]!.built_at);
    const idx = openIndexPort(u.path);
    const mmu = idx.portFor({ date: new Date('2023-01-01') }).kconfig('MMU');
    assert.ok(mmu.length > 5, 'MMU is defined per arch');
    assert.deepEqual(
      mmu.filter((k) => k.help !== null),
      [],
    );
    idx.close();
  });
});

describe("chooseIndex without an index of the user's", () => {
  it('opens the bundled one from the cache: two subset trees', () => {
    const { env, cache } = cacheEnv();
    const idx = chooseIndex({}, { ...env, XDG_DATA_HOME: tempDir() })!;
    assert.equal(idx.path.startsWith(cache + '/'), true);
    assert.deepEqual(idx.trees.map((t) => [t.name, t.subset]).sort(), [
      ['6.1-subset', true],
      ['6.12-subset', true],
    ]);
    idx.close();
    assert.equal(chooseIndex({ noIndex: true }, env), undefined);
  });
});
