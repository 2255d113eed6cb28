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
  return expr
    .replace(/defined\s+([A-Za-z_]\w*)/g, 'defined($1)')
    .replace(/\s+/g, ' ')
    .trim();
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

/** A line with its tests of CONFIG_`name` made '§', blanks dropped; undefined when it has none (no '§'). */
function reachableShape(t: string, name: string): string | undefined {
  const cfg = escapeRegExp(`CONFIG_${name}`);
  const test = new RegExp(`IS_(?:ENABLED|REACHABLE|BUILTIN)\\s*\\(\\s*${cfg}\\s*\\)|defined\\s*\\(?\\s*${cfg}\\b\\s*\\)?`, 'g');
  const shape = t
    .replace(new RegExp(`^\\s*#\\s*ifdef\\s+${cfg}\\b`), '#if §')
    .replace(test, '§')
    .replace(/\s+/g, '');
  return shape.includes('§') ? shape : undefined;
}

/** The whole words after each `CONFIG_` of a line: the names it can test. */
function configWords(t: string): Set<string> {
  const out = new Set<string>();
  let end = -1;
  for (let at = t.indexOf('CONFIG_'); at >= 0; at = t.indexOf('CONFIG_', at + 1)) {
    // an occurrence inside the word the last one read ends where that word ends
    if (at + 7 > end) for (end = at + 7; end < t.length && /\w/.test(t[end]!); end++);
    if (end > at + 7) out.add(t.slice(at + 7, end));
  }
  return out;
}

/**
 * `IS_ENABLED(CONFIG_X)` (or `defined(CONFIG_X)`) becoming `IS_REACHABLE(CONFIG_X)`
 * in an otherwise unchanged condition: the first removed line that an added line makes reachable, with
 * the first such added line: the added lines indexed by name and shape, so each
 * removed line is looked up, not compared with every added one (quadratic).
 */
