// Failures cross-referenced with the kernel index: where the symbol is
// declared, defined and exported under the failing arch and configuration,
// whether the file holding the reference is built there, which Kconfig
// symbols gate it, and whether the failure reproduces in the indexed tree.

import type { BuildFailure, Evidence, KconfigSnippet } from '../core/types.js';
import { configsIn, evaluate, type Assignment, type Tri } from '../index/cond.js';
import { describeConfig, explainSymbol, isSource, type Explanation } from '../index/explain.js';
import { deriveConfig, type KconfigDef } from '../index/kconfig-eval.js';
import { absenceWhy, scopeIntro, scopeLabel, unknownIn } from '../index/scope.js';
import type { KconfigRow, SymbolRow } from '../index/types.js';
import { dependsTerms, sameTerms } from './effects/kconfig.js';
import { failingSettings } from './rules/types.js';
import type { FileBuild, IndexPort } from './index-port.js';

export interface Derived {
  name: string;
  value: 'y' | 'm' | 'n';
  because: string;
}

export interface FailureXref {
  failure: number;
  kind: BuildFailure['kind'];
  symbol: string;
  arch: string | null;
  /** the settings the thread gives for the failure */
  settings: Assignment;
  /** those settings with the promptless Kconfig symbols the conditions involve derived */
  env: Assignment;
  derived: Derived[];
  explanation: Explanation;
  caller?: { path: string; build: FileBuild; built: Tri };
  /** the failure happens in the indexed tree under the failing configuration */
  reproduces: Tri;
  /** the reference cannot be resolved in the failing configuration, wherever it is built */
  referenceBroken: Tri;
  /** CONFIG_ symbols that decide whether the caller's file is built */
  gating: string[];
  /** the thread quotes a Kconfig symbol differently from the tree (the tree may hold the change) */
  kconfigDrift: { name: string; thread: KconfigSnippet; tree: KconfigRow }[];
  /** with the thread's quoted Kconfig instead of the tree's: does the failure reproduce? */
  reproducesPrePatch?: Tri;
  evidence: Evidence[];
}

export function indexCite(tree: string, path: string, line: number): string {
  return `${tree}:${path}:${line}`;
}

function callerCandidates(f: BuildFailure): string[] {
  const candidates: string[] = [];
  if (f.file) candidates.push(f.file);
  if (f.module && f.module !== 'vmlinux') candidates.push(f.module.replace(/\.ko$/, '.c'));
  return candidates.filter((c) => c.includes('/'));
}

function callerPath(f: BuildFailure, port: IndexPort): string | undefined {
  return callerCandidates(f).find((c) => port.exists(c));
}

/** The tree's definition of a Kconfig symbol for an arch: the arch's own when it has one. */
export function archDef(port: IndexPort, name: string, arch: string | null): KconfigRow | undefined {
  const defs = port.kconfig(name);
  return defs.find((k) => k.arch === arch) ?? defs.find((k) => !k.arch) ?? defs[0];
}

/** What a symbol's rows say under an arch and configuration. */
export function explainIn(port: IndexPort, symbol: string, arch: string | null, env: Assignment): Explanation {
  return explainSymbol(symbol, port.lookup(symbol), arch, env, port.exists, port.symvers(symbol), port.tree);
}

/** The evidence that names the tree the facts come from, what it covers and why it was chosen. */
export function treeEvidence(port: IndexPort): Evidence {
  const t = port.tree;
  const about = [t.version && t.version !== t.name ? `version ${t.version}` : '', t.released ? `code of ${t.released}` : ''].filter(Boolean).join(', ');
  return { source: 'index', cite: `${t.name}:-`, text: `index facts from ${scopeIntro(t)}${about ? `; ${about}` : ''}${t.chosenBecause ? `; chosen because ${t.chosenBecause}` : ''}` };
}

type KconfigOverride = { dependsOn: string[]; defaults?: KconfigDef['defaults'] };

/** The tree's Kconfig, with some symbols given other `depends on` lines (a patch's edit, its undoing, or the thread's quote). */
function kconfigWith(port: IndexPort, over?: Map<string, KconfigOverride>) {
  return (name: string): KconfigDef[] => {
    const rows = port.kconfig(name);
    const o = over?.get(name);
    if (!o) return rows;
    if (!rows.length) return [{ name, type: 'bool', prompt: null, dependsOn: o.dependsOn, enclosing: [], defaults: o.defaults ?? [], arch: null }];
    return rows.map((r) => ({ ...r, dependsOn: o.dependsOn, defaults: o.defaults?.length ? o.defaults : r.defaults }));
  };
}

