// The IndexPort over an index database: one tree, prepared statements, small
// caches. An opened index holds several trees; portFor picks the one that
// answers for a thread (src/index/tree-choice.ts) and says why.

import type { FileBuild, IndexPort, PortTree } from '../analyze/index-port.js';
import { KtriageError } from '../core/errors.js';
import { matchMaintainers, matchMaintainersForPatch, sectionsThatMayMatch, type MaintainerMatch, type MaintainerSection } from '../index/maintainers.js';
import { fileKind } from '../index/scan/file.js';
import type { SubsetCover } from '../index/scope.js';
import { gitHasCommit } from '../index/git-commit.js';
import { chooseTree, treeDate, type TreeCandidate, type TreeHints } from '../index/tree-choice.js';
import type { KconfigRow, SelectorRow, SymbolRow, SymversRow } from '../index/types.js';
import { answeringTrees, hasTable, openIndex, pickTree, statement, treeRoot, type DB, type TreeRow } from './index-db.js';
import { kconfigRows, lookupRows, symversRows } from './index-queries.js';

export interface OpenedIndex {
  /** the port of the tree --tree names, else of the newest tree */
  port: IndexPort;
  /** the port of the tree that answers for a thread, with why it was chosen */
  portFor(hints: TreeHints): IndexPort;
  /** the trees that can answer */
  trees: TreeCandidate[];
  path: string;
  close(): void;
}

export function candidateOf(t: TreeRow): TreeCandidate {
  return { name: t.name, version: t.version, kind: t.kind, commit: t.commit_id, commitDate: t.commit_date ?? null, subset: Boolean(t.subset) };
}

/** Every MAINTAINERS section of a tree, in the file's order (none for a tree without the file, or an index older than schema 3). */
export function maintainerSections(db: DB, treeId: number): MaintainerSection[] {
  if (!hasTable(db, 'maintainers')) return [];
  const rows = statement(db, 'SELECT m.section FROM maintainers m JOIN files f ON f.id = m.file WHERE f.tree_id = ? ORDER BY m.idx', true).all(treeId) as string[];
  return rows.map((r) => JSON.parse(r) as MaintainerSection);
}

/** What a subset tree holds, by kind of file: its statements say so. */
export function subsetCover(db: DB, tree: TreeRow): SubsetCover {
  const paths = statement(db, 'SELECT path FROM files WHERE tree_id = ?', true).all(tree.id) as string[];
  const kinds = paths.map(fileKind);
  return { files: tree.files, kconfig: kinds.filter((k) => k === 'kconfig').length, maintainers: kinds.includes('maintainers') };
}

/** answers kept per question kind and port: a busy thread asks a few hundred */
const PORT_MEMO_ENTRIES = 4096;

export function indexPort(db: DB, treeName?: string): IndexPort {
  const tree = pickTree(db, treeName);
  const fileStmt = statement(db, 'SELECT bc.text AS cond, f.build_via AS via FROM files f LEFT JOIN conds bc ON bc.id = f.build_cond WHERE f.tree_id = ? AND f.path = ?');
  const condStmt = statement(db, 'SELECT id FROM conds WHERE text = ?', true);
  // no ORDER BY: it would make SQLite walk the (tree_id, path) index instead of (tree_id, build_cond)
  const builtUnderStmt = statement(db, 'SELECT path FROM files WHERE tree_id = ? AND build_cond = ? LIMIT 64', true);
  // bounded, least recently used dropped: a daemon asks one port about every thread it ever sees
  const memo = <T>(fn: (k: string) => T) => {
    const m = new Map<string, T>();
    return (k: string) => {
      if (m.has(k)) {
        const v = m.get(k)!;
        m.delete(k);
        m.set(k, v);
        return v;
      }
      const v = fn(k);
      m.set(k, v);
      if (m.size > PORT_MEMO_ENTRIES) m.delete(m.keys().next().value!);
      return v;
    };
  };
  let sections: MaintainerSection[] | undefined;
  // every message of a thread asks about the same files: one walk of MAINTAINERS per set of paths
  const maintainersOf = memo((joined: string): MaintainerMatch[] => {
    const paths = joined.split('\n');
    return matchMaintainers(sectionsThatMayMatch((sections ??= maintainerSections(db, tree.id)), paths), paths);
  });
  const fileBuild = memo((path: string): FileBuild | undefined => {
    const r = fileStmt.get(tree.id, path) as { cond: string | null; via: string | null } | undefined;
    if (!r) return undefined;
    return { cond: r.cond, via: r.via ? (JSON.parse(r.via) as { via: { makefile: string; line: number }[] }).via : [] };
  });
  // definitions and selectors of a Kconfig symbol come from one call: asked for once per name
  const kconfig = memo((n: string) => kconfigRows(db, tree.id, n));
  const info: PortTree = { name: tree.name, version: tree.version, kind: tree.kind, subset: tree.subset ? subsetCover(db, tree) : null, released: treeDate(candidateOf(tree))?.date };
  return {
    tree: info,
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
    maintainers: (paths: string[]) => maintainersOf(paths.join('\n')),
    maintainersForPatch: (paths: string[], patchText: string) => matchMaintainersForPatch((sections ??= maintainerSections(db, tree.id)), paths, patchText),
    maintainerSection: (title: string) => (sections ??= maintainerSections(db, tree.id)).find((x) => x.title.toLowerCase() === title.trim().toLowerCase()),
  };
}

/** The same port, telling which thread it answers for and why this tree. */
function chosen(port: IndexPort, because: string, threadDate?: string): IndexPort {
  return { ...port, tree: { ...port.tree, chosenBecause: because, threadDate } };
}

/** Open an index read-only; a port per tree, opened on first use. Errors are one-line KtriageErrors. */
export function openIndexPort(path: string, treeName?: string): OpenedIndex {
  const db = openIndex(path, { readonly: true });
  try {
    const rows = answeringTrees(db);
    const trees = rows.map(candidateOf);
    const ports = new Map<string, IndexPort>();
    const portOf = (name: string) => {
      if (!ports.has(name)) ports.set(name, indexPort(db, name));
      return ports.get(name)!;
    };
    const port = portOf(pickTree(db, treeName).name);
    const commits = new Map<string, boolean>();
    const hasCommit = (t: TreeCandidate, sha: string) => {
      const key = `${t.name}\0${sha}`;
      if (!commits.has(key)) {
        const row = rows.find((r) => r.name === t.name);
        commits.set(key, !!row && gitHasCommit(treeRoot(row, path), sha));
      }
      return commits.get(key)!;
    };
    return {
      port: treeName ? chosen(port, 'named with --tree') : port,
      trees,
      path,
      portFor(hints: TreeHints): IndexPort {
        const c = chooseTree(trees, hints, { named: treeName, hasCommit, holds: (t, p) => portOf(t.name).exists(p) });
        return c ? chosen(portOf(c.name), c.because, c.threadDate) : port;
      },
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    if (e instanceof KtriageError) throw e;
    throw new KtriageError('E_IO', `${path}: cannot read the index (${(e as Error).message})`);
  }
}
