// Reading the index: the rows behind lookup, explain, refs and kconfig; and the
// small writes next to them (the refs cache, Module.symvers). Statements are
// prepared once per connection.

import type { SymversEntry } from '../index/scan/symvers.js';
import { archOfPath, EXPORT_TYPES, KIND_NAMES, STORAGE_NAMES, type KconfigRow, type SelectorRow, type SymbolRow, type SymversRow } from '../index/types.js';
import { statement, SymInterner, symId, unpackFlags, type DB } from './index-db.js';

export type { KconfigRow, SelectorRow, SymbolRow, SymversRow } from '../index/types.js';
export { archOfPath } from '../index/types.js';

const LOOKUP = `SELECT e.flags, e.line, f.path, c.text AS cond, bc.text AS build_cond, f.build_via, n.ns
  FROM entries e JOIN files f ON f.id = e.file JOIN conds c ON c.id = e.cond
  LEFT JOIN conds bc ON bc.id = f.build_cond
  LEFT JOIN export_ns n ON n.sym = e.sym AND n.file = e.file AND n.line = e.line
  WHERE e.sym = ? AND f.tree_id = ?
  ORDER BY f.path, e.line`;
const KCONFIG_DEFS = 'SELECT k.*, f.path FROM kconfig k JOIN files f ON f.id = k.file WHERE k.name = ? AND f.tree_id = ? ORDER BY f.path, k.line';
const KCONFIG_SELECTORS = 'SELECT s.by_name AS "by", s.kind, s.cond, f.path, s.line FROM kconfig_selects s JOIN files f ON f.id = s.file WHERE s.target = ? AND f.tree_id = ? ORDER BY f.path, s.line';
const SYMVERS = 'SELECT crc, module, export_type AS exportType, ns AS namespace FROM symvers WHERE tree_id = ? AND sym = ?';
const INSERT_SYMVERS = 'INSERT INTO symvers(tree_id, sym, crc, module, export_type, ns) VALUES (?, ?, ?, ?, ?, ?)';

export function lookupRows(db: DB, treeId: number, name: string): SymbolRow[] {
  const id = symId(db, name);
  if (id === undefined) return [];
  const rows = statement(db, LOOKUP).all(id, treeId) as { flags: number; line: number; path: string; cond: string; build_cond: string | null; build_via: string | null; ns: string | null }[];
  return rows.map((r) => {
    const f = unpackFlags(r.flags);
    const via = r.build_via ? (JSON.parse(r.build_via) as { via: { makefile: string; line: number }[]; moduleOnly: boolean }) : undefined;
    return {
      name,
      kind: KIND_NAMES[f.kind] ?? 'func',
      storage: f.storage ? STORAGE_NAMES[f.storage] : undefined,
      exportType: f.exportType ? EXPORT_TYPES[f.exportType] : undefined,
      namespace: r.ns ?? undefined,
      path: r.path,
      line: r.line,
      cond: r.cond,
      buildCond: r.build_cond,
      buildVia: via?.via ?? [],
      moduleOnly: via?.moduleOnly ?? false,
      arch: archOfPath(r.path),
    };
  });
}

export function kconfigRows(db: DB, treeId: number, name: string): { defs: KconfigRow[]; selectedBy: SelectorRow[] } {
  const full = name.startsWith('CONFIG_') ? name : `CONFIG_${name}`;
  const defs = (
    statement(db, KCONFIG_DEFS).all(full, treeId) as {
      name: string;
      path: string;
      line: number;
      type: string | null;
      prompt: string | null;
      depends: string;
      enclosing: string;
      selects: string;
      implies: string;
      defaults: string;
      help: string | null;
    }[]
  ).map((r) => ({
    name: r.name,
    path: r.path,
    line: r.line,
    type: r.type,
    prompt: r.prompt,
    dependsOn: JSON.parse(r.depends) as string[],
    enclosing: JSON.parse(r.enclosing) as string[],
    selects: JSON.parse(r.selects) as { symbol: string; cond?: string }[],
    implies: JSON.parse(r.implies) as { symbol: string; cond?: string }[],
    defaults: JSON.parse(r.defaults) as { value: string; cond?: string }[],
    help: r.help,
    arch: archOfPath(r.path),
  }));
  const selectedBy = statement(db, KCONFIG_SELECTORS).all(full, treeId) as SelectorRow[];
  return { defs, selectedBy };
}

export function treeFilePaths(db: DB, treeId: number): string[] {
  return statement(db, 'SELECT path FROM files WHERE tree_id = ? ORDER BY path', true).all(treeId) as string[];
}

export function cachedRefs(db: DB, treeId: number, name: string): { path: string; line: number }[] | undefined {
  const id = symId(db, name);
  if (id === undefined) return undefined;
  const r = statement(db, 'SELECT files FROM refs_cache WHERE tree_id = ? AND sym = ?', true).get(treeId, id) as string | undefined;
  return r ? (JSON.parse(r) as { path: string; line: number }[]) : undefined;
}

export function storeRefs(db: DB, treeId: number, name: string, refs: { path: string; line: number }[]): void {
  db.transaction(() => {
    const syms = new SymInterner(db);
    const id = syms.id(name);
    syms.flush();
    statement(db, "INSERT OR REPLACE INTO refs_cache(tree_id, sym, files, built_at) VALUES (?, ?, ?, datetime('now'))").run(treeId, id, JSON.stringify(refs));
  })();
}

export function symversRows(db: DB, treeId: number, name: string): SymversRow[] {
  const id = symId(db, name);
  if (id === undefined) return [];
  return statement(db, SYMVERS).all(treeId, id) as SymversRow[];
}

/** A tree's Module.symvers exports, replacing those it had. */
export function replaceSymvers(db: DB, treeId: number, entries: SymversEntry[]): void {
  db.transaction(() => {
    const syms = new SymInterner(db);
    const ins = statement(db, INSERT_SYMVERS);
    statement(db, 'DELETE FROM symvers WHERE tree_id = ?').run(treeId);
    for (const r of entries) ins.run(treeId, syms.id(r.symbol), r.crc, r.module, r.exportType, r.namespace);
    syms.flush();
  })();
}

/** Module.symvers exports of one tree copied to another (a rebuild keeps them); the number copied. */
export function copySymvers(db: DB, fromTreeId: number, toTreeId: number): number {
  return statement(db, 'INSERT INTO symvers(tree_id, sym, crc, module, export_type, ns) SELECT ?, sym, crc, module, export_type, ns FROM symvers WHERE tree_id = ?').run(toTreeId, fromTreeId).changes;
}
