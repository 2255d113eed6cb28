// The kernel symbol index in SQLite (better-sqlite3, WAL). One file holds
// several named trees. Symbol names and condition texts are interned; entries
// are clustered by symbol, and each file keeps the list of symbols it
// contributed so an update can delete its entries by key (see the schema).

import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { KtriageError } from '../core/errors.js';

export type DB = Database.Database;

export const SCHEMA_VERSION = 3;
/** the oldest schema a read-only open still understands: later migrations only add indexes, columns and tables a reader does without */
export const MIN_READ_VERSION = 1;

// Storage is shaped by the kernel's size: ~3.4M distinct names (mostly register
// macros of generated GPU headers) and ~6M entries. Names are stored once
// (WITHOUT ROWID, keyed by name); entries are clustered by symbol so a lookup
// reads one B-tree range and needs no second index; each file keeps the list
// of symbols it contributed, so an update can delete its entries by key.
const MIGRATIONS: string[] = [
  // 1: the whole index
  `
  CREATE TABLE trees(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, source TEXT NOT NULL, kind TEXT NOT NULL,
    version TEXT, commit_id TEXT, built_at TEXT NOT NULL, files INTEGER NOT NULL DEFAULT 0, entries INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE files(
    id INTEGER PRIMARY KEY, tree_id INTEGER NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ms INTEGER, entries INTEGER NOT NULL DEFAULT 0, syms BLOB, build_cond INTEGER, build_via TEXT,
    UNIQUE(tree_id, path));
  CREATE TABLE syms(name TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE conds(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
  -- flags: kind (bits 0-3), storage (4-6), export type (7-10)
  CREATE TABLE entries(sym INTEGER NOT NULL, file INTEGER NOT NULL, line INTEGER NOT NULL, flags INTEGER NOT NULL,
    cond INTEGER NOT NULL, PRIMARY KEY(sym, file, line, flags)) WITHOUT ROWID;
  CREATE TABLE export_ns(sym INTEGER NOT NULL, file INTEGER NOT NULL, line INTEGER NOT NULL, ns TEXT NOT NULL);
  CREATE INDEX export_ns_sym ON export_ns(sym);
  CREATE TABLE make_items(file INTEGER NOT NULL, line INTEGER NOT NULL, stem TEXT NOT NULL, target TEXT NOT NULL,
    cond INTEGER NOT NULL, module INTEGER NOT NULL);
  CREATE INDEX make_items_file ON make_items(file);
  CREATE TABLE c_includes(file INTEGER NOT NULL, line INTEGER NOT NULL, path TEXT NOT NULL, cond INTEGER NOT NULL);
  CREATE INDEX c_includes_file ON c_includes(file);
  CREATE TABLE kconfig(name TEXT NOT NULL, file INTEGER NOT NULL, line INTEGER NOT NULL, type TEXT, prompt TEXT,
    depends TEXT NOT NULL, enclosing TEXT NOT NULL, selects TEXT NOT NULL, implies TEXT NOT NULL, defaults TEXT NOT NULL,
    help TEXT, menuconfig INTEGER NOT NULL, in_choice INTEGER NOT NULL);
  CREATE INDEX kconfig_name ON kconfig(name);
  CREATE INDEX kconfig_file ON kconfig(file);
  CREATE TABLE kconfig_selects(target TEXT NOT NULL, by_name TEXT NOT NULL, file INTEGER NOT NULL, line INTEGER NOT NULL,
    cond TEXT, kind TEXT NOT NULL);
  CREATE INDEX kconfig_selects_target ON kconfig_selects(target);
  CREATE INDEX kconfig_selects_file ON kconfig_selects(file);
  CREATE TABLE refs_cache(tree_id INTEGER NOT NULL, sym INTEGER NOT NULL, files TEXT NOT NULL, built_at TEXT NOT NULL,
    PRIMARY KEY(tree_id, sym));
  CREATE TABLE symvers(tree_id INTEGER NOT NULL, sym INTEGER NOT NULL, crc TEXT, module TEXT NOT NULL, export_type TEXT NOT NULL, ns TEXT);
  CREATE INDEX symvers_sym ON symvers(sym);
  `,
  // 2: files by build condition (the other arm of an implementation switch)
  `
  CREATE INDEX files_build_cond ON files(tree_id, build_cond);
  `,
  // 3: what a tree covers (a subset of a tree's files), a git tree's commit date, MAINTAINERS sections
  `
  ALTER TABLE trees ADD COLUMN subset INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE trees ADD COLUMN commit_date TEXT;
  CREATE TABLE maintainers(file INTEGER NOT NULL, idx INTEGER NOT NULL, section TEXT NOT NULL);
  CREATE INDEX maintainers_file ON maintainers(file);
  `,
];

