// ktriage index build|update|lookup|explain|refs|kconfig|symvers|list

import { readFile } from 'node:fs/promises';
import { KtriageError } from '../core/errors.js';
import { buildIndex, updateIndex, type Progress } from '../index/build.js';
import { parseAssignment } from '../index/cond.js';
import { explainSymbol, type Explanation } from '../index/explain.js';
import { scanRefs } from '../index/refs.js';
import { parseSymvers } from '../index/scan/symvers.js';
import { listTrees, openIndex, pickTree, treeRoot, type DB } from '../store/index-db.js';
import { cachedRefs, kconfigRows, lookupRows, storeRefs, symversRows, treeFilePaths, type SymbolRow } from '../store/index-queries.js';
import { oneOf, parse } from './args.js';
import { defaultIndexPath } from './index-choice.js';

const USAGE = `ktriage index build <tree> [--name NAME] [--jobs N]
       ktriage index update <tree> [--name NAME]
       ktriage index lookup <symbol> [--arch A] [--tree NAME] [--format text|json]
       ktriage index explain <symbol> --arch A --config 'CONFIG_X=y,CONFIG_Y=n' [--tree NAME] [--format text|json]
       ktriage index refs <symbol> [--tree NAME] [--refresh] [--format text|json]
       ktriage index kconfig <CONFIG_X> [--tree NAME] [--format text|json]
       ktriage index symvers <Module.symvers> --name NAME
       ktriage index list
  every command takes --db PATH (default: $KTRIAGE_INDEX, else $XDG_DATA_HOME/ktriage/index.sqlite)`;

