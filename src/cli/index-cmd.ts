// ktriage index build|update|lookup|explain|refs|kconfig|symvers|list

import { readFile } from 'node:fs/promises';
import { KtriageError } from '../core/errors.js';
import { buildIndex, updateIndex, type Progress } from '../index/build.js';
import { parseAssignment } from '../index/cond.js';
import { builtWhen, citeMakefile, explainSymbol, isSource, type Explanation } from '../index/explain.js';
import { scanRefs } from '../index/refs.js';
import { parseSymvers } from '../index/scan/symvers.js';
import { listTrees, openIndex, pickTree, treeRoot, type DB } from '../store/index-db.js';
import { scopeIntro, unknownIn } from '../index/scope.js';
import { indexPort, maintainerSections } from '../store/index-port.js';
import { cachedRefs, kconfigRows, replaceSymvers, storeRefs, treeFilePaths, type SymbolRow } from '../store/index-queries.js';
import { oneOf, parse } from './args.js';
import { defaultIndexPath } from './index-choice.js';

const USAGE = `ktriage index build <tree> [--name NAME] [--jobs N] [--subset]
       ktriage index update <tree> [--name NAME]
       ktriage index lookup <symbol> [--arch A] [--tree NAME] [--format text|json]
       ktriage index explain <symbol> --arch A --config 'CONFIG_X=y,CONFIG_Y=n' [--tree NAME] [--format text|json]
       ktriage index refs <symbol> [--tree NAME] [--refresh] [--format text|json]
       ktriage index kconfig <CONFIG_X> [--tree NAME] [--format text|json]
       ktriage index maintainers <path>... [--tree NAME] [--format text|json]
       ktriage index symvers <Module.symvers> --name NAME
       ktriage index list
  every command takes --db PATH (default: $KTRIAGE_INDEX, else $XDG_DATA_HOME/ktriage/index.sqlite);
  build adds a tree to the index (or replaces the one of the same name); --subset marks a tree
  holding only some files of a kernel tree, whose "not found" is then "unknown"`;

