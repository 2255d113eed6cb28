// Kconfig edits, per config symbol: `depends on` gained (BROKEN, !X, X, the
// `X || !X` reachability idiom), dropped or relaxed; COMPILE_TEST coverage
// taken away; `select` added, made conditional (`select X if Y`), narrowed
// (`if A` → `if A && B`) or turned into `depends on`; tristate turned into
// bool (built-in only).

import type { Effect, Patch } from '../../core/types.js';
import { splitTop } from './guards.js';
import { isKconfig } from './diff-view.js';
import { valueBeforeComment } from '../../core/text.js';

const CONFIG_LINE = /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$/;
// the value (the rest of the line before a '#' comment) is read by valueBeforeComment: `\s*(.*?)\s*(?:#.*)?$`
// tried every split of a long line between the blanks, the value and the comment
const ATTR = /^\s*(depends on|select|imply|default|bool|tristate|def_bool|def_tristate)\b/;
/** `select X if Y`: the blanks around `if` (starting where they start: retried inside a run of blanks, `\s+` was quadratic). */
const IF_SEP = /(?<!\s)\s+if\s+/;

interface Attr {
  kind: string;
  value: string;
  line: number;
}

interface Block {
  symbol: string;
  removed: Attr[];
  added: Attr[];
}

function collect(patch: Patch): { path: string; blocks: Block[] }[] {
  const out: { path: string; blocks: Block[] }[] = [];
  for (const f of patch.files) {
    if (!isKconfig(f.newPath)) continue;
    const blocks = new Map<string, Block>();
    for (const h of f.hunks) {
      let symbol = CONFIG_LINE.exec(h.section)?.[1] ?? '?';
      for (const l of h.lines) {
        const c = CONFIG_LINE.exec(l.text);
        if (c) {
          symbol = c[1]!;
          continue;
        }
        if (l.kind === 'ctx') continue;
        const a = ATTR.exec(l.text);
        const value = a ? valueBeforeComment(l.text.slice(a[0].length)) : undefined;
        if (!a || value === undefined) continue;
        let b = blocks.get(symbol);
        if (!b) {
          b = { symbol, removed: [], added: [] };
          blocks.set(symbol, b);
        }
        (l.kind === 'add' ? b.added : b.removed).push({ kind: a[1]!, value: value.trim(), line: l.mailLine });
      }
    }
    out.push({ path: f.newPath, blocks: [...blocks.values()] });
  }
  return out;
}

/** A list of `depends on` lines as its top-level `&&` terms, spaces dropped: comparable between mail and tree. */
export function dependsTerms(deps: string[]): string[] {
  return deps.flatMap((d) => splitTop(d, '&&')).map((t) => t.replace(/\s+/g, ''));
}

export function sameTerms(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t));
}

export interface KconfigEdit {
  path: string;
  /** `depends on` terms (as dependsTerms gives them) the patch removes and adds */
  removed: string[];
  added: string[];
  /** the `select`/`imply` lines the patch adds: target and condition */
  selects: { kind: 'select' | 'imply'; target: string; cond?: string }[];
  line: number;
}

/** Per config symbol (bare name), what a patch does to its `depends on`, `select` and `imply` lines. */
export function kconfigEdits(patch: Patch): Map<string, KconfigEdit> {
  const out = new Map<string, KconfigEdit>();
  for (const { path, blocks } of collect(patch)) {
    for (const b of blocks) {
      const removed = b.removed.filter((a) => a.kind === 'depends on');
      const added = b.added.filter((a) => a.kind === 'depends on');
      const selects = b.added.filter((a) => a.kind === 'select' || a.kind === 'imply');
      const first = added[0] ?? removed[0] ?? selects[0];
      if (!first) continue;
      out.set(b.symbol, {
        path,
        removed: dependsTerms(removed.map((a) => a.value)),
        added: dependsTerms(added.map((a) => a.value)),
        selects: selects.map((a) => {
          const [target, cond] = a.value.split(IF_SEP);
          return { kind: a.kind as 'select' | 'imply', target: target!.trim(), ...(cond ? { cond: cond.trim() } : {}) };
        }),
        line: first.line,
      });
    }
  }
  return out;
}

function symbolsIn(expr: string): string[] {
  // 64BIT is a symbol too: a name may start with digits, but is not a number
  return [...expr.matchAll(/\b\d*[A-Z_a-z]\w*\b/g)].map((m) => m[0]).filter((s) => s !== 'if' && s !== 'y' && s !== 'n' && s !== 'm');
}