/** The Kconfig symbols the build conditions of the caller and of the symbol's rows involve. */
function wantedConfigs(rows: SymbolRow[], build: FileBuild | undefined): string[] {
  return [...new Set([...(build?.cond ? configsIn(build.cond) : []), ...rows.flatMap((r) => [...configsIn(r.cond), ...(r.buildCond ? configsIn(r.buildCond) : [])])])].map((n) => `CONFIG_${n}`);
}

function derive(port: IndexPort, settings: Assignment, symbol: string, arch: string | null, build: FileBuild | undefined, over?: Map<string, KconfigOverride>) {
  const { env, derived } = deriveConfig(settings, kconfigWith(port, over), wantedConfigs(port.lookup(symbol), build), arch, (n) => port.selectedBy(n));
  return { env, derived, built: build?.cond ? evaluate(build.cond, env) : undefined, explanation: explainIn(port, symbol, arch, env) };
}

/**
 * The failing configuration changed: some settings flipped (a guard the patch
 * adds keeps only those), or some Kconfig symbols given other `depends on`
 * lines. The promptless symbols are derived again from the new settings.
 */
export function rederive(x: FailureXref, port: IndexPort, change: { settings?: Assignment; dependsOn?: Map<string, string[]> }) {
  const settings = new Map([...x.settings, ...(change.settings ?? [])]);
  const over = change.dependsOn ? new Map([...change.dependsOn].map(([k, d]) => [k, { dependsOn: d }])) : undefined;
  return { settings, ...derive(port, settings, x.symbol, x.arch, x.caller?.build, over) };
}

/** Is the reference that failed a question the index can answer (a symbol that does not resolve)? */
export function isReferenceFailure(f: BuildFailure): boolean {
  return !!f.symbol && (f.kind === 'undefined-reference' || f.kind === 'modpost-undefined' || (f.kind === 'compile-error' && /implicit declaration|undeclared/.test(f.message)));
}

/** A module needs the export; built-in code the definition. */
export function usable(kind: BuildFailure['kind'], e: Explanation): { answer: Tri; why: string } {
  return kind === 'modpost-undefined' ? e.moduleUse : e.builtinUse;
}