export function packFlags(kind: number, storage: number, exportType: number): number {
  return kind | (storage << 4) | (exportType << 7);
}

export function unpackFlags(flags: number): { kind: number; storage: number; exportType: number } {
  return { kind: flags & 15, storage: (flags >> 4) & 7, exportType: (flags >> 7) & 15 };
}

/** readonly: for reading only (the file must exist); mustExist: writable, but never created */
export function openIndex(path: string, opts: { readonly?: boolean; mustExist?: boolean } = {}): DB {
  const mustExist = Boolean(opts.readonly || opts.mustExist);
  if (!mustExist) mkdirSync(dirname(path), { recursive: true });
  let db: DB;
  try {
    db = new Database(path, { readonly: Boolean(opts.readonly), fileMustExist: mustExist });
  } catch (e) {
    const msg = (e as Error).message;
    if (mustExist && /does not exist|unable to open/i.test(msg)) {
      throw new KtriageError('E_NOT_FOUND', `${path}: no index there (build one with "ktriage index build <tree>")`);
    }
    throw new KtriageError('E_IO', `${path}: cannot open the index (${msg})`);
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    // building writes the whole tree: a big page cache; a reader (a judgement, the daemon's
    // workers for their whole life) asks for a few rows per symbol, and the OS caches the file
    db.pragma(opts.readonly ? 'cache_size = -8192' : 'cache_size = -65536');
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v > SCHEMA_VERSION) throw new KtriageError('E_IO', `${path}: index schema ${v} is newer than this ktriage (${SCHEMA_VERSION})`);
    if (v < SCHEMA_VERSION) {
      if (opts.readonly) {
        if (v < MIN_READ_VERSION) throw new KtriageError('E_IO', `${path}: index schema ${v} is too old to read; rebuild it with "ktriage index build"`);
        return db;
      }
      for (let k = v; k < SCHEMA_VERSION; k++) {
        db.exec('BEGIN');
        db.exec(MIGRATIONS[k]!);
        db.pragma(`user_version = ${k + 1}`);
        db.exec('COMMIT');
      }
    }
  } catch (e) {
    db.close();
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${path}: not a ktriage index (${(e as Error).message})`);
  }
  return db;
}

export interface TreeRow {
  id: number;
  name: string;
  source: string;
  kind: string;
  version: string | null;
  commit_id: string | null;
  built_at: string;
  files: number;
  entries: number;
  /** 1: only some files of the tree were indexed (schema 3; absent in older indexes) */
  subset?: number;
  commit_date?: string | null;
}

/** The kind of a tree while it is built (and of one a build left behind when it died): never a default. */
export const PARTIAL_KIND = 'partial';

/** Does the index have this table (an index of an older schema, opened read-only, may not)? */
export function hasTable(db: DB, name: string): boolean {
  return statement(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", true).get(name) !== undefined;
}

/** Trees that can answer a lookup: not a Module.symvers alone, not a build under way. */
export function answeringTrees(db: DB): TreeRow[] {
  return listTrees(db).filter((t) => t.kind !== 'symvers' && t.kind !== PARTIAL_KIND);
}

export function listTrees(db: DB): TreeRow[] {
  return statement(db, 'SELECT * FROM trees ORDER BY built_at DESC, id DESC').all() as TreeRow[];
}

/** The tree by name, or the newest one. */
export function pickTree(db: DB, name?: string): TreeRow {
  const trees = listTrees(db);
  // a name that only holds a Module.symvers is not a tree to default to, nor is a build under way
  const real = trees.filter((t) => t.kind !== 'symvers' && t.kind !== PARTIAL_KIND);
  if (!real.length && !name) throw new KtriageError('E_NOT_FOUND', 'the index holds no tree yet (ktriage index build <tree>)');
  if (!name) return real[0]!;
  const t = trees.find((x) => x.name === name);
  if (!t) throw new KtriageError('E_NOT_FOUND', `no tree named "${name}" in the index (have: ${trees.map((x) => x.name).join(', ')})`);
  return t;
}

/** Condition texts, interned with a cache in front of the table. */
export class CondInterner {
  private readonly cache = new Map<string, number>();
  private readonly find: Database.Statement;
  private readonly insert: Database.Statement;
  constructor(db: DB) {
    this.find = db.prepare('SELECT id FROM conds WHERE text = ?').pluck();
    this.insert = db.prepare('INSERT INTO conds(text) VALUES (?)');
  }
  id(text: string): number {
    let id = this.cache.get(text);
    if (id !== undefined) return id;
    id = (this.find.get(text) as number | undefined) ?? Number(this.insert.run(text).lastInsertRowid);
    this.cache.set(text, id);
    return id;
  }
}

/**
 * Symbol ids. New names get ids in memory and are written in name order at
 * the end (sequential B-tree inserts keep the table compact).
 */
export class SymInterner {
  private readonly cache = new Map<string, number>();
  private readonly fresh: string[] = [];
  /** the next free id, read when a new name first needs one (max(id) reads the whole table) */
  private next: number | undefined;
  private readonly find: Database.Statement;
  constructor(private readonly db: DB) {
    this.find = statement(db, 'SELECT id FROM syms WHERE name = ?', true);
  }
  id(name: string): number {
    let id = this.cache.get(name);
    if (id !== undefined) return id;
    id = this.find.get(name) as number | undefined;
    if (id === undefined) {
      this.next ??= ((statement(this.db, 'SELECT max(id) FROM syms', true).get() as number | null) ?? 0) + 1;
      id = this.next++;
      this.fresh.push(name);
    }
    this.cache.set(name, id);
    return id;
  }
  /** Write the new names; call inside a transaction. */
  flush(): number {
    const names = this.fresh.splice(0).sort();
    const one = this.db.prepare('INSERT INTO syms(name, id) VALUES (?, ?)');
    const many = this.db.prepare(`INSERT INTO syms(name, id) VALUES ${Array.from({ length: 128 }, () => '(?, ?)').join(', ')}`);
    const args: (string | number)[] = new Array(256);
    let k = 0;
    for (; k + 128 <= names.length; k += 128) {
      for (let j = 0; j < 128; j++) {
        args[2 * j] = names[k + j]!;
        args[2 * j + 1] = this.cache.get(names[k + j]!)!;
      }
      many.run(args);
    }
    for (; k < names.length; k++) one.run(names[k], this.cache.get(names[k]!)!);
    return names.length;
  }
}

export function symId(db: DB, name: string): number | undefined {
  return statement(db, 'SELECT id FROM syms WHERE name = ?', true).get(name) as number | undefined;
}

const statements = new WeakMap<DB, Map<string, Database.Statement>>();

/** A statement prepared once per connection (pluck: the first column only). */
export function statement(db: DB, sql: string, pluck = false): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  const key = pluck ? `pluck:${sql}` : sql;
  let st = m.get(key);
  if (!st) {
    st = db.prepare(sql);
    if (pluck) st.pluck();
    m.set(key, st);
  }
  return st;
}

/**
 * Where a tree's files are: its recorded source as is, or, for a relative one
 * (the bundled index stores its subset relative to itself), next to the index.
 */
export function treeRoot(tree: TreeRow, dbPath: string): string {
  if (isAbsolute(tree.source) || existsSync(tree.source)) return tree.source;
  const near = resolvePath(dirname(dbPath), tree.source);
  return existsSync(near) ? near : tree.source;
}
