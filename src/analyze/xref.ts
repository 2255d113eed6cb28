// Failures cross-referenced with the kernel index: where the symbol is
// declared, defined and exported under the failing arch and configuration,
// whether the file holding the reference is built there, which Kconfig
// symbols gate it, and whether the failure reproduces in the indexed tree.

import type { BuildFailure, Evidence, KconfigSnippet } from '../core/types.js';
import { configsIn, evaluate, type Assignment, type Tri } from '../index/cond.js';
import { cite as rowCite, explainSymbol, isSource, type Explanation } from '../index/explain.js';
import { deriveConfig, type KconfigDef, type Selector } from '../index/kconfig-eval.js';
import type { SymbolRow } from '../index/types.js';
import type { FileBuild, IndexPort } from './index-port.js';

export interface Derived {
  name: string;
  value: 'y' | 'm' | 'n';
  because: string;
}

export interface FailureXref {
  failure: number;
  symbol: string;
  arch: string | null;
  env: Assignment;
  derived: Derived[];
  explanation: Explanation;
  caller?: { path: string; build: FileBuild; built: Tri };
  /** the failure happens in the indexed tree under the failing configuration */
  reproduces: Tri;
  /** the reference cannot be resolved in the failing configuration, wherever it is built */
  referenceBroken: Tri;
  /** a static inline or macro the failing configuration sees */
  stub?: SymbolRow;
  /** CONFIG_ symbols that decide whether the caller's file is built */
  gating: string[];
  /** the thread quotes a Kconfig symbol differently from the tree (the tree may hold the change) */
  kconfigDrift: { name: string; thread: KconfigSnippet; tree: KconfigDef }[];
  /** with the thread's quoted Kconfig instead of the tree's: does the failure reproduce? */
  reproducesPrePatch?: Tri;
  evidence: Evidence[];
}

export function indexCite(tree: string, path: string, line: number): string {
  return `${tree}:${path}:${line}`;
}

function callerPath(f: BuildFailure, port: IndexPort): string | undefined {
  const candidates: string[] = [];
  if (f.file) candidates.push(f.file);
  if (f.module && f.module !== 'vmlinux') candidates.push(f.module.replace(/\.ko$/, '.c'));
  for (const c of candidates) if (c.includes('/') && port.exists(c)) return c;
  return undefined;
}

function envOf(f: BuildFailure): Assignment {
  const env: Assignment = new Map();
  // the first setting wins, as in failingSettings(): it comes from the lines next to the failure
  for (const c of f.configs) if (!env.has(c.name)) env.set(c.name, c.value);
  return env;
}

function fmtEnv(env: Assignment): string {
  return [...env.entries()].map(([k, v]) => `CONFIG_${k}=${v}`).join(' ');
}

/** Kconfig definitions from the tree, or the thread's quoted one standing in for it. */
function kconfigSource(port: IndexPort, override?: Map<string, KconfigSnippet>) {
  return (name: string): KconfigDef[] => {
    const o = override?.get(name);
    if (o) return [{ name, type: o.type ?? 'bool', prompt: null, dependsOn: o.dependsOn, enclosing: [], defaults: o.defaults, arch: null }];
    return port.kconfig(name).map((k) => ({ name: k.name, type: k.type, prompt: k.prompt, dependsOn: k.dependsOn, enclosing: k.enclosing, defaults: k.defaults, arch: k.arch }));
  };
}

function selectorsOf(port: IndexPort) {
  return (name: string): Selector[] => port.selectedBy(name).map((r) => ({ by: r.by, cond: r.cond, kind: r.kind }));
}

/**
 * With some Kconfig symbols given other `depends on` lines (a patch's edit, or
 * its undoing), is the file holding the failing reference built in the
 * failing configuration?
 */
export function rebuildWithDepends(x: FailureXref, port: IndexPort, dependsOn: Map<string, string[]>): { built: Tri; derived: Derived[] } | undefined {
  const cond = x.caller?.build.cond;
  if (!cond) return undefined;
  const tree = kconfigSource(port);
  const source = (name: string): KconfigDef[] => {
    const deps = dependsOn.get(name);
    return deps ? tree(name).map((d) => ({ ...d, dependsOn: deps })) : tree(name);
  };
  const base = new Map([...x.env].filter(([k]) => !x.derived.some((d) => d.name === k)));
  const r = deriveConfig(base, source, configsIn(cond).map((n) => `CONFIG_${n}`), x.arch, selectorsOf(port));
  return { built: evaluate(cond, r.env), derived: r.derived };
}

