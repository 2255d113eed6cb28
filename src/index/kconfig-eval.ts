// Kconfig expressions as conditions, and the values of symbols nobody sets by
// hand. A promptless `bool` like NEED_PER_CPU_KM (`depends on !SMP || !MMU`,
// `default y`) takes its value from its dependencies and defaults, so a
// configuration given as "CONFIG_SMP=y,CONFIG_MMU=n" also decides it.

import { and, configsIn, evaluate, not, or, type Assignment, type ConfigValue } from './cond.js';

export interface KconfigDef {
  name: string; // CONFIG_X
  type: string | null;
  prompt: string | null;
  dependsOn: string[];
  enclosing: string[];
  defaults: { value: string; cond?: string }[];
  arch: string | null;
}

/**
 * A part of a Kconfig expression this model does not read (`NR_CPUS > 2`,
 * `$(cc-option,-mfoo)`), as an atom cond.ts takes for an unknown macro call:
 * it evaluates to 'unknown' and leaves the rest of the expression standing.
 */
function opaque(text: string): string {
  return `KCONFIG_EXPR(${text.replace(/\W/g, '_')})`;
}

const COMPARISONS = new Set(['<', '>', '<=', '>=']);

/** `!SMP || !MMU`, `FOO=y`, `BAR!=n`, `m`: a Kconfig expression as a cond.ts condition. */
export function kconfigExprToCond(expr: string): string {
  // nothing is dropped: a token the grammar below does not expect makes its part opaque
  const toks = expr.match(/<=|>=|!=|=|<|>|&&|\|\||[!()]|"[^"]*"|\$\([^)]*\)|[A-Za-z0-9_]+|\S/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const take = () => toks[i++];
  const primary = (): string => {
    const t = take();
    if (t === undefined) return '1';
    if (COMPARISONS.has(peek() ?? '')) {
      // an int or hex symbol against a number or another symbol: the assignment has no values for those
      const op = take()!;
      return opaque(`${t}${op}${take() ?? ''}`);
    }
    if (t === '(') {
      const e = orExpr();
      if (peek() === ')') take();
      return e.includes('&&') || e.includes('||') ? `(${e})` : e;
    }
    if (t === '!') return not(primary());
    if (peek() === '=' || peek() === '!=') {
      const op = take()!;
      const rhs = (take() ?? '').replace(/"/g, '');
      const sym = `CONFIG_${t}`;
      let c: string;
      if (rhs === 'y') c = `IS_BUILTIN(${sym})`;
      else if (rhs === 'm') c = `IS_MODULE(${sym})`;
      else if (rhs === 'n') c = `!defined(${sym})`;
      else c = `${sym} == ${/^\d+$/.test(rhs) ? rhs : 0}`;
      return op === '=' ? c : not(c);
    }
    if (t === 'y') return '1';
    if (t === 'n') return '0';
    if (t === 'm') return '1';
    if (!/^\w+$/.test(t)) return opaque(t);
    return `defined(CONFIG_${t})`;
  };
  const andExpr = (): string => {
    const parts = [primary()];
    while (peek() === '&&') {
      take();
      parts.push(primary());
    }
    return and(...parts);
  };
  const orExpr = (): string => {
    const parts = [andExpr()];
    while (peek() === '||') {
      take();
      parts.push(andExpr());
    }
    return or(...parts);
  };
  const cond = orExpr();
  // tokens left over: the expression was not read as a whole, so none of it is trusted
  return i < toks.length ? opaque(expr) : cond;
}

/**
 * The assignment extended with derived symbols: each promptless bool/tristate
 * whose dependencies the assignment decides takes its first applicable
 * default (or n). Only symbols in `wanted` (and what they need) are derived.
 */
export interface Selector {
  by: string; // CONFIG_X
  cond: string | null;
  kind: 'select' | 'imply';
}

export function deriveConfig(
  env: Assignment,
  defs: (name: string) => KconfigDef[],
  wanted: string[],
  arch: string | null,
  selectors: (name: string) => Selector[] = () => [],
): { env: Assignment; derived: { name: string; value: ConfigValue; because: string }[] } {
  const out: Assignment = new Map(env);
  const derived: { name: string; value: ConfigValue; because: string }[] = [];
  const visiting = new Set<string>();
  const derive = (full: string, depth: number): void => {
    const bare = full.replace(/^CONFIG_/, '');
    if (out.has(bare) || visiting.has(bare) || depth > 8) return;
    visiting.add(bare);
    const candidates = defs(full).filter((d) => !d.arch || !arch || d.arch === arch);
    // a symbol with a prompt is the user's choice: not derivable
    if (!candidates.length || candidates.some((d) => d.prompt) || candidates.length > 1) return;
    const d = candidates[0]!;
    if (d.type !== 'bool' && d.type !== 'tristate') return;
    // `select` forces a symbol on whatever its defaults say: settle the selectors first
    const sels = selectors(full).filter((x) => x.kind === 'select');
    if (sels.length) {
      let open = false;
      for (const x of sels) {
        derive(x.by, depth + 1);
        const on = evaluate(and(`defined(${x.by})`, x.cond ? kconfigExprToCond(x.cond) : '1'), out);
        if (on === 'true') {
          out.set(bare, 'y');
          derived.push({ name: bare, value: 'y', because: `selected by ${x.by.replace(/^CONFIG_/, '')}${x.cond ? ` if ${x.cond}` : ''}` });
          return;
        }
        if (on === 'unknown') open = true;
      }
      if (open) return; // a selector the configuration does not settle: so is this symbol
    }
    const deps = and(...[...d.enclosing, ...d.dependsOn].map(kconfigExprToCond));
    for (const dep of configsIn(deps)) derive(`CONFIG_${dep}`, depth + 1);
    const depsOk = evaluate(deps, out);
    if (depsOk === 'unknown') return;
    if (depsOk === 'false') {
      out.set(bare, 'n');
      derived.push({ name: bare, value: 'n', because: `its dependencies (${[...d.enclosing, ...d.dependsOn].join(' && ')}) do not hold` });
      return;
    }
    for (const df of d.defaults) {
      const c = df.cond ? kconfigExprToCond(df.cond) : '1';
      for (const dep of configsIn(c)) derive(`CONFIG_${dep}`, depth + 1);
      const holds = evaluate(c, out);
      if (holds === 'unknown') return;
      if (holds === 'false') continue;
      const v = df.value === 'y' ? 'y' : df.value === 'm' ? 'm' : df.value === 'n' ? 'n' : undefined;
      if (!v) return; // a default that is an expression or another symbol: left open
      out.set(bare, v);
      derived.push({ name: bare, value: v, because: `no prompt; depends on ${[...d.enclosing, ...d.dependsOn].join(' && ') || 'nothing'}, which holds, and defaults to ${v}` });
      return;
    }
    out.set(bare, 'n');
    derived.push({ name: bare, value: 'n', because: 'no prompt and no default applies' });
  };
  for (const w of wanted) derive(w.startsWith('CONFIG_') ? w : `CONFIG_${w}`, 0);
  return { env: out, derived };
}
