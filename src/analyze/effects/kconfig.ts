// Kconfig edits, per config symbol: `depends on` gained (BROKEN, !X, X),
// dropped or relaxed; `select` added, made conditional (`select X if Y`) or
// turned into `depends on`; tristate turned into bool (built-in only).

import type { Effect, Patch } from '../../core/types.js';
import { splitTop } from './guards.js';
import { isKconfig } from './diff-view.js';

const CONFIG_LINE = /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$/;
const ATTR = /^\s*(depends on|select|imply|default|bool|tristate|def_bool|def_tristate)\b\s*(.*?)\s*(?:#.*)?$/;

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
        if (!a) continue;
        let b = blocks.get(symbol);
        if (!b) {
          b = { symbol, removed: [], added: [] };
          blocks.set(symbol, b);
        }
        (l.kind === 'add' ? b.added : b.removed).push({ kind: a[1]!, value: a[2]!.trim(), line: l.mailLine });
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
          const [target, cond] = a.value.split(/\s+if\s+/);
          return { kind: a.kind as 'select' | 'imply', target: target!.trim(), ...(cond ? { cond: cond.trim() } : {}) };
        }),
        line: first.line,
      });
    }
  }
  return out;
}

function symbolsIn(expr: string): string[] {
  return [...expr.matchAll(/[A-Za-z][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((s) => s !== 'if' && s !== 'y' && s !== 'n' && s !== 'm');
}

function terms(expr: string): string[] {
  return splitTop(expr, '&&');
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
      const gained = newTerms.filter((t) => !oldTerms.includes(t));
      const lost = oldTerms.filter((t) => !newTerms.includes(t));
      for (const t of gained) {
        const line = addDeps.find((a) => a.value.includes(t))?.line ?? addDeps[0]!.line;
        // a term with "|| X" inside, replacing a term without it, relaxes rather than adds
        const relaxes = lost.some((old) => splitTop(t, '||').includes(old));
        if (relaxes) {
          push('kconfig-changed', `dependency relaxed to \`${t}\``, line, symbolsIn(t));
        } else if (/\bBROKEN\b/.test(t)) {
          push('depends-on-broken', `gains \`depends on ${t}\`: the option can no longer be enabled where it breaks`, line, symbolsIn(t), [`BROKEN=y`]);
        } else if (/^!\s*[A-Za-z]/.test(t)) {
          push('depends-on-negated', `gains \`depends on ${t}\``, line, symbolsIn(t), symbolsIn(t).map((s) => `${s}=n`));
        } else {
          push('depends-on-added', `gains \`depends on ${t}\``, line, symbolsIn(t), symbolsIn(t).map((s) => `${s}=y`));
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
        const target = s.value.split(/\s+if\s+/)[0]!.trim();
        const cond = s.value.split(/\s+if\s+/)[1];
        const was = remSel.find((r) => r.value.split(/\s+if\s+/)[0]!.trim() === target);
        if (was && cond && !/\s+if\s+/.test(was.value)) push('select-made-conditional', `\`select ${was.value}\` becomes \`select ${s.value}\``, s.line, [target, ...symbolsIn(cond)]);
        else if (!was) push('select-added', `gains \`${s.kind} ${s.value}\``, s.line, [target]);
      }
      for (const r of remSel) {
        const target = r.value.split(/\s+if\s+/)[0]!.trim();
        if (addSel.some((s) => s.value.split(/\s+if\s+/)[0]!.trim() === target)) continue;
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