function firstMadeReachable(removed: DiffLine[], added: DiffLine[]): { x: DiffLine; a: DiffLine; name: string } | undefined {
  const byName = new Map<string, Map<string, number>>();
  added.forEach((a, i) => {
    const name = IS_REACHABLE.exec(a.text)?.[1];
    if (name === undefined) return;
    const shape = reachableShape(a.text, name);
    if (shape === undefined) return;
    const shapes = byName.get(name) ?? new Map<string, number>();
    byName.set(name, shapes);
    if (!shapes.has(shape)) shapes.set(shape, i);
  });
  if (!byName.size) return undefined;
  for (const x of removed) {
    if (IS_REACHABLE.test(x.text)) continue;
    // a literal '§' matches a shape of any name: then every name is a candidate
    const names = x.text.includes('§') ? [...byName.keys()] : [...configWords(x.text)].filter((n) => byName.has(n));
    let first = Infinity;
    for (const name of names) {
      const shape = reachableShape(x.text, name);
      const at = shape === undefined ? undefined : byName.get(name)!.get(shape);
      if (at !== undefined && at < first) first = at;
    }
    if (first < Infinity) return { x, a: added[first]!, name: IS_REACHABLE.exec(added[first]!.text)![1]! };
  }
  return undefined;
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
      const reach = firstMadeReachable(r.removed, r.added);
      if (reach) {
        const name = reach.name;
        out.push({
          kind: 'guard-made-reachable',
          detail: `${path}: \`${reach.x.text.trim()}\` becomes \`${reach.a.text.trim()}\`: the code is dropped whenever CONFIG_${name}=m and its user is built in`,
          file: path,
          symbols: [],
          configs: [`${name}=y`],
          cite: cite(reach.a.mailLine),
        });
        continue;
      }
      // #ifdef CONFIG_X around a call → if (IS_ENABLED(CONFIG_X)): coding-style.rst, "Conditional Compilation"
      const ifdef = r.removed.find((x) => preprocessorConfig(x.text));
      const cIf = ifdef && r.added.find((a) => C_IS_ENABLED.exec(a.text)?.[1] === preprocessorConfig(ifdef.text));
      if (ifdef && cIf && isCSource(path)) {
        converted.add(ifdef);
        const calls = r.added
          .slice(r.added.indexOf(cIf))
          .flatMap((a) => callsIn(a.text))
          .filter((c) => !/^IS_/.test(c));
        out.push({
          kind: 'ifdef-to-is-enabled',
          detail: `${path}: \`${ifdef.text.trim()}\` becomes \`${cIf.text.trim()}\`: the code is compiled in every configuration and dropped by the compiler where it is off`,
          file: path,
          symbols: [...new Set(calls)],
          configs: [],
          cite: cite(cIf.mailLine),
        });
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
          const wrapped = hunk.lines
            .slice(idx + 1, closeIdx)
            .filter((l) => l.kind === 'ctx')
            .map((l) => l.text);
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
/** The first index of the sorted `list` whose value is above `v` (list.length when none). */
function firstAfter(list: number[], v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Follows `links` from `at` to an entry that links to itself (one not taken; a
 * taken one links to its neighbour on the side searched), shortening the path.
 * Out of range (-1, or the length) when every entry that way is taken.
 */
function untaken(links: number[], at: number): number {
  let k = at;
  while (k >= 0 && k < links.length && links[k] !== k) k = links[k]!;
  for (let j = at; j >= 0 && j < links.length && links[j] !== j;) {
    const t = links[j]!;
    links[j] = k;
    j = t;
  }
  return k;
}

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
    // the added lines of each text, in order, each taken at most once: the next one not yet
    // taken is found by pointers that skip the taken (a search of the hunk per line was quadratic)
    const addedAt = new Map<string, number[]>();
    h.lines.forEach((x, k) => {
      if (x.kind === 'add') addedAt.get(x.text.trim())?.push(k) ?? addedAt.set(x.text.trim(), [k]);
    });
    const links = new Map<string, number[]>();
    // the context lines' places, for the lines a moved guard passes
    const ctxAt = h.lines.flatMap((x, k) => (x.kind === 'ctx' ? [k] : []));
    h.lines.forEach((l, i) => {
      const isIf = PP_IF.test(l.text) && !/^\s*#\s*elif/.test(l.text);
      const isEndif = /^\s*#\s*endif\b/.test(l.text);
      if (l.kind !== 'del' || (!isIf && !isEndif)) return;
      const text = l.text.trim();
      const at = addedAt.get(text) ?? [];
      const link = links.get(text) ?? at.map((_, n) => n);
      links.set(text, link);
      // the first added copy after it (#if), or the last one before it (#endif), not yet taken
      const found = untaken(link, isIf ? firstAfter(at, i) : firstAfter(at, i) - 1);
      if (found < 0 || found >= at.length) return;
      link[found] = found + (isIf ? 1 : -1);
      const j = at[found]!;
      moved.add(l).add(h.lines[j]!);
      const passed = ctxAt.slice(firstAfter(ctxAt, Math.min(i, j)), firstAfter(ctxAt, Math.max(i, j) - 1)).map((k) => h.lines[k]!.text);
      if (isIf) push(l, passed);
      else push(h.lines[j]!, passed);
    });
  }
  // the lines inside the open guards, kept once: a guard's lines are those added since it opened
  const inside: string[] = [];
  const stack: { open?: DiffLine; from: number }[] = [];
  for (const h of file.hunks) {
    const ifAdded = new Set(h.lines.filter((x) => x.kind === 'add' && PP_IF.test(x.text)).map((x) => x.mailLine));
    for (const l of h.lines) {
      if (moved.has(l)) continue;
      const isIf = PP_IF.test(l.text) && !/^\s*#\s*elif/.test(l.text);
      const isEndif = /^\s*#\s*endif\b/.test(l.text);
      if (isIf) {
        // only a deleted #if that is not rewritten in place opens a removal
        const rewritten = l.kind === 'del' && [-2, -1, 0, 1, 2].some((d) => ifAdded.has(l.mailLine + d));
        stack.push({ open: l.kind === 'del' && !rewritten && !converted.has(l) ? l : undefined, from: inside.length });
        continue;
      }
      if (isEndif) {
        const top = stack.pop();
        if (top?.open && l.kind === 'del') push(top.open, inside.slice(top.from));
        continue;
      }
      if (l.kind !== 'del' && stack.length) inside.push(l.text);
    }
  }
  return out;
}