const OPTIONS = {
  db: { type: 'string' },
  name: { type: 'string' },
  tree: { type: 'string' },
  arch: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string', short: 'f' },
  jobs: { type: 'string', short: 'j' },
  refresh: { type: 'boolean' },
  subset: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function progressPrinter(enabled: boolean): (p: Progress) => void {
  if (!enabled) return () => undefined;
  return (p) => {
    const line = `${p.phase === 'scan' ? 'scanning' : p.phase === 'index' ? 'sorting the index' : p.phase === 'conditions' ? 'resolving build conditions' : 'done'}: ${p.files.toLocaleString('en')} files, ${p.entries.toLocaleString('en')} entries, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    process.stderr.write(`\r${line.padEnd(78)}${p.phase === 'done' ? '\n' : ''}`);
  };
}

const COMMANDS = ['build', 'update', 'lookup', 'explain', 'refs', 'kconfig', 'symvers', 'list', 'maintainers'];

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new KtriageError('E_USAGE', `expected ${what} (usage: ${USAGE.split('\n')[0]} …)`);
  return positionals[0]!;
}

/** The one positional, a C identifier (a symbol, or a Kconfig name with or without CONFIG_). */
function symbolArg(positionals: string[], what: string): string {
  const s = one(positionals, what);
  if (!/^[A-Za-z_]\w*$/.test(s)) throw new KtriageError('E_USAGE', `${JSON.stringify(s)} is not a symbol name (letters, digits and _, not starting with a digit)`);
  return s;
}

function kindLabel(r: SymbolRow): string {
  switch (r.kind) {
    case 'func':
      return r.storage === 'static-inline' ? 'static inline function' : r.storage === 'static' ? 'static function' : 'function';
    case 'proto':
      return 'prototype';
    case 'decl':
      return 'extern declaration';
    case 'var':
      return r.storage === 'static' ? 'static variable' : 'variable';
    case 'macro':
      return 'macro';
    case 'fmacro':
      return 'function-like macro';
    case 'export':
      return `${r.exportType}${r.namespace ? ` (${r.namespace})` : ''}`;
  }
}

function rowText(r: SymbolRow): string {
  const parts = [`${kindLabel(r).padEnd(22)} ${r.path}:${r.line}`];
  if (r.cond !== '1') parts.push(`    #if ${r.cond}`);
  if (isSource(r.path)) {
    if (r.buildCond === null) parts.push('    built: no Makefile rule the index can read');
    else if (r.buildCond !== '1') parts.push(`    built when ${builtWhen(r)}`);
    else parts.push(`    built always${citeMakefile(r)}`);
  }
  return parts.join('\n');
}

function explanationText(e: Explanation, scope: string): string {
  const yn = (t: string) => (t === 'true' ? 'yes' : t === 'false' ? 'no' : 'unknown');
  const out = [
    `${e.symbol} on ${e.arch ?? 'any arch'} with ${e.config} (${scope})`,
    `  declared:    ${yn(e.declared)}`,
    `  defined:     ${yn(e.defined)}`,
    `  exported:    ${yn(e.exported)}`,
    `  built-in code can use it: ${yn(e.builtinUse.answer)}: ${e.builtinUse.why}`,
    `  a module can use it:      ${yn(e.moduleUse.answer)}: ${e.moduleUse.why}`,
    '',
    'facts:',
  ];
  for (const v of e.rows) {
    out.push(`  ${kindLabel(v.row).padEnd(22)} ${v.row.path}:${v.row.line}: ${v.effective === 'true' ? 'present' : v.effective === 'false' ? 'absent' : 'open'} in this configuration`);
    if (v.row.cond !== '1') out.push(`      #if ${v.row.cond}  -> ${v.pp}`);
    if (isSource(v.row.path)) out.push(v.row.buildCond === null ? `      built: ${v.note}` : `      built when ${builtWhen(v.row)}  -> ${v.built}`);
  }
  if (e.skipped.length) out.push(`  (${e.skipped.length} other rows left out: ${[...new Set(e.skipped.map((s) => s.why))].slice(0, 4).join('; ')})`);
  for (const s of e.symvers) out.push(`  Module.symvers: ${s.exportType} from ${s.module}${s.namespace ? `, namespace ${s.namespace}` : ''}`);
  return out.join('\n') + '\n';
}

export async function runIndex(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = argv;
  // `ktriage index --help` (what the top-level help advertises) asks for help, not for a command named --help
  if (sub === '--help' || sub === '-h') {
    out.write(USAGE + '\n');
    return 0;
  }
  // every argument is checked before the index is opened: a typo is not "no index there"
  if (sub && sub !== 'help' && !COMMANDS.includes(sub)) throw new KtriageError('E_USAGE', `unknown index command "${sub}" (usage: ${USAGE.split('\n')[0]} …)`);
  const { values, positionals } = parse(rest, OPTIONS, USAGE.split('\n')[0]!);
  if (values.help || !sub || sub === 'help') {
    out.write(USAGE + '\n');
    return sub ? 0 : 2;
  }
  const format = oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text');
  const dbPath = (values.db as string | undefined) ?? defaultIndexPath();
  const write = (text: string, json: unknown) => out.write(format === 'json' ? JSON.stringify(json, null, 2) + '\n' : text);

  if (sub === 'build' || sub === 'update') {
    const tree = one(positionals, 'a kernel tree: a directory, a git work tree or a .tar.xz/.tar.gz');
    const jobs = values.jobs !== undefined ? Number(values.jobs) : undefined;
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 0 && jobs <= 64)) throw new KtriageError('E_USAGE', '--jobs takes a whole number from 0 to 64');
    const db = openIndex(dbPath);
    try {
      const opts = { name: values.name as string | undefined, jobs, subset: Boolean(values.subset), onProgress: progressPrinter(Boolean(process.stderr.isTTY) && format === 'text') };
      const s = sub === 'build' ? await buildIndex(db, tree, opts) : await updateIndex(db, tree, opts);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const text =
        sub === 'build'
          ? `indexed ${s.tree} (${s.kind}${s.version ? ', version ' + s.version : ''}): ${s.files.toLocaleString('en')} files, ${s.entries.toLocaleString('en')} entries in ${(s.ms / 1000).toFixed(1)} s -> ${dbPath}\n`
          : `updated ${s.tree}: ${s.changed} changed, ${s.removed} removed, ${s.files.toLocaleString('en')} files, ${s.entries.toLocaleString('en')} entries in ${(s.ms / 1000).toFixed(2)} s\n`;
      write(text + (s.errors.length ? `${s.errors.length} files could not be scanned; first: ${s.errors[0]}\n` : ''), { ...s, db: dbPath });
    } finally {
      db.close();
    }
    return 0;
  }

  if (sub === 'symvers') {
    const file = one(positionals, 'a Module.symvers file');
    const name = values.name as string | undefined;
    if (!name) throw new KtriageError('E_USAGE', 'index symvers needs --name NAME (the tree it belongs to)');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new KtriageError('E_NOT_FOUND', `${file}: cannot read`);
    }
    const rows = parseSymvers(text);
    if (!rows.length) throw new KtriageError('E_NOT_MAIL', `${file}: not a Module.symvers (no "crc<TAB>symbol<TAB>module<TAB>type" lines)`);
    const db = openIndex(dbPath);
    try {
      db.transaction(() => {
        const tree = db.prepare('SELECT id FROM trees WHERE name = ?').pluck().get(name) as number | undefined;
        const id = tree ?? Number(db.prepare("INSERT INTO trees(name, source, kind, built_at) VALUES (?, ?, 'symvers', datetime('now'))").run(name, file).lastInsertRowid);
        replaceSymvers(db, id, rows);
      })();
      write(`${rows.length.toLocaleString('en')} exports from ${file} recorded for ${name}\n`, { tree: name, exports: rows.length });
    } finally {
      db.close();
    }
    return 0;
  }

  // the read commands: arguments first, then the index
  if (sub === 'list') {
    const db = openIndex(dbPath, { readonly: true });
    try {
      const trees = listTrees(db);
      write(
        trees
          .map(
            (t) =>
              `${t.name.padEnd(20)} ${(t.subset ? `${t.kind}/subset` : t.kind).padEnd(14)} ${String(t.files).padStart(7)} files ${String(t.entries).padStart(9)} entries  ${t.built_at}  ${t.source}`,
          )
          .join('\n') + '\n',
        trees,
      );
    } finally {
      db.close();
    }
    return 0;
  }
  if (sub === 'maintainers') {
    if (!positionals.length) throw new KtriageError('E_USAGE', 'index maintainers needs one or more paths of the tree (drivers/net/foo.c)');
    const db = openIndex(dbPath, { readonly: true });
    try {
      const port = indexPort(db, values.tree as string | undefined);
      const found = port.maintainers?.(positionals) ?? [];
      const lines = [
        found.length
          ? `MAINTAINERS sections for ${positionals.join(' ')} in tree ${port.tree.name}, most specific first`
          : `no MAINTAINERS section for ${positionals.join(' ')} in tree ${port.tree.name}${maintainerSections(db, pickTree(db, values.tree as string | undefined).id).length ? '' : ' (the tree has no MAINTAINERS indexed)'}`,
      ];
      for (const m of found) {
        lines.push(`${m.title} (MAINTAINERS:${m.line})${m.status ? ` [${m.status}]` : ''}`);
        for (const p of m.persons) lines.push(`  ${p.role === 'maintainer' ? 'M' : 'R'}: ${p.name ? `${p.name} <${p.email}>` : p.email}`);
        for (const l of m.lists) lines.push(`  L: ${l}`);
        for (const x of m.matched) lines.push(`  matches ${x.path} by ${x.pattern} (depth ${x.depth})`);
      }
      write(lines.join('\n') + '\n', { tree: port.tree.name, paths: positionals, sections: found });
    } finally {
      db.close();
    }
    return 0;
  }
  const symbol = symbolArg(positionals, sub === 'kconfig' ? 'a Kconfig symbol (CONFIG_X)' : 'a symbol');
  let env;
  if (sub === 'explain') {
    if (!values.config) throw new KtriageError('E_USAGE', "index explain needs --config 'CONFIG_X=y,CONFIG_Y=n'");
    try {
      env = parseAssignment(values.config as string);
    } catch (e) {
      throw new KtriageError('E_USAGE', (e as Error).message);
    }
  }
  // refs writes its cache; it must still not create an index that is not there
  const db: DB = sub === 'refs' ? openIndex(dbPath, { mustExist: true }) : openIndex(dbPath, { readonly: true });
  try {
    const treeName = values.tree as string | undefined;
    if (sub === 'lookup') {
      const port = indexPort(db, treeName);
      const tree = port.tree;
      const arch = values.arch as string | undefined;
      const rows = port.lookup(symbol).filter((r) => !arch || !r.arch || r.arch === arch);
      const symvers = port.symvers(symbol);
      if (!rows.length && !symvers.length) {
        write(`${unknownIn(tree, symbol, true)}${arch ? ` (looked for arch ${arch} and tree-wide files)` : ''}\n`, { symbol, tree: tree.name, arch: arch ?? null, rows: [], unknown: true });
        return 0;
      }
      const groups = new Map<string, SymbolRow[]>();
      for (const r of rows) groups.set(r.arch ?? '', [...(groups.get(r.arch ?? '') ?? []), r]);
      const lines = [`${symbol} in ${scopeIntro(tree)}${arch ? ` (arch ${arch} and tree-wide files)` : ''}`];
      for (const [g, rs] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(g ? `arch/${g}:` : 'tree-wide:');
        for (const r of rs) lines.push(rowText(r).replace(/^/gm, '  '));
      }
      for (const s of symvers) lines.push(`Module.symvers: ${s.exportType} from ${s.module}${s.namespace ? `, namespace ${s.namespace}` : ''}`);
      write(lines.join('\n') + '\n', { symbol, tree: tree.name, arch: arch ?? null, rows, symvers });
      return 0;
    }
    if (sub === 'explain') {
      const port = indexPort(db, treeName);
      const e = explainSymbol(symbol, port.lookup(symbol), (values.arch as string | undefined) ?? null, env!, port.exists, port.symvers(symbol), port.tree);
      write(explanationText(e, scopeIntro(port.tree)), { tree: port.tree.name, ...e });
      return 0;
    }
    const tree = pickTree(db, treeName);
    if (sub === 'refs') {
      let hits = values.refresh ? undefined : cachedRefs(db, tree.id, symbol);
      const cached = hits !== undefined;
      if (!hits) {
        hits = await scanRefs(treeRoot(tree, dbPath), tree.kind, treeFilePaths(db, tree.id), symbol);
        storeRefs(db, tree.id, symbol, hits);
      }
      write(`${symbol}: ${hits.length} files in tree ${tree.name}${cached ? ' (cached)' : ''}\n${hits.map((h) => `  ${h.path}:${h.line}\n`).join('')}`, {
        symbol,
        tree: tree.name,
        cached,
        files: hits,
      });
      return 0;
    }
    // kconfig
    const { defs, selectedBy } = kconfigRows(db, tree.id, symbol);
    const full = symbol.startsWith('CONFIG_') ? symbol : `CONFIG_${symbol}`;
    if (!defs.length && !selectedBy.length) {
      const scope = indexPort(db, tree.name).tree;
      write(`${unknownIn(scope, full, true)}\n`, { symbol: full, tree: tree.name, definitions: [], selectedBy: [], unknown: true });
      return 0;
    }
    const lines = [`${full} in tree ${tree.name}`];
    for (const d of defs) {
      lines.push(`${d.path}:${d.line}: ${d.type ?? 'untyped'}${d.prompt ? ` "${d.prompt}"` : ' (no prompt: set only by defaults and selects)'}`);
      for (const dep of d.dependsOn) lines.push(`  depends on ${dep}`);
      for (const enc of d.enclosing) lines.push(`  inside if/menu: ${enc}`);
      for (const s of d.selects) lines.push(`  select ${s.symbol}${s.cond ? ` if ${s.cond}` : ''}`);
      for (const s of d.implies) lines.push(`  imply ${s.symbol}${s.cond ? ` if ${s.cond}` : ''}`);
      for (const df of d.defaults) lines.push(`  default ${df.value}${df.cond ? ` if ${df.cond}` : ''}`);
      if (d.help) lines.push(`  help: ${d.help.split('\n')[0]}${d.help.includes('\n') ? ' …' : ''}`);
    }
    if (selectedBy.length) {
      lines.push('selected or implied by:');
      for (const s of selectedBy) lines.push(`  ${s.kind} by ${s.by}${s.cond ? ` if ${s.cond}` : ''} (${s.path}:${s.line})`);
    }
    write(lines.join('\n') + '\n', { symbol: full, tree: tree.name, definitions: defs, selectedBy });
    return 0;
  } finally {
    db.close();
  }
}
