// Given a symbol's index rows, an arch and a (partial) configuration: is it
// declared, defined, exported; can built-in code and modules use it; and why,
// with the file:line of every fact. Pure: rows in, an explanation out.
// What the tree does not show is unknown, never "not there" (scope.ts): a
// symbol with no rows, a declaration with no definition the index can see,
// and every negative answer from a subset of a tree.

import type { SymbolRow, SymversRow } from './types.js';
import { and, evaluate, type Assignment, type Tri } from './cond.js';
import { scopeIntro, scopeLabel, unknownIn, type TreeScope } from './scope.js';

export interface RowVerdict {
  row: SymbolRow;
  /** the #if condition under the configuration */
  pp: Tri;
  /** the file is built (sources) or included (headers: always 'true') */
  built: Tri;
  effective: Tri;
  note?: string;
}

export interface Explanation {
  symbol: string;
  arch: string | null;
  config: string;
  declared: Tri;
  defined: Tri;
  inline: Tri;
  exported: Tri;
  builtinUse: { answer: Tri; why: string };
  moduleUse: { answer: Tri; why: string };
  rows: RowVerdict[];
  /** rows left out: another arch, or an asm-generic header the arch replaces */
  skipped: { row: SymbolRow; why: string }[];
  symvers: SymversRow[];
}

function and3(a: Tri, b: Tri): Tri {
  if (a === 'false' || b === 'false') return 'false';
  return a === 'true' && b === 'true' ? 'true' : 'unknown';
}

function any(ts: Tri[]): Tri {
  if (ts.includes('true')) return 'true';
  if (ts.includes('unknown')) return 'unknown';
  return 'false';
}

export function isSource(path: string): boolean {
  return /\.(c|S)$/.test(path);
}

export function describeConfig(env: Assignment): string {
  return [...env.entries()].map(([k, v]) => `CONFIG_${k}=${v}`).join(' ') || '(no config given)';
}

export function cite(r: SymbolRow): string {
  return `${r.path}:${r.line}`;
}

/** " (kernel/Makefile:12)": the Makefile line that builds the row's file, or nothing. */
export function citeMakefile(r: SymbolRow): string {
  const via = r.buildVia[0];
  return via ? ` (${via.makefile}:${via.line})` : '';
}

/** "defined(CONFIG_SMP) (kernel/Makefile:12)": the row's build condition with its Makefile line. */
export function builtWhen(r: SymbolRow): string {
  return `${r.buildCond}${citeMakefile(r)}`;
}

/** The configuration with every =m read as =n: what is built into vmlinux. */
function withoutModules(env: Assignment): Assignment {
  return [...env.values()].includes('m') ? new Map([...env].map(([k, v]) => [k, v === 'm' ? 'n' : v])) : env;
}

/** A definition other files can link against: a function or variable of a .c/.S file, not static. */
function isLinkable(r: SymbolRow): boolean {
  return (r.kind === 'func' || r.kind === 'var') && isSource(r.path) && r.storage !== 'static' && r.storage !== 'static-inline';
}

/**
 * rows: every row of the symbol in the tree; exists(path) answers whether a
 * file is in the tree (to tell when an arch's own asm/ header replaces the
 * asm-generic one).
 */