const OPTIONS = {
  db: { type: 'string' },
  name: { type: 'string' },
  tree: { type: 'string' },
  arch: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string', short: 'f' },
  jobs: { type: 'string', short: 'j' },
  refresh: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function progressPrinter(enabled: boolean): (p: Progress) => void {
  if (!enabled) return () => undefined;
  return (p) => {
    const line = `${p.phase === 'scan' ? 'scanning' : p.phase === 'index' ? 'sorting the index' : p.phase === 'conditions' ? 'resolving build conditions' : 'done'}: ${p.files.toLocaleString('en')} files, ${p.entries.toLocaleString('en')} entries, ${(p.elapsedMs / 1000).toFixed(1)} s`;
    process.stderr.write(`\r${line.padEnd(78)}${p.phase === 'done' ? '\n' : ''}`);
  };
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new KtriageError('E_USAGE', `expected ${what} (usage: ${USAGE.split('\n')[0]} …)`);
  return positionals[0]!;
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
  if (/\.(c|S)$/.test(r.path)) {
    if (r.buildCond === null) parts.push('    built: no Makefile rule the index can read');
    else if (r.buildCond !== '1') parts.push(`    built when ${r.buildCond}${r.buildVia[0] ? ` (${r.buildVia[0].makefile}:${r.buildVia[0].line})` : ''}`);
    else parts.push(`    built always${r.buildVia[0] ? ` (${r.buildVia[0].makefile}:${r.buildVia[0].line})` : ''}`);
  }
  return parts.join('\n');
}

function explanationText(e: Explanation, tree: string): string {
  const yn = (t: string) => (t === 'true' ? 'yes' : t === 'false' ? 'no' : 'unknown');
  const out = [
    `${e.symbol} on ${e.arch ?? 'any arch'} with ${e.config} (tree ${tree})`,
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
    if (/\.(c|S)$/.test(v.row.path)) {
      out.push(
        v.row.buildCond === null
          ? `      built: ${v.note}`
          : `      built when ${v.row.buildCond}${v.row.buildVia[0] ? ` (${v.row.buildVia[0].makefile}:${v.row.buildVia[0].line})` : ''}  -> ${v.built}`,
      );
    }
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
      const opts = { name: values.name as string | undefined, jobs, onProgress: progressPrinter(Boolean(process.stderr.isTTY) && format === 'text') };
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
    if (!values.name) throw new KtriageError('E_USAGE', 'index symvers needs --name NAME (the tree it belongs to)');
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
      let tree = db.prepare('SELECT id FROM trees WHERE name = ?').get(values.name) as { id: number } | undefined;
      if (!tree) tree = { id: Number(db.prepare("INSERT INTO trees(name, source, kind, built_at) VALUES (?, ?, 'symvers', datetime('now'))").run(values.name, file).lastInsertRowid) };
      const ins = db.prepare('INSERT INTO symvers(tree_id, sym, crc, module, export_type, ns) VALUES (?, ?, ?, ?, ?, ?)');
      const symIdOf = db.prepare('SELECT id FROM syms WHERE name = ?').pluck();
      const addSym = db.prepare('INSERT INTO syms(name, id) VALUES (?, ?)');
      let next = ((db.prepare('SELECT max(id) FROM syms').pluck().get() as number | null) ?? 0) + 1;
      db.transaction(() => {
        db.prepare('DELETE FROM symvers WHERE tree_id = ?').run(tree!.id);
        for (const r of rows) {
          let id = symIdOf.get(r.symbol) as number | undefined;
          if (id === undefined) addSym.run(r.symbol, (id = next++));
          ins.run(tree!.id, id, r.crc, r.module, r.exportType, r.namespace);
        }
      })();
      write(`${rows.length.toLocaleString('en')} exports from ${file} recorded for ${values.name}\n`, { tree: values.name, exports: rows.length });
    } finally {
      db.close();
    }
    return 0;
  }

  const db: DB = openIndex(dbPath, { readonly: sub !== 'refs' });
  try {
    if (sub === 'list') {
      const trees = listTrees(db);
      write(trees.map((t) => `${t.name.padEnd(20)} ${t.kind.padEnd(8)} ${String(t.files).padStart(7)} files ${String(t.entries).padStart(9)} entries  ${t.built_at}  ${t.source}`).join('\n') + '\n', trees);
      return 0;
    }
    const tree = pickTree(db, values.tree as string | undefined);
    if (sub === 'lookup') {
      const symbol = one(positionals, 'a symbol');
      const arch = values.arch as string | undefined;
      const rows = lookupRows(db, tree.id, symbol).filter((r) => !arch || !r.arch || r.arch === arch);
      const symvers = symversRows(db, tree.id, symbol);
      if (!rows.length && !symvers.length) {
        write(`${symbol}: not in tree ${tree.name}${arch ? ` for arch ${arch}` : ''}\n`, { symbol, tree: tree.name, arch: arch ?? null, rows: [] });
        return 0;
      }
      const groups = new Map<string, SymbolRow[]>();
      for (const r of rows) groups.set(r.arch ?? '', [...(groups.get(r.arch ?? '') ?? []), r]);
      const lines = [`${symbol} in tree ${tree.name}${arch ? ` (arch ${arch} and tree-wide files)` : ''}`];
      for (const [g, rs] of [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(g ? `arch/${g}:` : 'tree-wide:');
        for (const r of rs) lines.push(rowText(r).replace(/^/gm, '  '));
      }
      for (const s of symvers) lines.push(`Module.symvers: ${s.exportType} from ${s.module}${s.namespace ? `, namespace ${s.namespace}` : ''}`);
      write(lines.join('\n') + '\n', { symbol, tree: tree.name, arch: arch ?? null, rows, symvers });
      return 0;
    }
    if (sub === 'explain') {
      const symbol = one(positionals, 'a symbol');
      if (!values.config) throw new KtriageError('E_USAGE', "index explain needs --config 'CONFIG_X=y,CONFIG_Y=n'");
      let env;
      try {
        env = parseAssignment(values.config as string);
      } catch (e) {
        throw new KtriageError('E_USAGE', (e as Error).message);
      }
      const paths = new Set(treeFilePaths(db, tree.id));
      const e = explainSymbol(symbol, lookupRows(db, tree.id, symbol), (values.arch as string | undefined) ?? null, env, (p) => paths.has(p), symversRows(db, tree.id, symbol));
      write(explanationText(e, tree.name), { tree: tree.name, ...e });
      return 0;
    }
    if (sub === 'refs') {
      const symbol = one(positionals, 'a symbol');
      let hits = values.refresh ? undefined : cachedRefs(db, tree.id, symbol);
      const cached = hits !== undefined;
      if (!hits) {
        hits = await scanRefs(treeRoot(tree, dbPath), tree.kind, treeFilePaths(db, tree.id), symbol);
        storeRefs(db, tree.id, symbol, hits);
      }
      write(`${symbol}: ${hits.length} files in tree ${tree.name}${cached ? ' (cached)' : ''}\n${hits.map((h) => `  ${h.path}:${h.line}\n`).join('')}`, { symbol, tree: tree.name, cached, files: hits });
      return 0;
    }
    if (sub === 'kconfig') {
      const name = one(positionals, 'a Kconfig symbol (CONFIG_X)');
      const { defs, selectedBy } = kconfigRows(db, tree.id, name);
      const full = name.startsWith('CONFIG_') ? name : `CONFIG_${name}`;
      if (!defs.length && !selectedBy.length) {
        write(`${full}: not defined in any Kconfig file of tree ${tree.name}\n`, { symbol: full, tree: tree.name, definitions: [], selectedBy: [] });
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
    }
    throw new KtriageError('E_USAGE', `unknown index command "${sub}" (usage: ${USAGE.split('\n')[0]} …)`);
  } finally {
    db.close();
  }
}