function terms(expr: string): string[] {
  return splitTop(expr, '&&');
}

/** Top-level conjuncts, looking inside one pair of outer parentheses: `(A && B)` → [A, B]. */
export function conjuncts(expr: string): string[] {
  let parts = splitTop(expr, '&&');
  while (parts.length === 1 && parts[0] !== expr.trim() && splitTop(parts[0]!, '&&').length > 1) parts = splitTop(parts[0]!, '&&');
  return parts.map((t) => t.replace(/\s+/g, ''));
}

function disjuncts(term: string): string[] {
  return splitTop(term, '||').map((t) => t.replace(/\s+/g, ''));
}

const REACHABLE_PAIR = [
  // `X || !X`, `X || X=n`: a built-in user may not pair with a modular X (kconfig-language.rst, "optional dependencies")
  (a: string, b: string) => b === `!${a}` || b === `${a}=n`,
  // `m || X`: the user is capped at m unless X is built in
  (a: string, b: string) => a === 'm' && /^[A-Za-z0-9_]+$/.test(b),
];

/** The idioms that keep a built-in user from linking against a modular provider. */
export function isReachabilityIdiom(term: string): boolean {
  const d = disjuncts(term);
  if (d.length === 1) return /^[A-Z0-9_]+=y$/.test(d[0]!);
  if (d.length !== 2) return false;
  const [a, b] = d as [string, string];
  return REACHABLE_PAIR.some((same) => same(a, b) || same(b, a));
}

/**
 * `A || COMPILE_TEST` becoming `A`, or `A || (COMPILE_TEST && B)`: compile
 * testing of the option is taken away or narrowed. Returns the gained term
 * that does it, when one does.
 */
function compileTestNarrowing(lost: string, gained: string[]): string | undefined {
  const old = disjuncts(lost);
  if (!old.includes('COMPILE_TEST')) return undefined;
  const rest = old.filter((d) => d !== 'COMPILE_TEST');
  return gained.find((g) => {
    const now = disjuncts(g);
    const others = now.filter((d) => !/\bCOMPILE_TEST\b/.test(d));
    const ct = now.filter((d) => /\bCOMPILE_TEST\b/.test(d));
    return sameTerms(others, rest) && ct.every((d) => d !== 'COMPILE_TEST');
  });
}

