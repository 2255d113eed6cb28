// Building and updating a tree in the index: files stream from the source,
// worker threads scan them (both cores), the main thread interns names and
// inserts in large transactions, then build conditions are resolved from the
// Makefiles and given to .c files included by other .c files.

import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname, posix, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KtriageError } from '../core/errors.js';
import { CondInterner, packFlags, PARTIAL_KIND, statement, SymInterner, type DB, type TreeRow } from '../store/index-db.js';
import { copySymvers } from '../store/index-queries.js';
import { resolveBuildConditions, type DirMakefiles, type BuildCond } from './build-conds.js';
import { and, or } from './cond.js';
import { markDirectories, type MaintainerSection } from './maintainers.js';
import { ENTRY_STRIDE, type FileScan } from './scan/file.js';
import type { MakeItem } from './scan/make.js';
import { defaultTreeName, openTree, type SourceFile, type TreeSource } from './source.js';
import { scanItem, type WorkBatch, type WorkItem, type WorkResult } from './worker.js';

export interface Progress {
  files: number;
  entries: number;
  elapsedMs: number;
  phase: 'scan' | 'conditions' | 'index' | 'done';
}

export interface BuildOptions {
  name?: string;
  /** the tree is a subset of a kernel tree's files: what it lacks is unknown, not absent */
  subset?: boolean;
  /** worker threads; 0 scans in this thread (small trees, tests) */
  jobs?: number;
  onProgress?: (p: Progress) => void;
}

export interface BuildStats {
  tree: string;
  kind: TreeSource['kind'];
  version?: string;
  files: number;
  entries: number;
  changed?: number;
  removed?: number;
  errors: string[];
  ms: number;
}

const BATCH_FILES = 48;
/** a batch also closes at this many bytes: generated headers are megabytes each */
const BATCH_BYTES = 4 * 1024 * 1024;
const COMMIT_EVERY_FILES = 4000;

interface Pool {
  submit(items: WorkItem[]): Promise<WorkResult>;
  close(): Promise<void>;
}

function makePool(jobs: number): Pool {
  if (jobs <= 0) {
    let id = 0;
    return {
      submit: async (items) => ({ id: id++, scans: items.map(scanItem) }),
      close: async () => undefined,
    };
  }
  const self = import.meta.url;
  // '../index/': the same file from dist/index/ and from the CLI's bundle in dist/bundle/
  const workerUrl = new URL(self.endsWith('.ts') ? '../index/worker.ts' : '../index/worker.js', self);
  // from sources (tests, tsx) a worker does not inherit tsx's loader (tsx issue #354): register it first
  const fromSources = self.endsWith('.ts');
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  const workers = Array.from({ length: jobs }, () => (fromSources ? new Worker(bootstrap, { eval: true }) : new Worker(workerUrl)));
  const waiting = new Map<number, { resolve: (r: WorkResult) => void; reject: (e: Error) => void }>();
  const load = new Map<Worker, number>(workers.map((w) => [w, 0]));
  let nextId = 0;
  let closing = false;
  // a worker that failed or stopped answers nothing more: every batch waiting fails, and every later one
  let broken: Error | undefined;
  const fail = (e: Error) => {
    broken ??= e;
    for (const p of waiting.values()) p.reject(e);
    waiting.clear();
  };
  for (const w of workers) {
    w.on('message', (r: WorkResult) => {
      load.set(w, (load.get(w) ?? 1) - 1);
      waiting.get(r.id)?.resolve(r);
      waiting.delete(r.id);
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!closing) fail(new Error(`a scan worker stopped (exit code ${code})`));
    });
  }
  return {
    submit(items) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      // the least busy worker
      const w = workers.reduce((a, b) => ((load.get(a) ?? 0) <= (load.get(b) ?? 0) ? a : b));
      load.set(w, (load.get(w) ?? 0) + 1);
      const batch = forTransfer(items);
      return new Promise<WorkResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, items: batch.items } satisfies WorkBatch, batch.transfer);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/**
 * Items ready to post to a worker, and the buffers to move rather than copy.
 * Only contents that own their whole ArrayBuffer move: a small Buffer is a
 * slice of Node's shared pool (files under 4 KB from Buffer.concat), which must
 * not be detached (or listed twice), so such contents are copied first.
 */
