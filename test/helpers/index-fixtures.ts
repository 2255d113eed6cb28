// Helpers for the kernel symbol index tests: the fixture trees under
// test/fixtures/trees, temp directories, indexes built into them, and the
// line numbers of fixture lines (so a test asserts the exact line the scanner
// must report without hard-coding numbers that move when a fixture grows).

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { buildIndex, type BuildOptions, type BuildStats } from '../../src/index/build.js';
import { parseAssignment } from '../../src/index/cond.js';
import { explainSymbol, type Explanation } from '../../src/index/explain.js';
import { openIndex, pickTree, type DB, type TreeRow } from '../../src/store/index-db.js';
import { lookupRows, symversRows, treeFilePaths, type SymbolRow } from '../../src/store/index-queries.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TREES = join(REPO, 'test', 'fixtures', 'trees');
export const ALPHA = join(TREES, 'alpha');
export const BETA = join(TREES, 'beta');
export const ALPHA_SYMVERS = join(TREES, 'alpha-Module.symvers');
/** the names the fixture trees get from their top Makefiles */
export const ALPHA_VERSION = '6.3.7-kt1';
export const BETA_VERSION = '6.4.0-rc2';

const temps: string[] = [];
// registered when the module loads, on the file's root: called from inside a
// hook, after() would belong to that hook and run as soon as it ends
after(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A fresh temp directory, removed when the test file ends. */
export function tempDir(prefix = 'ktriage-index-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A copy of a fixture tree in a temp directory, under a top directory named `top`. */
export function copyTree(src: string, top = 'linux'): string {
  const dst = join(tempDir(), top);
  cpSync(src, dst, { recursive: true });
  return dst;
}

/** git init/add/commit in `dir` (a throw-away identity; no global config needed). */
export function gitCommitAll(dir: string, message = 'fixture'): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

/** `tar` of a tree: `<out>` holding `<top>/...`, compressed by the extension (.tar.xz, .tar.gz). */
export function makeTarball(srcTree: string, out: string, top: string): string {
  const stage = tempDir('ktriage-tar-');
  cpSync(srcTree, join(stage, top), { recursive: true });
  const flag = out.endsWith('.xz') ? '-J' : out.endsWith('.gz') ? '-z' : '';
  execFileSync('tar', ['-c', ...(flag ? [flag] : []), '-f', out, '-C', stage, top], { stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

export interface Built {
  db: DB;
  dbPath: string;
  stats: BuildStats;
  tree: TreeRow;
}

/** A new index in a temp directory with `spec` built into it. */
export async function buildInto(spec: string, opts: BuildOptions = {}, dbPath = join(tempDir(), 'index.sqlite')): Promise<Built> {
  const db = openIndex(dbPath);
  const stats = await buildIndex(db, spec, { jobs: 0, ...opts });
  return { db, dbPath, stats, tree: pickTree(db, stats.tree) };
}

/**
 * The 1-based line of the only line of `file` (in `tree`) containing `needle`
 * (starting with it, when `needle` starts with "^"; equal to it, with "=");
 * `nth` picks one of several.
 */
export function lineOf(tree: string, file: string, needle: string, nth?: number): number {
  const lines = readFileSync(join(tree, file), 'latin1').split('\n');
  const match = needle.startsWith('^') ? (l: string) => l.startsWith(needle.slice(1)) : needle.startsWith('=') ? (l: string) => l.trimEnd() === needle.slice(1) : (l: string) => l.includes(needle);
  const hits = lines.flatMap((l, i) => (match(l) ? [i + 1] : []));
  if (nth === undefined && hits.length !== 1) throw new Error(`${file}: "${needle}" is on ${hits.length} lines, want exactly 1`);
  const h = hits[(nth ?? 1) - 1];
  if (h === undefined) throw new Error(`${file}: no occurrence ${nth} of "${needle}"`);
  return h;
}

/** Index rows of a symbol, compact: "path:line kind storage | cond". */
export function brief(rows: SymbolRow[]): string[] {
  return rows.map((r) => `${r.path}:${r.line} ${r.kind}${r.storage ? ' ' + r.storage : ''}${r.exportType ? ' ' + r.exportType : ''}${r.namespace ? ' ns=' + r.namespace : ''} | ${r.cond}`);
}

/** explainSymbol over the rows the DB holds, as the CLI calls it. */
export function explainIn(db: DB, tree: TreeRow, symbol: string, arch: string | null, config: string): Explanation {
  const paths = new Set(treeFilePaths(db, tree.id));
  return explainSymbol(symbol, lookupRows(db, tree.id, symbol), arch, parseAssignment(config), (p) => paths.has(p), symversRows(db, tree.id, symbol));
}

/** Every entry of a tree, sorted, for comparing two builds of the same tree. */
export function allEntries(db: DB, treeId: number): string[] {
  return (
    db
      .prepare(
        `SELECT f.path || ':' || e.line || ' ' || s.name || ' ' || e.flags || ' ' || c.text || ' ' || coalesce(n.ns, '') AS k
         FROM entries e JOIN files f ON f.id = e.file JOIN syms s ON s.id = e.sym JOIN conds c ON c.id = e.cond
         LEFT JOIN export_ns n ON n.sym = e.sym AND n.file = e.file AND n.line = e.line
         WHERE f.tree_id = ?`,
      )
      .pluck()
      .all(treeId) as string[]
  ).sort();
}

/** Every file's build condition and citations: "path | cond | via". */
export function allBuildConds(db: DB, treeId: number): string[] {
  return db
    .prepare(`SELECT f.path || ' | ' || coalesce(c.text, '-') || ' | ' || coalesce(f.build_via, '-') FROM files f LEFT JOIN conds c ON c.id = f.build_cond WHERE f.tree_id = ? ORDER BY f.path`)
    .pluck()
    .all(treeId) as string[];
}

/** The build condition of one file of a tree (null: no Makefile reaches it). */
export function buildCondOf(db: DB, treeId: number, path: string): { cond: string | null; via: { makefile: string; line: number }[]; moduleOnly: boolean } {
  const r = db.prepare('SELECT c.text AS cond, f.build_via AS via FROM files f LEFT JOIN conds c ON c.id = f.build_cond WHERE f.tree_id = ? AND f.path = ?').get(treeId, path) as
    { cond: string | null; via: string | null } | undefined;
  if (!r) throw new Error(`${path}: not a file of tree ${treeId}`);
  const v = r.via ? (JSON.parse(r.via) as { via: { makefile: string; line: number }[]; moduleOnly: boolean }) : { via: [], moduleOnly: false };
  return { cond: r.cond, via: v.via, moduleOnly: v.moduleOnly };
}