export function classifyKconfig(patch: Patch): Effect[] {
  const out: Effect[] = [];
  for (const { path, blocks } of collect(patch)) {
    for (const b of blocks) {
      const cite = (line: number) => ({ messageId: patch.messageId, line });
      const push = (kind: Effect['kind'], detail: string, line: number, symbols: string[], configs: string[] = []) =>
        out.push({ kind, detail: `${path}: config ${b.symbol}: ${detail}`, file: path, symbols: [b.symbol, ...symbols], configs, cite: cite(line) });
      const remDeps = b.removed.filter((a) => a.kind === 'depends on');
      const addDeps = b.added.filter((a) => a.kind === 'depends on');
      const oldTerms = remDeps.flatMap((a) => terms(a.value));
      const newTerms = addDeps.flatMap((a) => terms(a.value));
      let gained = newTerms.filter((t) => !oldTerms.includes(t));
      let lost = oldTerms.filter((t) => !newTerms.includes(t));
      // COMPILE_TEST coverage taken away: randconfig stops generating the failing config
      for (const old of [...lost]) {
        const g = compileTestNarrowing(old, gained);
        if (g === undefined) continue;
        const line = addDeps.find((a) => a.value.includes(g))?.line ?? addDeps[0]!.line;
        push('compile-test-narrowed', `\`depends on ${old}\` becomes \`depends on ${g}\`: compile testing no longer builds it`, line, symbolsIn(g), ['COMPILE_TEST=n']);
        gained = gained.filter((t) => t !== g);
        lost = lost.filter((t) => t !== old);
      }
      for (const t of gained) {
        const line = addDeps.find((a) => a.value.includes(t))?.line ?? addDeps[0]!.line;
        // a term with "|| X" inside, replacing a term without it, relaxes rather than adds
        const relaxes = lost.some((old) => splitTop(t, '||').includes(old));
        if (relaxes) {
          push('kconfig-changed', `dependency relaxed to \`${t}\``, line, symbolsIn(t));
        } else if (b.symbol === 'COMPILE_TEST' || t.replace(/\s+/g, '') === '!COMPILE_TEST') {
          push(
            'compile-test-narrowed',
            b.symbol === 'COMPILE_TEST' ? `COMPILE_TEST itself gains \`depends on ${t}\`: compile testing is switched off there` : `gains \`depends on ${t}\`: compile testing no longer builds it`,
            line,
            symbolsIn(t),
            ['COMPILE_TEST=n'],
          );
        } else if (isReachabilityIdiom(t)) {
          push(
            'depends-on-reachable',
            `gains \`depends on ${t}\`: a built-in user can no longer pair with a modular ${symbolsIn(t).find((x) => x !== 'm') ?? 'provider'}`,
            line,
            symbolsIn(t).filter((x) => x !== 'm'),
          );
        } else if (/\bBROKEN\b/.test(t)) {
          push('depends-on-broken', `gains \`depends on ${t}\`: the option can no longer be enabled where it breaks`, line, symbolsIn(t), [`BROKEN=y`]);
        } else if (/^!\s*[A-Za-z]/.test(t)) {
          push(
            'depends-on-negated',
            `gains \`depends on ${t}\``,
            line,
            symbolsIn(t),
            symbolsIn(t).map((s) => `${s}=n`),
          );
        } else {
          push(
            'depends-on-added',
            `gains \`depends on ${t}\``,
            line,
            symbolsIn(t),
            symbolsIn(t).map((s) => `${s}=y`),
          );
        }
      }
      for (const t of lost) {
        if (gained.some((g) => splitTop(g, '||').includes(t))) continue;
        const line = remDeps.find((a) => a.value.includes(t))?.line ?? remDeps[0]!.line;
        push('depends-on-removed', `drops \`depends on ${t}\``, line, symbolsIn(t));
      }
      const remSel = b.removed.filter((a) => a.kind === 'select' || a.kind === 'imply');
      const addSel = b.added.filter((a) => a.kind === 'select' || a.kind === 'imply');
      for (const s of addSel) {
        const target = s.value.split(IF_SEP)[0]!.trim();
        const cond = s.value.split(IF_SEP)[1];
        const was = remSel.find((r) => r.value.split(IF_SEP)[0]!.trim() === target);
        const wasCond = was?.value.split(IF_SEP)[1];
        if (!was) push('select-added', `gains \`${s.kind} ${s.value}\``, s.line, [target]);
        else if (cond && !wasCond) push('select-made-conditional', `\`select ${was.value}\` becomes \`select ${s.value}\``, s.line, [target, ...symbolsIn(cond)]);
        else if (cond && wasCond) {
          // `if A` → `if A && B` selects in fewer configurations; the reverse in more
          const before = conjuncts(wasCond);
          const after = conjuncts(cond);
          const extra = after.filter((t) => !before.includes(t));
          const dropped = before.filter((t) => !after.includes(t));
          if (extra.length && !dropped.length) push('select-made-conditional', `\`select ${was.value}\` is narrowed to \`select ${s.value}\``, s.line, [target, ...extra.flatMap(symbolsIn)]);
          // selected in more configurations: as good as a new select there
          else if (dropped.length && !extra.length) push('select-added', `gains \`${s.kind} ${s.value}\` (widened from \`${was.value}\`)`, s.line, [target]);
        } else if (!cond && wasCond) push('select-added', `gains \`${s.kind} ${s.value}\` (was \`${was.value}\`)`, s.line, [target]);
      }
      for (const r of remSel) {
        const target = r.value.split(IF_SEP)[0]!.trim();
        if (addSel.some((s) => s.value.split(IF_SEP)[0]!.trim() === target)) continue;
        const dep = addDeps.find((d) => symbolsIn(d.value).includes(target));
        if (dep) push('select-replaced-by-depends', `\`select ${target}\` becomes \`depends on ${dep.value}\``, dep.line, [target]);
        else push('kconfig-changed', `drops \`select ${r.value}\``, r.line, [target]);
      }
      const wasTristate = b.removed.some((a) => a.kind === 'tristate' || a.kind === 'def_tristate');
      const nowBool = b.added.find((a) => a.kind === 'bool' || a.kind === 'def_bool');
      if (wasTristate && nowBool) push('kconfig-type-changed', 'tristate becomes bool: built in only, never a module', nowBool.line, []);
      const defaults = b.added.filter((a) => a.kind === 'default');
      for (const d of defaults) push('kconfig-changed', `\`default ${d.value}\``, d.line, symbolsIn(d.value));
    }
  }
  return out;
}
