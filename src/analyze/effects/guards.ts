// Preprocessor guards: a condition that gains a conjunct (`#if X` → `#if X &&
// defined(CONFIG_SMP)`) narrows the configs that compile the code; one that
// gains a disjunct widens them; a new #ifdef around existing code, or a new
// `if (IS_ENABLED(CONFIG_X))` that leans on dead-code elimination, adds a guard.

import type { Effect, Patch } from '../../core/types.js';
import { isCSource, isMakefile, replacements } from './diff-view.js';

const PP_IF = /^\s*#\s*(if|ifdef|ifndef|elif)\b\s*(.*)$/;

/** The #if condition as text in one canonical form. */
export function normaliseCondition(directive: string, rest: string): string {
  let expr = rest.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').trim();
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

export function classifyGuards(patch: Patch): Effect[] {
  const out: Effect[] = [];
  for (const file of patch.files) {
    const path = file.newPath;
    if (!isCSource(path) && !isMakefile(path)) continue;
    for (const r of replacements(file)) {
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
          out.push({
            kind,
            detail: `${path}: \`#${before.m[1]} ${before.m[2]!.trim()}\` becomes \`#${after.m[1]} ${after.m[2]!.trim()}\` (${kind === 'guard-narrowed' ? 'adds' : 'relaxes'} ${terms.join(' && ')})`,
            file: path,
            symbols: [],
            configs: terms.flatMap(configsOfTerm).map((c) => `${c.name}=${c.value}`),
            cite: { messageId: patch.messageId, line: after.l.mailLine },
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
          out.push({
            kind: 'guard-added',
            detail: `${path}: existing code is now compiled only under \`${cond}\``,
            file: path,
            symbols: [],
            configs: configsOfTerm(cond.replace(/^#\s*ifndef\s+/, '!').replace(/^#\s*ifdef\s+/, '')).map((c) => `${c.name}=${c.value}`),
            cite: { messageId: patch.messageId, line: opens[0]!.mailLine },
          });
        }
      }
      // if (IS_ENABLED(CONFIG_X)) around a call: the call is only dropped by the optimiser
      const dce = r.added.find((l) => /^\s*if\s*\(\s*!?\s*IS_(ENABLED|BUILTIN|REACHABLE|MODULE)\s*\(\s*CONFIG_/.test(l.text));
      if (dce && isCSource(path)) {
        out.push({
          kind: 'guard-added',
          detail: `${path}: \`${dce.text.trim()}\` relies on dead-code elimination to drop the reference`,
          file: path,
          symbols: [],
          configs: configsOfTerm(dce.text).map((c) => `${c.name}=${c.value}`),
          cite: { messageId: patch.messageId, line: dce.mailLine },
        });
      }
    }
  }
  return out;
}