function referenceBroken(f: BuildFailure, e: Explanation): Tri {
  const use = usable(f.kind, e).answer;
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
  // one symbol from one file under one arch and configuration is one question, however many failures ask it
  const answered = new Map<string, FailureXref>();
  failures.forEach((f, k) => {
    if (!isReferenceFailure(f)) return;
    const symbol = f.symbol!;
    const arch = f.arch ?? null;
    const settings = failingSettings([f]);
    const caller = callerPath(f, port);
    const key = `${symbol}|${arch}|${f.kind}|${caller}|${describeConfig(settings)}`;
    const same = answered.get(key);
    if (same) {
      out.push({ ...same, failure: k });
      return;
    }
    const build = caller ? port.fileBuild(caller) : undefined;
    // derive the promptless Kconfig symbols the conditions involve (NEED_PER_CPU_KM from SMP and MMU)
    const { env, derived, built, explanation } = derive(port, settings, symbol, arch, build);
    const reproduces = reproduction(f, built, explanation);
    const stub = explanation.rows.find((v) => v.pp === 'true' && !isSource(v.row.path) && (v.row.kind === 'macro' || v.row.kind === 'fmacro' || v.row.storage === 'static-inline'))?.row;
    const gating = build?.cond ? configsIn(build.cond) : [];
    const drift: FailureXref['kconfigDrift'] = [];
    for (const g of gating) {
      const q = quoted.get(`CONFIG_${g}`);
      const t = archDef(port, `CONFIG_${g}`, arch);
      if (q && t && !sameTerms(dependsTerms(q.dependsOn), dependsTerms(t.dependsOn))) drift.push({ name: `CONFIG_${g}`, thread: q, tree: t });
    }
    let reproducesPrePatch: Tri | undefined;
    if (drift.length && build?.cond) {
      const pre = derive(port, settings, symbol, arch, build, new Map(drift.map((d) => [d.name, d.thread])));
      reproducesPrePatch = reproduction(f, pre.built, pre.explanation);
    }

    const evidence: Evidence[] = [treeEvidence(port)];
    const cfg = settings.size ? describeConfig(settings) : 'the configuration the thread gives';
    const defs = explanation.rows.filter((v) => (v.row.kind === 'func' || v.row.kind === 'var') && isSource(v.row.path));
    const decls = explanation.rows.filter((v) => v.row.kind === 'proto' || v.row.kind === 'decl');
    const exportsRows = explanation.rows.filter((v) => v.row.kind === 'export');
    if (!explanation.rows.length && !explanation.skipped.length && !explanation.symvers.length) {
      evidence.push({ source: 'index', cite: `${tree}:-`, text: unknownIn(port.tree, symbol) });
    }
    // a file the tree does not have is unknown there too: its build condition cannot be read
    const missing = caller ? undefined : f.file && f.file.includes('/') ? f.file : undefined;
    if (missing)
      evidence.push({
        source: 'index',
        cite: `${tree}:-`,
        text: `${missing}, which holds the reference, is unknown in ${scopeLabel(port.tree)} (${absenceWhy(port.tree)}): whether it is built is not known`,
      });
    for (const d of decls.filter((v) => v.pp === 'true').slice(0, 2)) {
      evidence.push({
        source: 'index',
        cite: indexCite(tree, d.row.path, d.row.line),
        text: `${symbol} is declared here${d.row.cond !== '1' ? ` under ${d.row.cond}` : ''}, which holds for ${arch ?? 'this arch'} with ${cfg}`,
      });
    }
    for (const d of defs.slice(0, 3)) {
      const via = d.row.buildVia[0] ? ` (${d.row.buildVia[0].makefile}:${d.row.buildVia[0].line})` : '';
      const state = d.effective === 'true' ? 'is built' : d.effective === 'false' ? 'is not built' : 'may be built';
      evidence.push({
        source: 'index',
        cite: indexCite(tree, d.row.path, d.row.line),
        text: `${d.row.storage === 'static' ? 'static ' : ''}definition of ${symbol}; its file is built ${d.row.buildCond === null ? '(no Makefile rule found)' : d.row.buildCond === '1' ? 'always' : `only when ${d.row.buildCond}`}${via}${d.row.cond !== '1' ? `, and it sits under #if ${d.row.cond}` : ''}: it ${state} with ${cfg}`,
      });
    }
    for (const x of exportsRows.slice(0, 2))
      evidence.push({ source: 'index', cite: indexCite(tree, x.row.path, x.row.line), text: `${x.row.exportType}(${symbol})${x.effective === 'false' ? ', not in effect with ' + cfg : ''}` });
    if (stub)
      evidence.push({
        source: 'index',
        cite: indexCite(tree, stub.path, stub.line),
        text: `${stub.kind === 'macro' || stub.kind === 'fmacro' ? 'a macro' : 'a static inline'} ${symbol} is visible with ${cfg} (under ${stub.cond})`,
      });
    if (caller && build) {
      const via = build.via[0] ? ` (${build.via[0].makefile}:${build.via[0].line})` : '';
      evidence.push({
        source: 'index',
        cite: indexCite(tree, caller, f.line ?? 1),
        text: `${caller}, which holds the reference, is built ${build.cond === null ? '(no Makefile rule found)' : build.cond === '1' ? 'always' : `only when ${build.cond}`}${via}`,
      });
    }
    for (const d of derived) {
      const def = archDef(port, `CONFIG_${d.name}`, arch);
      evidence.push({ source: 'index', cite: def ? indexCite(tree, def.path, def.line) : `${tree}:Kconfig`, text: `CONFIG_${d.name}=${d.value} follows: ${d.because}` });
    }
    evidence.push({
      source: 'index',
      cite: `${tree}:explain`,
      text: `${symbol} on ${arch ?? 'any arch'} with ${cfg}: ${f.kind === 'modpost-undefined' ? 'a module' : 'built-in code'} can use it: ${usable(f.kind, explanation).answer}: ${usable(f.kind, explanation).why}`,
    });
    for (const d of drift) {
      evidence.push({
        source: 'index',
        cite: `${tree}:${d.tree.name}`,
        text: `the thread quotes ${d.name} as \`depends on ${d.thread.dependsOn.join(' && ')}\`; tree ${tree} has \`depends on ${d.tree.dependsOn.join(' && ')}\``,
      });
    }
    const x: FailureXref = {
      failure: k,
      kind: f.kind,
      symbol,
      arch,
      settings,
      env,
      derived,
      explanation,
      caller: caller && build ? { path: caller, build, built: built ?? 'unknown' } : undefined,
      reproduces,
      referenceBroken: referenceBroken(f, explanation),
      gating,
      kconfigDrift: drift,
      reproducesPrePatch,
      evidence,
    };
    answered.set(key, x);
    out.push(x);
  });
  return out;
}
