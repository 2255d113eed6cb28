// Conditions over CONFIG_ symbols: the text the scanners store (one boolean
// expression per #if stack or Makefile chain) and its three-valued evaluation
// under a partial configuration. Anything the model does not understand
// (`__LINUX_ARM_ARCH__ >= 6`, `ifeq ($(ARCH),x86)`) stays in the text and
// evaluates to 'unknown' instead of being dropped.

import type { Tri } from '../core/types.js';
import { cutAt } from '../core/text.js';

export type { Tri } from '../core/types.js';
export type ConfigValue = 'y' | 'm' | 'n';
export type Assignment = Map<string, ConfigValue>;

export const TRUE = '1';

/** Join conditions with &&, parenthesising terms that contain a top-level ||. */
export function and(...terms: string[]): string {
  const parts = [...new Set(terms.map((t) => t.trim()).filter((t) => t && t !== TRUE))];
  if (!parts.length) return TRUE;
  if (parts.some((p) => p === '0')) return '0';
  return parts.map((p) => (hasTopLevel(p, '||') ? `(${p})` : p)).join(' && ');
}

export function or(...terms: string[]): string {
  const parts = [...new Set(terms.map((t) => t.trim()).filter(Boolean))];
  if (!parts.length) return '0';
  if (parts.includes(TRUE)) return TRUE;
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => (hasTopLevel(p, '&&') || hasTopLevel(p, '||') ? `(${p})` : p)).join(' || ');
}

export function not(term: string): string {
  const t = term.trim();
  if (t === TRUE) return '0';
  if (t === '0') return TRUE;
  if (/^!?[A-Za-z_]\w*(\([A-Za-z_]\w*\))?$/.test(t)) return t.startsWith('!') ? t.slice(1) : `!${t}`;
  return `!(${t})`;
}

function hasTopLevel(s: string, op: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (depth === 0 && s.startsWith(op, i)) return true;
  }
  return false;
}

/** `#if`/`#ifdef` argument text in canonical form. */
export function normaliseDirective(directive: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'elifdef' | 'elifndef', rest: string): string {
  const expr = stripComments(rest).trim();
  if (directive === 'ifdef' || directive === 'elifdef') return `defined(${expr.split(/\s/)[0]})`;
  if (directive === 'ifndef' || directive === 'elifndef') return `!defined(${expr.split(/\s/)[0]})`;
  return expr
    .replace(/\bdefined\s*\(\s*([A-Za-z_]\w*)\s*\)/g, 'defined($1)')
    .replace(/\bdefined\s+([A-Za-z_]\w*)/g, 'defined($1)')
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/(?<!\s)\s+\)/g, ')');
}