export function forTransfer(items: WorkItem[]): { items: WorkItem[]; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const out = items.map((it) => {
    const d = it.data;
    if (!d) return it;
    const own = d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? d : new Uint8Array(d);
    transfer.add(own.buffer as ArrayBuffer);
    return own === d ? it : { ...it, data: own };
  });
  return { items: out, transfer: [...transfer] };
}

/**
 * Writes scans of one tree. In bulk mode (a fresh build) entries go to a
 * staging table and are copied into the clustered table in key order at the
 * end, which is much faster than random B-tree inserts and keeps pages full.
 */
class Writer {
  readonly syms: SymInterner;
  readonly conds: CondInterner;
  private readonly insFile;
  private readonly updFile;
  private readonly insEntry;
  private readonly insEntries64;
  private readonly insNs;
  private readonly insMake;
  private readonly insInclude;
  private readonly insKconfig;
  private readonly insSelect;
  private readonly insMaintainer;
  entries = 0;
  errors: string[] = [];

  constructor(
    private readonly db: DB,
    readonly treeId: number,
    private readonly bulk: boolean,
  ) {
    this.syms = new SymInterner(db);
    this.conds = new CondInterner(db);
    this.insFile = db.prepare('INSERT INTO files(tree_id, path, hash, size, mtime_ms, entries, syms) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.updFile = db.prepare('UPDATE files SET hash = ?, size = ?, mtime_ms = ?, entries = ?, syms = ? WHERE id = ?');
    const table = bulk ? 'temp.stage' : 'entries';
    if (bulk) db.exec('CREATE TEMP TABLE IF NOT EXISTS stage(sym INTEGER, file INTEGER, line INTEGER, flags INTEGER, cond INTEGER)');
    const verb = bulk ? 'INSERT' : 'INSERT OR IGNORE';
    this.insEntry = db.prepare(`${verb} INTO ${table}(sym, file, line, flags, cond) VALUES (?, ?, ?, ?, ?)`);
    this.insEntries64 = db.prepare(`${verb} INTO ${table}(sym, file, line, flags, cond) VALUES ${Array.from({ length: 64 }, () => '(?, ?, ?, ?, ?)').join(', ')}`);
    this.insNs = db.prepare('INSERT INTO export_ns(sym, file, line, ns) VALUES (?, ?, ?, ?)');
    this.insMake = db.prepare('INSERT INTO make_items(file, line, stem, target, cond, module) VALUES (?, ?, ?, ?, ?, ?)');
    this.insInclude = db.prepare('INSERT INTO c_includes(file, line, path, cond) VALUES (?, ?, ?, ?)');
    this.insKconfig = db.prepare(
      'INSERT INTO kconfig(name, file, line, type, prompt, depends, enclosing, selects, implies, defaults, help, menuconfig, in_choice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insSelect = db.prepare('INSERT INTO kconfig_selects(target, by_name, file, line, cond, kind) VALUES (?, ?, ?, ?, ?, ?)');
    this.insMaintainer = db.prepare('INSERT INTO maintainers(file, idx, section) VALUES (?, ?, ?)');
  }

  /** existingId: an update rewrites the file's rows but keeps the file (and its build condition) */
  write(s: FileScan, existingId?: number): void {
    if (s.error) this.errors.push(`${s.path}: ${s.error}`);
    const names = s.names ? s.names.split('\n') : [];
    const n = s.nums ? names.length : 0;
    const symIds = new Int32Array(n);
    for (let k = 0; k < n; k++) symIds[k] = this.syms.id(names[k]!);
    const distinct = Int32Array.from(new Set(symIds));
    const blob = n ? Buffer.from(distinct.buffer) : null;
    let fileId: number;
    if (existingId !== undefined) {
      this.updFile.run(s.hash, s.size, s.mtimeMs ?? null, n, blob, existingId);
      fileId = existingId;
    } else fileId = Number(this.insFile.run(this.treeId, s.path, s.hash, s.size, s.mtimeMs ?? null, n, blob).lastInsertRowid);
    if (n && s.nums && s.conds) {
      const condIds = s.conds.map((c) => this.conds.id(c));
      const nums = s.nums;
      const args: number[] = new Array(64 * 5);
      const fill = (k: number, at: number) => {
        const o = k * ENTRY_STRIDE;
        args[at] = symIds[k]!;
        args[at + 1] = fileId;
        args[at + 2] = nums[o]!;
        args[at + 3] = packFlags(nums[o + 1]!, nums[o + 2]!, nums[o + 3]!);
        args[at + 4] = condIds[nums[o + 4]!]!;
      };
      let k = 0;
      for (; k + 64 <= n; k += 64) {
        for (let j = 0; j < 64; j++) fill(k + j, j * 5);
        this.insEntries64.run(args);
      }
      for (; k < n; k++) {
        fill(k, 0);
        this.insEntry.run(args.slice(0, 5));
      }
      for (const [idx, ns] of s.namespaces ?? []) this.insNs.run(symIds[idx]!, fileId, nums[idx * ENTRY_STRIDE]!, ns);
      this.entries += n;
    }
    // a file that only #includes other .c files has no entries but its includes count
    for (const inc of s.includes ?? []) this.insInclude.run(fileId, inc.line, inc.path, this.conds.id(inc.cond));
    for (const it of s.makeItems ?? []) this.insMake.run(fileId, it.line, it.stem, it.target, this.conds.id(it.cond), it.module ? 1 : 0);
    for (const k of s.kconfig?.symbols ?? []) {
      const name = `CONFIG_${k.name}`;
      this.insKconfig.run(
        name,
        fileId,
        k.line,
        k.type ?? null,
        k.prompt ?? null,
        JSON.stringify(k.dependsOn),
        JSON.stringify(k.enclosing),
        JSON.stringify(k.selects),
        JSON.stringify(k.implies),
        JSON.stringify(k.defaults),
        k.help ?? null,
        k.menuconfig ? 1 : 0,
        k.inChoice ? 1 : 0,
      );
      for (const sel of k.selects) this.insSelect.run(`CONFIG_${sel.symbol}`, name, fileId, k.line, sel.cond ?? null, 'select');
      for (const imp of k.implies) this.insSelect.run(`CONFIG_${imp.symbol}`, name, fileId, k.line, imp.cond ?? null, 'imply');
    }
    (s.maintainers ?? []).forEach((m, idx) => this.insMaintainer.run(fileId, idx, JSON.stringify(m)));
  }

  /** After a failure: the staged entries go (the temp table would outlive the build in this connection). */
  abort(): void {
    if (this.bulk) this.db.exec('DROP TABLE IF EXISTS temp.stage');
  }

  /** New names into the symbol table; staged entries into place, in key order. */
  finish(): void {
    // the sorter may use a helper thread: the build has both cores
    this.db.pragma('threads = 2');
    this.db.transaction(() => {
      this.syms.flush();
      if (this.bulk) {
        this.db.exec('INSERT OR IGNORE INTO entries(sym, file, line, flags, cond) SELECT sym, file, line, flags, cond FROM temp.stage ORDER BY sym, file, line, flags');
        this.db.exec('DROP TABLE temp.stage');
      }
    })();
  }
}

/** Every row a file owns, by the symbol list it keeps (and the file itself unless keepFile). */
function deleteFileRows(db: DB, fileIds: number[], keepFile = false): void {
  const get = db.prepare('SELECT syms FROM files WHERE id = ?').pluck();
  const delEntry = db.prepare('DELETE FROM entries WHERE sym = ? AND file = ?');
  const queries = [
    'DELETE FROM export_ns WHERE file = ?',
    'DELETE FROM make_items WHERE file = ?',
    'DELETE FROM c_includes WHERE file = ?',
    'DELETE FROM kconfig WHERE file = ?',
    'DELETE FROM kconfig_selects WHERE file = ?',
    'DELETE FROM maintainers WHERE file = ?',
  ];
  if (!keepFile) queries.push('DELETE FROM files WHERE id = ?');
  const others = queries.map((q) => db.prepare(q));
  for (const id of fileIds) {
    const blob = get.get(id) as Buffer | null | undefined;
    if (blob) {
      const syms = new Int32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
      for (const sym of syms) delEntry.run(sym, id);
    }
    for (const st of others) st.run(id);
  }
}

export function deleteTree(db: DB, treeId: number): void {
  db.transaction(() => {
    // whole trees go by set: one pass over each table
    const inTree = 'file IN (SELECT id FROM files WHERE tree_id = ?)';
    for (const t of ['entries', 'export_ns', 'make_items', 'c_includes', 'kconfig', 'kconfig_selects', 'maintainers']) db.prepare(`DELETE FROM ${t} WHERE ${inTree}`).run(treeId);
    db.prepare('DELETE FROM files WHERE tree_id = ?').run(treeId);
    db.prepare('DELETE FROM refs_cache WHERE tree_id = ?').run(treeId);
    db.prepare('DELETE FROM symvers WHERE tree_id = ?').run(treeId);
    db.prepare('DELETE FROM trees WHERE id = ?').run(treeId);
  })();
}

/**
 * Scans files on a pool of `jobs` workers (0: in this thread), a bounded
 * number of batches in flight; onScans gets each batch's scans in this thread
 * as it comes back. A path seen again (git lists an unmerged path once per
 * stage, a tarball may hold an entry twice) is scanned once, the first time.
 * The first failure (a source, a worker, onScans) stops the scan and is thrown
 * once nothing is in flight any more.
 */
async function scanFiles(files: AsyncIterable<SourceFile> | Iterable<SourceFile>, jobs: number, onScans: (scans: FileScan[]) => void): Promise<void> {
  const pool = makePool(jobs);
  const inflight = new Set<Promise<void>>();
  const seen = new Set<string>();
  let failed: { error: unknown } | undefined;
  let batch: WorkItem[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const items = batch;
    batch = [];
    batchBytes = 0;
    // a failure is recorded here rather than left in a rejected promise nobody awaits
    const p: Promise<void> = pool
      .submit(items)
      .then((r) => {
        if (!failed) onScans(r.scans);
      })
      .catch((e: unknown) => {
        failed ??= { error: e };
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    // keep a bounded number of batches in flight: memory stays flat on a big tree
    while (inflight.size >= Math.max(2, jobs * 2)) await Promise.race(inflight);
    if (failed) throw failed.error;
  };
  try {
    for await (const f of files) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      batch.push(f);
      batchBytes += f.size;
      if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) await flush();
    }
    await flush();
    await Promise.all(inflight);
    if (failed) throw failed.error;
  } catch (e) {
    // what is still in flight is dropped, not written
    failed ??= { error: e };
    throw e;
  } finally {
    await Promise.all(inflight);
    await pool.close();
  }
}

/** Scans into the writer, committing every COMMIT_EVERY_FILES files; the number of files. */
async function scanInto(db: DB, writer: Writer, files: AsyncIterable<SourceFile>, jobs: number, onFile: (count: number) => void): Promise<number> {
  let sinceCommit = 0;
  let count = 0;
  db.exec('BEGIN');
  try {
    await scanFiles(files, jobs, (scans) => {
      for (const s of scans) {
        writer.write(s);
        onFile(++count);
        if (++sinceCommit >= COMMIT_EVERY_FILES) {
          db.exec('COMMIT');
          db.exec('BEGIN');
          sinceCommit = 0;
        }
      }
    });
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  return count;
}

/** Build conditions of every source file of a tree, from its Makefiles and .c includes. */
export function resolveTreeConditions(db: DB, treeId: number): number {
  const conds = new CondInterner(db);
  const files = db.prepare('SELECT id, path FROM files WHERE tree_id = ?').all(treeId) as { id: number; path: string }[];
  const paths = new Set(files.map((f) => f.path));
  const idOf = new Map(files.map((f) => [f.path, f.id]));
  const items = db
    .prepare('SELECT f.path AS path, m.line, m.stem, m.target, c.text AS cond, m.module FROM make_items m JOIN files f ON f.id = m.file JOIN conds c ON c.id = m.cond WHERE f.tree_id = ?')
    .all(treeId) as { path: string; line: number; stem: string; target: string; cond: string; module: number }[];
  const byDir = new Map<string, { kbuild?: string; makefile?: string; items: Map<string, MakeItem[]> }>();
  for (const it of items) {
    const dir = it.path.includes('/') ? it.path.slice(0, it.path.lastIndexOf('/')) : '';
    let d = byDir.get(dir);
    if (!d) {
      d = { items: new Map() };
      byDir.set(dir, d);
    }
    if (it.path.endsWith('Kbuild')) d.kbuild = it.path;
    else d.makefile = it.path;
    const list = d.items.get(it.path) ?? [];
    list.push({ stem: it.stem, target: it.target, cond: it.cond, line: it.line, module: it.module === 1 });
    d.items.set(it.path, list);
  }
  const dirs: DirMakefiles[] = [];
  for (const [dir, d] of byDir) {
    const kb = d.kbuild ?? d.makefile!;
    dirs.push({
      dir,
      kbuild: d.items.get(kb) ?? [],
      kbuildPath: kb,
      makefile: d.kbuild && d.makefile ? (d.items.get(d.makefile) ?? []) : [],
      makefilePath: d.kbuild && d.makefile ? d.makefile : undefined,
    });
  }
  const archDirs = [...new Set(files.map((f) => /^arch\/[^/]+/.exec(f.path)?.[0]).filter((x): x is string => !!x))];
  const built: Map<string, BuildCond> = resolveBuildConditions(dirs, (p) => paths.has(p), archDirs);
  // a .c file #included by another takes the includer's condition (mm/percpu.c includes percpu-vm.c)
  const incs = db
    .prepare('SELECT f.path AS path, i.line, i.path AS inc, c.text AS cond FROM c_includes i JOIN files f ON f.id = i.file JOIN conds c ON c.id = i.cond WHERE f.tree_id = ?')
    .all(treeId) as { path: string; line: number; inc: string; cond: string }[];
  for (let round = 0; round < 3; round++) {
    for (const inc of incs) {
      const parent = built.get(inc.path);
      if (!parent) continue;
      const target = posix.normalize(posix.join(dirname(inc.path), inc.inc));
      if (!paths.has(target)) continue;
      const cond = and(parent.cond, inc.cond);
      const prev = built.get(target);
      if (prev?.via.some((v) => v.makefile === inc.path && v.line === inc.line)) continue;
      built.set(target, { cond: prev ? or(prev.cond, cond) : cond, via: [{ makefile: inc.path, line: inc.line }, ...parent.via].slice(0, 4), moduleOnly: parent.moduleOnly });
    }
  }
  const upd = db.prepare('UPDATE files SET build_cond = ?, build_via = ? WHERE id = ?');
  db.transaction(() => {
    db.prepare('UPDATE files SET build_cond = NULL, build_via = NULL WHERE tree_id = ? AND build_cond IS NOT NULL').run(treeId);
    for (const [path, b] of built) {
      const id = idOf.get(path);
      if (id !== undefined) upd.run(conds.id(b.cond), JSON.stringify({ via: b.via, moduleOnly: b.moduleOnly }), id);
    }
  })();
  return built.size;
}

/**
 * MAINTAINERS patterns that name a directory without a trailing `/` get one,
 * as get_maintainer.pl does with `-d`: from the directories the walk saw
 * (any file), else from the indexed files' paths.
 */
export function markMaintainerDirs(db: DB, treeId: number, dirs?: Set<string>): number {
  const rows = db.prepare('SELECT m.rowid AS id, m.section FROM maintainers m JOIN files f ON f.id = m.file WHERE f.tree_id = ?').all(treeId) as { id: number; section: string }[];
  if (!rows.length) return 0;
  const underStmt = db.prepare('SELECT 1 FROM files WHERE tree_id = ? AND path > ? AND path < ? LIMIT 1').pluck();
  const isDir = dirs?.size ? (p: string) => dirs.has(p.replace(/\/$/, '')) : (p: string) => underStmt.get(treeId, `${p}/`, `${p}0`) !== undefined;
  const upd = db.prepare('UPDATE maintainers SET section = ? WHERE rowid = ?');
  let marked = 0;
  db.transaction(() => {
    for (const r of rows) {
      const before = JSON.parse(r.section) as MaintainerSection;
      const after = markDirectories([before], isDir)[0]!;
      const n = after.patterns.filter((p, i) => p.dir !== before.patterns[i]!.dir).length;
      if (n) upd.run(JSON.stringify(after), r.id);
      marked += n;
    }
  })();
  return marked;
}

const PARTIAL_NAME = / \(partial build (\d+)\.[0-9a-f]+\)$/;

/** Trees that builds which died left behind (their process is gone). */
function deadPartialTrees(db: DB): number[] {
  const rows = db.prepare('SELECT id, name FROM trees WHERE kind = ?').all(PARTIAL_KIND) as { id: number; name: string }[];
  return rows.flatMap((r) => {
    const pid = Number(PARTIAL_NAME.exec(r.name)?.[1]);
    if (!pid || pid === process.pid) return [];
    try {
      process.kill(pid, 0);
      return [];
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH' ? [r.id] : [];
    }
  });
}

export async function buildIndex(db: DB, spec: string, opts: BuildOptions = {}): Promise<BuildStats> {
  const t0 = performance.now();
  // stored absolute: refs and update must find the tree from any directory
  const source = resolve(spec);
  const src = await openTree(spec);
  const jobs = opts.jobs ?? Math.min(2, availableParallelism());
  const provisional = opts.name ?? defaultTreeName(src);
  // built under a name and kind of its own: a tree it replaces stays whole (and the default) until this one is done
  const partialName = `${provisional} (partial build ${process.pid}.${randomBytes(4).toString('hex')})`;
  const treeId = Number(
    db
      .prepare("INSERT INTO trees(name, source, kind, version, commit_id, commit_date, subset, built_at) VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))")
      .run(partialName, source, PARTIAL_KIND, src.version ?? null, src.commit ?? null, src.commitDate ?? null, opts.subset ? 1 : 0).lastInsertRowid,
  );
  const writer = new Writer(db, treeId, true);
  let files = 0;
  let lastTick = 0;
  const tick = (phase: Progress['phase']) => {
    const now = performance.now();
    if (phase === 'scan' && now - lastTick < 250) return;
    lastTick = now;
    opts.onProgress?.({ files, entries: writer.entries, elapsedMs: now - t0, phase });
  };
  let name: string;
  let version: string | undefined;
  try {
    files = await scanInto(db, writer, src.files(), jobs, (n) => {
      files = n;
      tick('scan');
    });
    if (files === 0) throw new KtriageError('E_EMPTY', `${spec}: no C, Makefile or Kconfig files found; is this a kernel tree?`);
    tick('index');
    writer.finish();
    tick('conditions');
    resolveTreeConditions(db, treeId);
    markMaintainerDirs(db, treeId, src.dirsSeen?.());
    // a tarball's version is known once its Makefile went by
    version = src.version ?? src.versionSeen?.();
    const final = opts.name ?? (version && provisional !== version ? version : provisional);
    name = final;
    db.transaction(() => {
      // the trees this one replaces: by its name, or by the name it had until its version was known.
      // A rebuild keeps the Module.symvers recorded for the tree (preferring the one of the final name).
      const old = db.prepare('SELECT id FROM trees WHERE name IN (?, ?) AND id != ? ORDER BY name = ? DESC').pluck().all(final, provisional, treeId, final) as number[];
      let kept = false;
      for (const id of old) {
        if (!kept) kept = copySymvers(db, id, treeId) > 0;
        deleteTree(db, id);
      }
      db.prepare('UPDATE trees SET name = ?, kind = ?, version = ?, files = ?, entries = ? WHERE id = ?').run(final, src.kind, version ?? null, files, writer.entries, treeId);
    })();
  } catch (e) {
    // the index is left as it was: no half tree, nothing staged
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
      writer.abort();
      deleteTree(db, treeId);
    } catch {
      // the partial tree stays behind, marked as such; the failure that matters is the first
    }
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${spec}: the index build failed and the index is as it was (${(e as Error).message})`, { cause: e });
  }
  for (const id of deadPartialTrees(db)) deleteTree(db, id);
  tick('done');
  return { tree: name, kind: src.kind, version, files, entries: writer.entries, errors: writer.errors, ms: performance.now() - t0 };
}

export async function updateIndex(db: DB, spec: string, opts: BuildOptions = {}): Promise<BuildStats> {
  const t0 = performance.now();
  const src = await openTree(spec);
  let tree: TreeRow | undefined;
  if (opts.name) tree = db.prepare('SELECT * FROM trees WHERE name = ?').get(opts.name) as TreeRow | undefined;
  tree ??= db.prepare('SELECT * FROM trees WHERE source IN (?, ?) AND kind != ? ORDER BY built_at DESC LIMIT 1').get(resolve(spec), spec, PARTIAL_KIND) as TreeRow | undefined;
  if (!tree) throw new KtriageError('E_NOT_FOUND', `no tree in the index was built from ${spec}${opts.name ? ` or is named "${opts.name}"` : ''} (build it first)`);
  const known = new Map(
    (db.prepare('SELECT id, path, hash, size, mtime_ms FROM files WHERE tree_id = ?').all(tree.id) as { id: number; path: string; hash: string; size: number; mtime_ms: number | null }[]).map((r) => [
      r.path,
      r,
    ]),
  );
  const seen = new Set<string>();
  const candidates: SourceFile[] = [];
  for await (const f of src.files()) {
    // a path listed twice (git: once per stage of an unmerged path) is one file
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    const k = known.get(f.path);
    // size and mtime unchanged: the content is taken as unchanged (as make and git do)
    if (k && f.mtimeMs !== undefined && k.mtime_ms === f.mtimeMs && k.size === f.size) continue;
    candidates.push(f);
  }
  const removedIds = [...known.entries()].filter(([p]) => !seen.has(p)).map(([, r]) => r.id);
  // content hashes decide: a touched but identical file is not re-read into the index
  const scans: FileScan[] = [];
  // starting workers costs more than scanning a few files
  const jobs = candidates.length > 200 ? (opts.jobs ?? Math.min(2, availableParallelism())) : 0;
  await scanFiles(candidates, jobs, (s) => {
    for (const x of s) scans.push(x);
  });
  const changed = scans.filter((s) => known.get(s.path)?.hash !== s.hash);
  const changedIds = changed.map((s) => known.get(s.path)?.id).filter((x): x is number => x !== undefined);
  const hasCIncludes = statement(db, 'SELECT 1 FROM c_includes WHERE file = ? LIMIT 1', true);
  const hadCIncludes = changedIds.some((id) => hasCIncludes.get(id) !== undefined);
  const touchedOnly = scans.filter((s) => known.get(s.path)?.hash === s.hash);
  const writer = new Writer(db, tree.id, false);
  db.transaction(() => {
    const updMtime = db.prepare('UPDATE files SET mtime_ms = ?, size = ? WHERE id = ?');
    for (const s of touchedOnly) updMtime.run(s.mtimeMs ?? null, s.size, known.get(s.path)!.id);
    deleteFileRows(db, changedIds, true);
    deleteFileRows(db, removedIds);
    for (const s of changed) writer.write(s, known.get(s.path)?.id);
    db.prepare('DELETE FROM refs_cache WHERE tree_id = ?').run(tree.id);
  })();
  writer.finish();
  // build conditions only move when a Makefile changes, a file comes or goes, or a .c file's #includes of .c files change
  const structural = removedIds.length > 0 || changed.some((s) => s.kind === 'make' || !known.has(s.path) || (s.includes?.length ?? 0) > 0) || hadCIncludes;
  if (structural) resolveTreeConditions(db, tree.id);
  if (structural || changed.some((s) => s.kind === 'maintainers')) markMaintainerDirs(db, tree.id, src.dirsSeen?.());
  const totals = db.prepare('SELECT count(*) AS files FROM files WHERE tree_id = ?').get(tree.id) as { files: number };
  const entries = db.prepare('SELECT coalesce(sum(entries), 0) FROM files WHERE tree_id = ?').pluck().get(tree.id) as number;
  db.prepare("UPDATE trees SET files = ?, entries = ?, built_at = datetime('now'), commit_id = coalesce(?, commit_id), commit_date = coalesce(?, commit_date) WHERE id = ?").run(
    totals.files,
    entries,
    src.commit ?? null,
    src.commitDate ?? null,
    tree.id,
  );
  return {
    tree: tree.name,
    kind: src.kind,
    version: tree.version ?? undefined,
    files: totals.files,
    entries,
    changed: changed.length,
    removed: removedIds.length,
    errors: writer.errors,
    ms: performance.now() - t0,
  };
}
