// Preprocessor guards: a condition that gains a conjunct (`#if X` → `#if X &&
// defined(CONFIG_SMP)`) narrows the configs that compile the code; one that
// gains a disjunct widens them; a new #ifdef around existing code, or a new
// `if (IS_ENABLED(CONFIG_X))` that leans on dead-code elimination, adds a guard.
// The other direction: an #ifdef deleted around code that stays, or turned
// into `if (IS_ENABLED())`; and IS_ENABLED() narrowed to IS_REACHABLE().
// Each guard says what it wraps: a definition, or a use.

import type { DiffLine, Effect, FileDiff, Hunk, Patch } from '../../core/types.js';
import { callsIn, isCSource, isMakefile, replacements, topLevelNames } from './diff-view.js';
import { escapeRegExp } from '../../extract/literal.js';
import { cutAt } from '../../core/text.js';

// the condition starts at its first non-blank (`\s*(.*)` let the two share the blanks: quadratic)
const PP_IF = /^\s*#\s*(if|ifdef|ifndef|elif)\b\s*((?:\S.*)?)$/;

/** The #if condition as text in one canonical form. */
export function normaliseCondition(directive: string, rest: string): string {
  let expr = cutAt(rest.replace(/\/\*.*?\*\//g, ''), '//').trim();
  if (directive === 'ifdef') expr = `defined(${expr})`;
  if (directive === 'ifndef') expr = `!defined(${expr})`;
  return expr.replace(/defined\s+([A-Za-z_]\w*)/g, 'defined($1)').replace(/\s+/g, ' ').trim();
}

/** Split at top-level `op` ("&&" or "||"), ignoring parentheses. */
export function splitTop(expr: string, op: '&&' | '||'): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && expr.startsWith(op, i)) {
      out.push(cur.trim());
      cur = '';
      i += op.length - 1;
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out.map(stripParens).filter(Boolean);
}

function stripParens(s: string): string {
  let t = s.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}

/** CONFIG_ names in a condition term with polarity: '!defined(CONFIG_SMP)' → SMP=n. */
export function configsOfTerm(term: string): { name: string; value: 'y' | 'n' }[] {
  const out: { name: string; value: 'y' | 'n' }[] = [];
  const re = /(!\s*)?(?:defined\s*\(\s*|IS_ENABLED\s*\(\s*|IS_BUILTIN\s*\(\s*|IS_MODULE\s*\(\s*|IS_REACHABLE\s*\(\s*)?CONFIG_([A-Z0-9_]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(term))) out.push({ name: m[2]!, value: m[1] ? 'n' : 'y' });
  return out;
}

const IS_REACHABLE = /\bIS_REACHABLE\s*\(\s*CONFIG_([A-Z0-9_]+)\s*\)/;
const C_IS_ENABLED = /^\s*(?:\}\s*else\s+)?if\s*\(\s*(?:!\s*)?IS_(?:ENABLED|BUILTIN)\s*\(\s*CONFIG_([A-Z0-9_]+)\s*\)/;

/** The config an `#ifdef CONFIG_X` / `#if IS_ENABLED(CONFIG_X)` / `#if defined(CONFIG_X)` line tests, when it tests one. */
function preprocessorConfig(text: string): string | undefined {
  const m = PP_IF.exec(text);
  if (!m || m[1] === 'elif') return undefined;
  const c = configsOfTerm(normaliseCondition(m[1]!, m[2]!));
  return c.length === 1 ? c[0]!.name : undefined;
}

/** `IS_ENABLED(CONFIG_X)` (or `defined(CONFIG_X)`) becoming `IS_REACHABLE(CONFIG_X)` in an otherwise unchanged condition. */
function madeReachable(removed: string, added: string): string | undefined {
  const m = IS_REACHABLE.exec(added);
  if (!m || IS_REACHABLE.test(removed)) return undefined;
  const name = m[1]!;
  const cfg = escapeRegExp(`CONFIG_${name}`);
  const test = new RegExp(`IS_(?:ENABLED|REACHABLE|BUILTIN)\\s*\\(\\s*${cfg}\\s*\\)|defined\\s*\\(?\\s*${cfg}\\b\\s*\\)?`, 'g');
  const shape = (t: string) => t.replace(new RegExp(`^\\s*#\\s*ifdef\\s+${cfg}\\b`), '#if §').replace(test, '§').replace(/\s+/g, '');
  return shape(removed).includes('§') && shape(removed) === shape(added) ? name : undefined;
}

export function classifyGuards(patch: Patch): Effect[] {
  const out: Effect[] = [];
  const cite = (line: number) => ({ messageId: patch.messageId, line });
  for (const file of patch.files) {
    const path = file.newPath;
    if (!isCSource(path) && !isMakefile(path)) continue;
    // `#ifdef CONFIG_X` lines turned into `if (IS_ENABLED(CONFIG_X))`: their #endif goes too, and is no guard removal
    const converted = new Set<DiffLine>();
    for (const r of replacements(file)) {
      // IS_ENABLED → IS_REACHABLE: the call is compiled out when the provider is a module and the user built in
      const reach = r.removed.map((x) => ({ x, a: r.added.find((a) => madeReachable(x.text, a.text)) })).find((p) => p.a);
      if (reach?.a) {
        const name = madeReachable(reach.x.text, reach.a.text)!;
        out.push({ kind: 'guard-made-reachable', detail: `${path}: \`${reach.x.text.trim()}\` becomes \`${reach.a.text.trim()}\`: the code is dropped whenever CONFIG_${name}=m and its user is built in`, file: path, symbols: [], configs: [`${name}=y`], cite: cite(reach.a.mailLine) });
        continue;
      }
      // #ifdef CONFIG_X around a call → if (IS_ENABLED(CONFIG_X)): coding-style.rst, "Conditional Compilation"
      const ifdef = r.removed.find((x) => preprocessorConfig(x.text));
      const cIf = ifdef && r.added.find((a) => C_IS_ENABLED.exec(a.text)?.[1] === preprocessorConfig(ifdef.text));
      if (ifdef && cIf && isCSource(path)) {
        converted.add(ifdef);
        const calls = r.added.slice(r.added.indexOf(cIf)).flatMap((a) => callsIn(a.text)).filter((c) => !/^IS_/.test(c));
        out.push({ kind: 'ifdef-to-is-enabled', detail: `${path}: \`${ifdef.text.trim()}\` becomes \`${cIf.text.trim()}\`: the code is compiled in every configuration and dropped by the compiler where it is off`, file: path, symbols: [...new Set(calls)], configs: [], cite: cite(cIf.mailLine) });
        continue;
      }
      const before = r.removed.map((l) => ({ l, m: PP_IF.exec(l.text) })).find((x) => x.m);
      const after = r.added.map((l) => ({ l, m: PP_IF.exec(l.text) })).find((x) => x.m);
      if (before?.m && after?.m) {
        const a = normaliseCondition(before.m[1]!, before.m[2]!);
        const b = normaliseCondition(after.m[1]!, after.m[2]!);
        if (a === b) continue;
        const andA = splitTop(a, '&&');
        const andB = splitTop(b, '&&');
        const orA = splitTop(a, '||');
        const orB = splitTop(b, '||');
        const extraAnd = andB.filter((t) => !andA.includes(t));
        const lostAnd = andA.filter((t) => !andB.includes(t));
        const extraOr = orB.filter((t) => !orA.includes(t));
        const lostOr = orA.filter((t) => !orB.includes(t));
        let kind: Effect['kind'] | undefined;
        let terms: string[] = [];
        if (andB.length > andA.length && lostAnd.length === 0) {
          kind = 'guard-narrowed';
          terms = extraAnd;
        } else if (orA.length > orB.length && extraOr.length === 0) {
          kind = 'guard-narrowed';
          terms = lostOr.map((t) => `!(${t})`);
        } else if (orB.length > orA.length && lostOr.length === 0) {
          kind = 'guard-widened';
          terms = extraOr;
        } else if (andA.length > andB.length && extraAnd.length === 0) {
          kind = 'guard-widened';
          terms = lostAnd;
        }
        if (kind) {
          const wrapped = guardedBlock(r.hunk, r.hunk.lines.indexOf(after.l));
          out.push({
            kind,
            detail: `${path}: \`#${before.m[1]} ${before.m[2]!.trim()}\` becomes \`#${after.m[1]} ${after.m[2]!.trim()}\` (${kind === 'guard-narrowed' ? 'adds' : 'relaxes'} ${terms.join(' && ')})${wrapsWhat(wrapped)}`,
            file: path,
            symbols: topLevelNames(wrapped),
            configs: terms.flatMap(configsOfTerm).map((c) => `${c.name}=${c.value}`),
            cite: cite(after.l.mailLine),
          });
          continue;
        }
      }
      // a new #if...#endif pair around lines that already existed
      const opens = r.added.filter((l) => PP_IF.test(l.text) || /^\s*(ifdef|ifndef|ifeq|ifneq)\b/.test(l.text));
      if (opens.length && !r.removed.length) {
        const hunk = r.hunk;
        const idx = hunk.lines.indexOf(r.added[0]!);
        const closeIdx = hunk.lines.findIndex((l, k) => k > idx && l.kind === 'add' && /^\s*#\s*endif\b|^\s*endif\b/.test(l.text));
        const wrapsExisting = closeIdx > idx && hunk.lines.slice(idx, closeIdx).some((l) => l.kind === 'ctx' && l.text.trim() !== '');
        const hasElse = closeIdx > idx && hunk.lines.slice(idx, closeIdx).some((l) => /^\s*#\s*else\b|^\s*else\b/.test(l.text));
        if (wrapsExisting && !hasElse) {
          const cond = opens[0]!.text.trim();
          const wrapped = hunk.lines.slice(idx + 1, closeIdx).filter((l) => l.kind === 'ctx').map((l) => l.text);
          out.push({
            kind: 'guard-added',
            detail: `${path}: existing code is now compiled only under \`${cond}\`${wrapsWhat(wrapped)}`,
            file: path,
            symbols: topLevelNames(wrapped),
            configs: configsOfTerm(cond.replace(/^#\s*ifndef\s+/, '!').replace(/^#\s*ifdef\s+/, '')).map((c) => `${c.name}=${c.value}`),
            cite: cite(opens[0]!.mailLine),
          });
        }
      }
      // if (IS_ENABLED(CONFIG_X)) around a call: the call is only dropped by the optimiser
      const dce = r.added.find((l) => /^\s*if\s*\(\s*(?:!\s*)?IS_(ENABLED|BUILTIN|REACHABLE|MODULE)\s*\(\s*CONFIG_/.test(l.text));
      if (dce && isCSource(path)) {
        out.push({
          kind: 'guard-added',
          detail: `${path}: \`${dce.text.trim()}\` relies on dead-code elimination to drop the reference`,
          file: path,
          symbols: [],
          configs: configsOfTerm(dce.text).map((c) => `${c.name}=${c.value}`),
          cite: cite(dce.mailLine),
        });
      }
    }
    if (isCSource(path)) out.push(...removedGuards(patch, file, converted));
  }
  return out;
}

/** The lines between an #if at `idx` and its #endif in the new file (context and added lines). */
function guardedBlock(hunk: Hunk, idx: number): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const l of hunk.lines.slice(idx + 1)) {
    if (l.kind === 'del') continue;
    if (PP_IF.test(l.text) && !/^\s*#\s*elif/.test(l.text)) depth++;
    if (/^\s*#\s*endif\b/.test(l.text) && depth-- === 0) break;
    out.push(l.text);
  }
  return out;
}

function wrapsWhat(lines: string[]): string {
  const names = topLevelNames(lines);
  return names.length ? ` around the definition of ${names.slice(0, 3).join(', ')}` : lines.some((t) => callsIn(t).length) ? ' around a use' : '';
}

/**
 * `#ifdef CONFIG_X` … `#endif` deleted around code that stays, or moved so
 * that some of the code leaves it: that code is now compiled in every
 * configuration. The pair may sit in different hunks; the lines git did not
 * show are assumed balanced.
 */
function removedGuards(patch: Patch, file: FileDiff, converted: Set<DiffLine>): Effect[] {
  const out: Effect[] = [];
  const push = (open: DiffLine, lines: string[]) => {
    const names = topLevelNames(lines);
    const cond = open.text.trim();
    out.push({
      kind: 'guard-removed',
      detail: `${file.newPath}: \`${cond}\` ${open.kind === 'del' ? 'is removed' : 'no longer covers the code'}${names.length ? ` around ${names.slice(0, 3).join(', ')}` : ''}: the code is compiled in every configuration`,
      file: file.newPath,
      symbols: names,
      configs: configsOfTerm(cond.replace(/^#\s*ifndef\s+/, '!').replace(/^#\s*ifdef\s+/, '')).map((c) => `${c.name}=${c.value}`),
      cite: { messageId: patch.messageId, line: open.mailLine },
    });
  };
  // an #if moved down (or an #endif moved up) in the same hunk: the lines it passes leave the guard
  const moved = new Set<DiffLine>();
  for (const h of file.hunks) {
    h.lines.forEach((l, i) => {
      const isIf = PP_IF.test(l.text) && !/^\s*#\s*elif/.test(l.text);
      const isEndif = /^\s*#\s*endif\b/.test(l.text);
      if (l.kind !== 'del' || (!isIf && !isEndif)) return;
      const same = (x: DiffLine) => x.kind === 'add' && x.text.trim() === l.text.trim() && !moved.has(x);
      const j = isIf ? h.lines.findIndex((x, k) => k > i && same(x)) : h.lines.map((x, k) => (k < i && same(x) ? k : -1)).reduce((a, b) => Math.max(a, b), -1);
      if (j < 0) return;
      moved.add(l).add(h.lines[j]!);
      const passed = h.lines.slice(Math.min(i, j) + 1, Math.max(i, j)).filter((x) => x.kind === 'ctx').map((x) => x.text);
      if (isIf) push(l, passed);
      else push(h.lines[j]!, passed);
    });
  }
  const stack: { open?: DiffLine; lines: string[] }[] = [];
  for (const h of file.hunks) {
    for (const l of h.lines) {
      if (moved.has(l)) continue;
      const isIf = PP_IF.test(l.text) && !/^\s*#\s*elif/.test(l.text);
      const isEndif = /^\s*#\s*endif\b/.test(l.text);
      if (isIf) {
        // only a deleted #if that is not rewritten in place opens a removal
        const rewritten = l.kind === 'del' && h.lines.some((x) => x.kind === 'add' && PP_IF.test(x.text) && Math.abs(x.mailLine - l.mailLine) <= 2);
        stack.push({ open: l.kind === 'del' && !rewritten && !converted.has(l) ? l : undefined, lines: [] });
        continue;
      }
      if (isEndif) {
        const top = stack.pop();
        if (top?.open && l.kind === 'del') push(top.open, top.lines);
        continue;
      }
      if (l.kind !== 'del') for (const s of stack) s.lines.push(l.text);
    }
  }
  return out;
}