function stripComments(s: string): string {
  return cutAt(cutAt(s.replace(/\/\*.*?\*\//g, ' '), '//'), '/*');
}

// ---- parsing -------------------------------------------------------------------

type Node =
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'not'; a: Node }
  | { t: 'cmp'; op: string; a: Node; b: Node }
  | { t: 'arith'; a: Node; b: Node }
  | { t: 'num'; v: number }
  | { t: 'defined'; name: string }
  | { t: 'config'; fn: 'IS_ENABLED' | 'IS_BUILTIN' | 'IS_MODULE' | 'IS_REACHABLE'; name: string }
  | { t: 'ident'; name: string }
  | { t: 'opaque'; text: string };

const TOKEN = /\s*(\|\||&&|==|!=|<=|>=|<<|>>|[!()<>+\-*/%&|^~?:,]|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|\S)/y;

function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (s.startsWith('make:', i)) {
      // one opaque atom as make.ts writes it (no spaces, parentheses balanced):
      // make:ifeq($(ARCH),x86) must not fall apart into tokens
      let j = i + 5;
      for (let depth = 0; j < s.length; j++) {
        const c = s[j]!;
        if (c === '(') depth++;
        else if (c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (/\s/.test(c) || s.startsWith('&&', j) || s.startsWith('||', j))) break;
      }
      out.push(s.slice(i, j));
      i = j;
      continue;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    if (!m) break;
    out.push(m[1]!);
    i = TOKEN.lastIndex;
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: string[]) {}
  private peek(): string | undefined {
    return this.toks[this.i];
  }
  private take(): string | undefined {
    return this.toks[this.i++];
  }
  parse(): Node {
    const n = this.or();
    if (this.i < this.toks.length) return { t: 'opaque', text: this.toks.join(' ') };
    return n;
  }
  private or(): Node {
    let a = this.and();
    while (this.peek() === '||') {
      this.take();
      a = { t: 'or', a, b: this.and() };
    }
    return a;
  }
  private and(): Node {
    let a = this.cmp();
    while (this.peek() === '&&') {
      this.take();
      a = { t: 'and', a, b: this.cmp() };
    }
    return a;
  }
  private cmp(): Node {
    let a = this.arith();
    while (['==', '!=', '<', '>', '<=', '>='].includes(this.peek() ?? '')) {
      const op = this.take()!;
      a = { t: 'cmp', op, a, b: this.arith() };
    }
    return a;
  }
  private arith(): Node {
    let a = this.unary();
    while (['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'].includes(this.peek() ?? '')) {
      this.take();
      a = { t: 'arith', a, b: this.unary() };
    }
    return a;
  }
  private unary(): Node {
    const t = this.peek();
    if (t === '!') {
      this.take();
      return { t: 'not', a: this.unary() };
    }
    if (t === '-' || t === '~' || t === '+') {
      this.take();
      return { t: 'arith', a: { t: 'num', v: 0 }, b: this.unary() };
    }
    return this.primary();
  }
  private primary(): Node {
    const t = this.take();
    if (t === undefined) return { t: 'opaque', text: '' };
    if (t === '(') {
      const n = this.or();
      if (this.peek() === ')') this.take();
      return n;
    }
    if (/^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.test(t)) return { t: 'num', v: Number(t.replace(/(?<![uUlL])[uUlL]+$/, '')) };
    if (t === 'defined') {
      let name: string | undefined;
      if (this.peek() === '(') {
        this.take();
        name = this.take();
        if (this.peek() === ')') this.take();
      } else name = this.take();
      return { t: 'defined', name: name ?? '' };
    }
    if (t === 'IS_ENABLED' || t === 'IS_BUILTIN' || t === 'IS_MODULE' || t === 'IS_REACHABLE') {
      if (this.peek() === '(') {
        this.take();
        const name = this.take() ?? '';
        if (this.peek() === ')') this.take();
        return { t: 'config', fn: t, name };
      }
    }
    if (t.startsWith('make:')) return { t: 'opaque', text: t };
    if (/^[A-Za-z_]\w*$/.test(t)) {
      // a function-like macro call we do not know: swallow its arguments
      if (this.peek() === '(') {
        let depth = 0;
        const parts = [t];
        do {
          const x = this.take();
          if (x === undefined) break;
          parts.push(x);
          if (x === '(') depth++;
          if (x === ')') depth--;
        } while (depth > 0);
        return { t: 'opaque', text: parts.join('') };
      }
      return { t: 'ident', name: t };
    }
    return { t: 'opaque', text: t };
  }
}

const cache = new Map<string, Node>();

export function parseCondition(text: string): Node {
  let n = cache.get(text);
  if (!n) {
    n = new Parser(tokenize(text)).parse();
    if (cache.size > 50_000) cache.clear();
    cache.set(text, n);
  }
  return n;
}

// ---- evaluation ---------------------------------------------------------------------

/** Macros whose value is known for kernel C code whatever the config. */
const KNOWN_MACROS: Record<string, Tri> = {
  __KERNEL__: 'true',
  __ASSEMBLY__: 'false', // C code, not assembly: what a reference from C sees
  __CHECKER__: 'false',
  __GENKSYMS__: 'false',
  __BOOTER__: 'false',
};

function truthy(v: number | 'unknown'): Tri {
  return v === 'unknown' ? 'unknown' : v !== 0 ? 'true' : 'false';
}

function configOf(name: string, env: Assignment): ConfigValue | undefined {
  return env.get(name.replace(/^CONFIG_/, ''));
}

/**
 * Evaluation mode. Kbuild and Kconfig conditions (the default) read
 * `defined(CONFIG_X)` as "X is y or m" (obj-$(CONFIG_X) builds either way). In
 * C (`preprocessor`), autoconf.h defines CONFIG_X only for =y and
 * CONFIG_X_MODULE for =m, so `#ifdef CONFIG_X` is false for a module.
 */
export interface EvalOptions {
  preprocessor?: boolean;
}

function value(n: Node, env: Assignment, pp = false): number | 'unknown' {
  switch (n.t) {
    case 'num':
      return n.v;
    case 'ident': {
      if (n.name.startsWith('CONFIG_')) {
        const v = configOf(n.name, env);
        // a tristate CONFIG_X is 1 when =y; =m defines CONFIG_X_MODULE instead
        return v === undefined ? 'unknown' : v === 'y' ? 1 : 0;
      }
      const known = KNOWN_MACROS[n.name];
      return known === 'true' ? 1 : known === 'false' ? 0 : 'unknown';
    }
    case 'arith':
      return 'unknown';
    default: {
      const t = evaluateNode(n, env, pp);
      return t === 'unknown' ? 'unknown' : t === 'true' ? 1 : 0;
    }
  }
}

function evaluateNode(n: Node, env: Assignment, pp = false): Tri {
  switch (n.t) {
    case 'and': {
      const a = evaluateNode(n.a, env, pp);
      if (a === 'false') return 'false';
      const b = evaluateNode(n.b, env, pp);
      if (b === 'false') return 'false';
      return a === 'true' && b === 'true' ? 'true' : 'unknown';
    }
    case 'or': {
      const a = evaluateNode(n.a, env, pp);
      if (a === 'true') return 'true';
      const b = evaluateNode(n.b, env, pp);
      if (b === 'true') return 'true';
      return a === 'false' && b === 'false' ? 'false' : 'unknown';
    }
    case 'not': {
      const a = evaluateNode(n.a, env, pp);
      return a === 'true' ? 'false' : a === 'false' ? 'true' : 'unknown';
    }
    case 'defined': {
      if (n.name.startsWith('CONFIG_')) {
        const base = n.name.replace(/_MODULE$/, '');
        const v = configOf(base, env);
        if (v === undefined) return 'unknown';
        if (n.name.endsWith('_MODULE') && base !== n.name) return v === 'm' ? 'true' : 'false';
        if (pp) return v === 'y' ? 'true' : 'false';
        return v === 'n' ? 'false' : 'true';
      }
      return KNOWN_MACROS[n.name] ?? 'unknown';
    }
    case 'config': {
      const v = configOf(n.name, env);
      if (v === undefined) return 'unknown';
      switch (n.fn) {
        case 'IS_ENABLED':
          return v === 'n' ? 'false' : 'true';
        case 'IS_BUILTIN':
          return v === 'y' ? 'true' : 'false';
        case 'IS_MODULE':
          return v === 'm' ? 'true' : 'false';
        case 'IS_REACHABLE':
          return v === 'n' ? 'false' : v === 'y' ? 'true' : 'unknown';
      }
      return 'unknown';
    }
    case 'cmp': {
      const a = value(n.a, env, pp);
      const b = value(n.b, env, pp);
      if (a === 'unknown' || b === 'unknown') return 'unknown';
      switch (n.op) {
        case '==':
          return truthy(a === b ? 1 : 0);
        case '!=':
          return truthy(a !== b ? 1 : 0);
        case '<':
          return truthy(a < b ? 1 : 0);
        case '>':
          return truthy(a > b ? 1 : 0);
        case '<=':
          return truthy(a <= b ? 1 : 0);
        case '>=':
          return truthy(a >= b ? 1 : 0);
      }
      return 'unknown';
    }
    case 'num':
    case 'ident':
    case 'arith':
      return truthy(value(n, env, pp));
    case 'opaque':
      return 'unknown';
  }
}

export function evaluate(text: string, env: Assignment, opts: EvalOptions = {}): Tri {
  if (text === TRUE) return 'true';
  if (text === '0') return 'false';
  return evaluateNode(parseCondition(text), env, Boolean(opts.preprocessor));
}

/** CONFIG_ names a condition mentions. */
export function configsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\bCONFIG_([A-Za-z0-9_]+)/g)].map((m) => m[1]!.replace(/_MODULE$/, '')))];
}

/** "CONFIG_SMP=y,CONFIG_MMU=n" (or "SMP=y MMU=n", or "!SMP") to an assignment. */
export function parseAssignment(spec: string): Assignment {
  const env: Assignment = new Map();
  for (const part of spec.split(/[,\s]+/).filter(Boolean)) {
    const neg = /^!(?:CONFIG_)?([A-Za-z0-9_]+)$/.exec(part);
    if (neg) {
      env.set(neg[1]!, 'n');
      continue;
    }
    const m = /^(?:CONFIG_)?([A-Za-z0-9_]+)(?:=([ymn]))?$/.exec(part);
    if (!m) throw new Error(`cannot read config setting "${part}" (want CONFIG_X=y|m|n)`);
    env.set(m[1]!, (m[2] as ConfigValue | undefined) ?? 'y');
  }
  return env;
}
