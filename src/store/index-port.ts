// The IndexPort over an index database: one tree, prepared statements, small caches.

import type { FileBuild, IndexPort } from '../analyze/index-port.js';
import { KtriageError } from '../core/errors.js';
import type { KconfigRow, SelectorRow, SymbolRow, SymversRow } from '../index/types.js';
import { openIndex, pickTree, statement, type DB } from './index-db.js';
import { kconfigRows, lookupRows, symversRows } from './index-queries.js';

export interface OpenedIndex {
  port: IndexPort;
  path: string;
  close(): void;
}

export function indexPort(db: DB, treeName?: string): IndexPort {
  const tree = pickTree(db, treeName);
  const fileStmt = statement(db, 'SELECT bc.text AS cond, f.build_via AS via FROM files f LEFT JOIN conds bc ON bc.id = f.build_cond WHERE f.tree_id = ? AND f.path = ?');
  const condStmt = statement(db, 'SELECT id FROM conds WHERE text = ?', true);
  // no ORDER BY: it would make SQLite walk the (tree_id, path) index instead of (tree_id, build_cond)
  const builtUnderStmt = statement(db, 'SELECT path FROM files WHERE tree_id = ? AND build_cond = ? LIMIT 64', true);
  const memo = <T>(fn: (k: string) => T) => {
    const m = new Map<string, T>();
    return (k: string) => {
      if (!m.has(k)) m.set(k, fn(k));
      return m.get(k)!;
    };
  };
  const fileBuild = memo((path: string): FileBuild | undefined => {
    const r = fileStmt.get(tree.id, path) as { cond: string | null; via: string | null } | undefined;
    if (!r) return undefined;
    return { cond: r.cond, via: r.via ? (JSON.parse(r.via) as { via: { makefile: string; line: number }[] }).via : [] };
  });
  // definitions and selectors of a Kconfig symbol come from one call: asked for once per name
  const kconfig = memo((n: string) => kconfigRows(db, tree.id, n));
  return {
    tree: { name: tree.name, version: tree.version, kind: tree.kind },
    lookup: memo((s: string): SymbolRow[] => lookupRows(db, tree.id, s)),
    symvers: memo((s: string): SymversRow[] => symversRows(db, tree.id, s)),
    kconfig: (n: string): KconfigRow[] => kconfig(n).defs,
    selectedBy: (n: string): SelectorRow[] => kconfig(n).selectedBy,
    fileBuild,
    exists: (path: string) => fileBuild(path) !== undefined,
    filesBuiltUnder: memo((cond: string): string[] => {
      const id = condStmt.get(cond) as number | undefined;
      return id === undefined ? [] : (builtUnderStmt.all(tree.id, id) as string[]).sort().slice(0, 8);
    }),
  };
}

/** Open an index read-only and pick its tree; errors are one-line KtriageErrors. */
export function openIndexPort(path: string, treeName?: string): OpenedIndex {
  const db = openIndex(path, { readonly: true });
  try {
    return { port: indexPort(db, treeName), path, close: () => db.close() };
  } catch (e) {
    db.close();
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${path}: cannot read the index (${(e as Error).message})`);
  }
}