function usable(kind: BuildFailure['kind'], e: Explanation): Tri {
  return kind === 'modpost-undefined' ? e.moduleUse.answer : e.builtinUse.answer;
}

function referenceBroken(f: BuildFailure, e: Explanation): Tri {
  const use = usable(f.kind, e);
  return use === 'true' ? 'false' : use === 'false' ? 'true' : 'unknown';
}

function reproduction(f: BuildFailure, callerBuilt: Tri | undefined, e: Explanation): Tri {
  const broken = referenceBroken(f, e);
  if (callerBuilt === 'false') return 'false';
  if (broken === 'false') return 'false';
  if (callerBuilt === 'true' && broken === 'true') return 'true';
  return broken === 'true' && callerBuilt === undefined ? 'true' : 'unknown';
}

export function crossReference(failures: BuildFailure[], port: IndexPort, threadKconfig: KconfigSnippet[]): FailureXref[] {
  const out: FailureXref[] = [];
  const tree = port.tree.name;
  const quoted = new Map(threadKconfig.map((k) => [k.name, k]));
  const seen = new Set<string>();
  failures.forEach((f, k) => {
    if (!f.symbol || (f.kind !== 'undefined-reference' && f.kind !== 'modpost-undefined' && !(f.kind === 'compile-error' && /implicit declaration|undeclared/.test(f.message)))) return;
    // one symbol on one arch is one question, however many modules reference it
    const key = `${f.symbol}|${f.arch}|${f.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    const rows = port.lookup(f.symbol);
    const arch = f.arch ?? null;
    const caller = callerPath(f, port);
    const build = caller ? port.fileBuild(caller) : undefined;
    // derive the promptless Kconfig symbols the conditions involve (NEED_PER_CPU_KM from SMP and MMU)
    const wanted = [...new Set([...(build?.cond ? configsIn(build.cond) : []), ...rows.flatMap((r) => [...configsIn(r.cond), ...(r.buildCond ? configsIn(r.buildCond) : [])])])].map((n) => `CONFIG_${n}`);
    const base = envOf(f);
    const { env, derived } = deriveConfig(base, kconfigSource(port), wanted, arch, selectorsOf(port));
    const explanation = explainSymbol(f.symbol, rows, arch, env, port.exists, port.symvers(f.symbol));
    const built = build ? (build.cond === null ? 'unknown' : evaluate(build.cond, env)) : undefined;
    const reproduces = reproduction(f, built, explanation);
    const stub = explanation.rows.find((v) => v.pp === 'true' && !isSource(v.row.path) && (v.row.kind === 'macro' || v.row.kind === 'fmacro' || v.row.storage === 'static-inline'))?.row;
    const gating = build?.cond ? configsIn(build.cond) : [];
    const drift: FailureXref['kconfigDrift'] = [];
    for (const g of gating) {
      const q = quoted.get(`CONFIG_${g}`);
      const t = kconfigSource(port)(`CONFIG_${g}`)[0];
      if (q && t && q.dependsOn.join(' && ') !== t.dependsOn.join(' && ')) drift.push({ name: `CONFIG_${g}`, thread: q, tree: t });
    }
    let reproducesPrePatch: Tri | undefined;
    if (drift.length && build?.cond) {
      const pre = deriveConfig(base, kconfigSource(port, new Map(drift.map((d) => [d.name, d.thread]))), wanted, arch, selectorsOf(port));
      const preBuilt = evaluate(build.cond, pre.env);
      const preExpl = explainSymbol(f.symbol, rows, arch, pre.env, port.exists, port.symvers(f.symbol));
      reproducesPrePatch = reproduction(f, preBuilt, preExpl);
    }

    const evidence: Evidence[] = [];
    const cfg = fmtEnv(base) || 'the configuration the thread gives';
    const defs = explanation.rows.filter((v) => (v.row.kind === 'func' || v.row.kind === 'var') && isSource(v.row.path));
    const decls = explanation.rows.filter((v) => v.row.kind === 'proto' || v.row.kind === 'decl');
    const exportsRows = explanation.rows.filter((v) => v.row.kind === 'export');
    if (!rows.length) {
      evidence.push({ source: 'index', cite: `${tree}:-`, text: `${f.symbol} is not in tree ${tree} (not declared, defined or exported anywhere it indexed)` });
    }
    for (const d of decls.filter((v) => v.pp === 'true').slice(0, 2)) {
      evidence.push({ source: 'index', cite: indexCite(tree, d.row.path, d.row.line), text: `${f.symbol} is declared here${d.row.cond !== '1' ? ` under ${d.row.cond}` : ''}, which holds for ${arch ?? 'this arch'} with ${cfg}` });
    }
    for (const d of defs.slice(0, 3)) {
      const via = d.row.buildVia[0] ? ` (${d.row.buildVia[0].makefile}:${d.row.buildVia[0].line})` : '';
      const state = d.effective === 'true' ? 'is built' : d.effective === 'false' ? 'is not built' : 'may be built';
      evidence.push({
        source: 'index',
        cite: indexCite(tree, d.row.path, d.row.line),
        text: `${d.row.storage === 'static' ? 'static ' : ''}definition of ${f.symbol}; its file is built ${d.row.buildCond === null ? '(no Makefile rule found)' : d.row.buildCond === '1' ? 'always' : `only when ${d.row.buildCond}`}${via}${d.row.cond !== '1' ? `, and it sits under #if ${d.row.cond}` : ''}: it ${state} with ${cfg}`,
      });
    }
    for (const x of exportsRows.slice(0, 2)) evidence.push({ source: 'index', cite: indexCite(tree, x.row.path, x.row.line), text: `${x.row.exportType}(${f.symbol})${x.effective === 'false' ? ', not in effect with ' + cfg : ''}` });
    if (stub) evidence.push({ source: 'index', cite: rowCite(stub).replace(/^/, `${tree}:`), text: `${stub.kind === 'macro' || stub.kind === 'fmacro' ? 'a macro' : 'a static inline'} ${f.symbol} is visible with ${cfg} (under ${stub.cond})` });
    if (caller && build) {
      const via = build.via[0] ? ` (${build.via[0].makefile}:${build.via[0].line})` : '';
      evidence.push({ source: 'index', cite: indexCite(tree, caller, f.line ?? 1), text: `${caller}, which holds the reference, is built ${build.cond === null ? '(no Makefile rule found)' : build.cond === '1' ? 'always' : `only when ${build.cond}`}${via}` });
    }
    for (const d of derived) {
      // the definition that was used: the arch's own when it has one
      const defs = port.kconfig(`CONFIG_${d.name}`);
      const def = defs.find((k) => k.arch === arch) ?? defs.find((k) => !k.arch) ?? defs[0];
      evidence.push({ source: 'index', cite: `${tree}:${def?.path ?? 'Kconfig'}:${def?.line ?? 0}`, text: `CONFIG_${d.name}=${d.value} follows: ${d.because}` });
    }
    evidence.push({
      source: 'index',
      cite: `${tree}:explain`,
      text: `${f.symbol} on ${arch ?? 'any arch'} with ${cfg}: ${f.kind === 'modpost-undefined' ? `a module can use it: ${explanation.moduleUse.answer}: ${explanation.moduleUse.why}` : `built-in code can use it: ${explanation.builtinUse.answer}: ${explanation.builtinUse.why}`}`,
    });
    for (const d of drift) {
      evidence.push({ source: 'index', cite: `${tree}:${d.tree.name}`, text: `the thread quotes ${d.name} as \`depends on ${d.thread.dependsOn.join(' && ')}\`; tree ${tree} has \`depends on ${d.tree.dependsOn.join(' && ')}\`` });
    }
    out.push({ failure: k, symbol: f.symbol, arch, env, derived, explanation, caller: caller && build ? { path: caller, build, built: built ?? 'unknown' } : undefined, reproduces, referenceBroken: referenceBroken(f, explanation), stub, gating, kconfigDrift: drift, reproducesPrePatch, evidence });
  });
  return out;
}