export function explainSymbol(symbol: string, rows: SymbolRow[], arch: string | null, env: Assignment, exists: (path: string) => boolean, symvers: SymversRow[] = [], scope?: TreeScope): Explanation {
  const config = describeConfig(env);
  if (!rows.length && !symvers.length) {
    const why = scope ? unknownIn(scope, symbol) : `${symbol} is unknown in this tree: the index has no entry for it`;
    const open = { answer: 'unknown' as Tri, why };
    return { symbol, arch, config, declared: 'unknown', defined: 'unknown', inline: 'unknown', exported: 'unknown', builtinUse: open, moduleUse: { ...open }, rows: [], skipped: [], symvers };
  }
  const kept: RowVerdict[] = [];
  const skipped: { row: SymbolRow; why: string }[] = [];
  for (const r of rows) {
    if (arch && r.arch && r.arch !== arch) {
      skipped.push({ row: r, why: `arch/${r.arch} only` });
      continue;
    }
    const generic = /^include\/asm-generic\/(.+\.h)$/.exec(r.path);
    if (arch && generic && exists(`arch/${arch}/include/asm/${generic[1]}`)) {
      skipped.push({ row: r, why: `arch/${arch}/include/asm/${generic[1]} replaces it` });
      continue;
    }
    const pp = evaluate(r.cond, env, { preprocessor: true });
    let built: Tri = 'true';
    let note: string | undefined;
    if (isSource(r.path)) {
      if (r.buildCond === null) {
        built = 'unknown';
        note = 'no Makefile rule the index can read builds this file';
      } else built = evaluate(r.buildCond, env);
    }
    kept.push({ row: r, pp, built, effective: and3(pp, built), note });
  }
  const byKind = (pred: (r: SymbolRow) => boolean) => kept.filter((v) => pred(v.row));
  const linkable = byKind(isLinkable);
  // macros and static inlines are seen where their header is included; one in a .c/.S file is that file's own
  const inlineDefs = byKind((r) => !isSource(r.path) && (r.kind === 'macro' || r.kind === 'fmacro' || r.kind === 'func' || r.kind === 'var'));
  const decls = byKind((r) => r.kind === 'proto' || r.kind === 'decl');
  const exports = byKind((r) => r.kind === 'export');
  // a header's declaration only counts where the header is seen: its #if condition
  const declared = any([...decls, ...inlineDefs].map((v) => v.pp));
  const defined = any(linkable.map((v) => v.effective));
  const inline = any(inlineDefs.map((v) => v.pp));
  const exported = any([...exports.map((v) => v.effective), ...(symvers.length ? ['true' as Tri] : [])]);

  // a header's row is in effect where its #if holds (its `built` is 'true'): `effective` covers it
  const firstTrue = (vs: RowVerdict[]) => vs.find((v) => v.effective === 'true');
  const whyNotDefined = () => {
    if (!linkable.length) {
      const statics = kept.filter((v) => (v.row.kind === 'func' || v.row.kind === 'var') && isSource(v.row.path));
      if (statics.length)
        return `only static definitions, local to their files (${statics
          .slice(0, 3)
          .map((v) => cite(v.row))
          .join(', ')})`;
      // "none for this arch" is not "none anywhere": name where the other definitions are
      const elsewhere = skipped.filter((s) => s.row.arch && isLinkable(s.row));
      if (elsewhere.length) {
        const arches = [...new Set(elsewhere.map((s) => `arch/${s.row.arch}`))];
        return `none for ${arch}: only ${arches.slice(0, 4).join(', ')}${arches.length > 4 ? ', …' : ''} ${arches.length > 1 ? 'define' : 'defines'} it (${elsewhere
          .slice(0, 3)
          .map((s) => cite(s.row))
          .join(', ')}${elsewhere.length > 3 ? ', …' : ''})`;
      }
      return 'no definition in any source file of the tree';
    }
    return linkable.map((v) => `${cite(v.row)} is ${v.built === 'false' ? `built only when ${builtWhen(v.row)}` : `under #if ${v.row.cond}`}`).join('; ');
  };
  let builtinUse: Explanation['builtinUse'];
  let moduleUse: Explanation['moduleUse'];
  // what the configuration leaves open about each definition
  const open = linkable.filter((v) => v.effective === 'unknown').map((v) => `${cite(v.row)}${v.note ? ` (${v.note})` : ` needs ${and(v.row.buildCond ?? '1', v.row.cond)}`}`);
  const inl = firstTrue(inlineDefs);
  if (inl) {
    const what = inl.row.kind === 'macro' || inl.row.kind === 'fmacro' ? 'a macro' : 'a static inline';
    const why = `${what} at ${cite(inl.row)} (under ${inl.row.cond}); whatever it expands to must be available too`;
    builtinUse = { answer: 'true', why };
    moduleUse = { answer: 'true', why };
  } else if (defined === 'true') {
    const d = firstTrue(linkable)!;
    builtinUse = { answer: 'true', why: `defined at ${cite(d.row)}, built when ${d.row.buildCond}` };
    // a definition built as a module (its Kconfig symbol =m) is not in vmlinux: built-in code cannot link against it
    const inVmlinux = linkable.map((v) => and3(v.pp, v.row.buildCond === null ? 'unknown' : evaluate(v.row.buildCond, withoutModules(env))));
    if (!inVmlinux.includes('true')) {
      const mods = [...env].filter(([, v]) => v === 'm').map(([k]) => `CONFIG_${k}=m`);
      builtinUse = inVmlinux.includes('unknown')
        ? { answer: 'unknown', why: `defined at ${cite(d.row)}; whether it is built in or as a module (${mods.join(', ')}) the configuration leaves open` }
        : { answer: 'false', why: `defined at ${cite(d.row)}, which is built as a module with ${mods.join(' ')}: built-in code cannot link against a module's symbol` };
    }
    const e = firstTrue(exports);
    if (e) moduleUse = { answer: 'true', why: `exported at ${cite(e.row)} (${e.row.exportType}${e.row.namespace ? `, namespace ${e.row.namespace}` : ''})` };
    else if (symvers.length) moduleUse = { answer: 'true', why: `Module.symvers lists it (${symvers[0]!.exportType} from ${symvers[0]!.module})` };
    else if (exported === 'unknown')
      moduleUse = { answer: 'unknown', why: `exported only under a condition the configuration does not settle: ${exports.map((v) => `${cite(v.row)} under ${v.row.cond}`).join('; ')}` };
    else if (d.row.moduleOnly) moduleUse = { answer: 'unknown', why: 'defined in a module; other modules need an export' };
    else moduleUse = { answer: 'false', why: `defined in built-in code (${cite(d.row)}) but not exported: modpost reports it undefined for modules` };
  } else if (defined === 'false' && declared !== 'false' && !rows.some((r) => (r.kind === 'func' || r.kind === 'var') && isSource(r.path))) {
    // declared, but no definition in any source file: made by a macro, generated, or in another version of the tree
    const why = `${declared === 'true' ? 'declared' : 'seen'} (${
      [...decls, ...inlineDefs]
        .sort((a, b) => Number(b.pp === 'true') - Number(a.pp === 'true'))
        .slice(0, 2)
        .map((v) => cite(v.row))
        .join(', ') || 'rows of other kinds only'
    }), but ${scope ? scopeLabel(scope) : 'the tree'} shows no definition of it: one made by a macro (SYSCALL_DEFINE, DEFINE_*) or in generated code is not indexed, and the definition may be in another version of the tree`;
    builtinUse = { answer: 'unknown', why };
    moduleUse = { answer: 'unknown', why };
  } else if (defined === 'false') {
    const reason =
      declared === 'true'
        ? `declared but not defined in this configuration (${whyNotDefined()}): a reference compiles and will not link`
        : declared === 'false'
          ? `neither declared nor defined in this configuration (${whyNotDefined()}): a call is an implicit declaration at compile time`
          : `not defined in this configuration (${whyNotDefined()})`;
    builtinUse = { answer: 'false', why: reason };
    moduleUse = { answer: 'false', why: reason };
  } else if (!exports.length && !symvers.length && linkable.length) {
    // however the configuration goes, nothing exports it: modules cannot link against it
    builtinUse = { answer: 'unknown', why: `depends on what the configuration leaves open: ${open.join('; ')}` };
    moduleUse = {
      answer: 'false',
      why: `${symbol} is exported nowhere in ${scope ? scopeLabel(scope) : 'the tree'} (defined at ${linkable
        .map((v) => cite(v.row))
        .slice(0, 3)
        .join(', ')}): modpost reports it undefined for modules`,
    };
  } else {
    const why = open.length ? `depends on what the configuration leaves open: ${open.join('; ')}` : 'the tree has no definition the index can see';
    builtinUse = { answer: 'unknown', why };
    moduleUse = { answer: 'unknown', why };
  }
  const e: Explanation = { symbol, arch, config, declared, defined, inline, exported, builtinUse, moduleUse, rows: kept, skipped, symvers };
  if (builtinUse.answer === 'unknown' && defined === 'false' && !linkable.length) e.defined = 'unknown';
  return scope?.subset ? subsetHonest(e, scope) : e;
}

/** What a "no" predicts, which a subset cannot: it may not be a "no" in the whole tree. */
const CONSEQUENCES = [': modpost reports it undefined for modules', ': a reference compiles and will not link', ': a call is an implicit declaration at compile time'];

/**
 * A subset of a tree speaks only for the files it holds: what it finds stands,
 * a "no" becomes "unknown", since another file of the tree may declare,
 * define or export the symbol.
 */
function subsetHonest(e: Explanation, scope: TreeScope): Explanation {
  const open = (t: Tri): Tri => (t === 'false' ? 'unknown' : t);
  const label = scopeIntro(scope);
  // the facts stay, scoped to the subset; the conclusion drawn from what it lacks goes
  const scoped = (why: string) => CONSEQUENCES.reduce((w, c) => w.replace(c, ''), why).replace(/\b(in|of) the tree\b/g, `$1 ${label}`);
  const use = (u: { answer: Tri; why: string }) =>
    u.answer === 'false' ? { answer: 'unknown' as Tri, why: `${scoped(u.why)}; the rest of the tree is not indexed, so another file may provide it` } : u;
  return { ...e, declared: open(e.declared), defined: open(e.defined), exported: open(e.exported), builtinUse: use(e.builtinUse), moduleUse: use(e.moduleUse) };
}
