// A patch that changes the code a diagnostic points at (its file, and its line
// when the diagnostic has one, or its function) works on the cause where the
// toolchain saw it. That is a fact about the diff, weaker than a convention
// (the change may still be wrong), so it is a lean that one moderate finding of
// the other side outweighs: guards and silencing at that place are other
// rules' findings, and only ordinary code lines of edits no other rule
// classified count here.

import type { BuildFailure, DiffLine, Hunk, Patch } from '../../../core/types.js';
import type { Finding, Rule } from '../types.js';
import { mailCite } from '../types.js';

/** Lines that only steer or quiet the compiler, or declare (a prototype, an extern, an include): not a change of the code itself. */
const NOT_CODE =
  /^\s*(?:#\s*(?:if|ifdef|ifndef|elif|else|endif|pragma|include)\b|\/\/|\/\*|\*|$)|__maybe_unused|__always_unused|\bfallthrough;|\(void\)\s*\w+\s*;|^\s*extern\b|^\s*(?:static\s+)?(?:const\s+)?(?:unsigned\s+|signed\s+|struct\s+)?\w+[\s*]+\w+\s*\([^=;{]*\)\s*;\s*$/;

const NEIGHBOURHOOD = 30;

function samePath(a: string, b: string): boolean {
  const n = (p: string) => p.replace(/^\.\//, '').replace(/\.(o|ko)$/, '.c');
  const x = n(a);
  const y = n(b);
  return x === y || x.endsWith('/' + y) || y.endsWith('/' + x);
}

function changedLines(h: Hunk): { line: DiffLine; at: number }[] {
  const out: { line: DiffLine; at: number }[] = [];
  let n = h.newStart;
  for (const l of h.lines) {
    if (l.kind !== 'ctx' && !NOT_CODE.test(l.text)) out.push({ line: l, at: n });
    if (l.kind !== 'del') n++;
  }
  return out;
}

/** The changed code line at the place the failure names, if any. */
export function changeAt(patch: Patch, f: BuildFailure): DiffLine | undefined {
  if (!f.file) return undefined;
  for (const file of patch.files) {
    if (!samePath(file.newPath, f.file) && !samePath(file.oldPath, f.file)) continue;
    for (const h of file.hunks) {
      const section = /\b([A-Za-z_]\w*)\s*\(/.exec(h.section)?.[1];
      for (const c of changedLines(h)) {
        if (f.line !== undefined ? Math.abs(c.at - f.line) <= NEIGHBOURHOOD : f.inFunction ? section === f.inFunction : true) return c.line;
      }
    }
  }
  return undefined;
}

/** Effects that say nothing specific about the edit: located-change reads those edits, other rules read the rest. */
const UNCLASSIFIED = new Set(['code-changed', 'makefile-changed', 'build-script-changed', 'kconfig-changed', 'include-changed']);

export const locatedChange: Rule = {
  name: 'located-change',
  blindSafe: true,
  apply({ rec, failures, effects }) {
    // an edit another rule classified (a call replaced, a guard, a stub…) is judged there, once
    if (effects.some((e) => !UNCLASSIFIED.has(e.kind))) return [];
    for (const f of failures) {
      const hit = changeAt(rec.patch, f);
      if (!hit) continue;
      const where = `${f.file}${f.line !== undefined ? `:${f.line}` : f.inFunction ? ` (${f.inFunction})` : ''}`;
      return [
        {
          rule: 'located-change',
          lean: 'fixes',
          weight: 1.25,
          reason: `it changes the code the diagnostic points at (${where})`,
          evidence: [{ source: 'mail', cite: mailCite(rec.patch.messageId, hit.mailLine), text: hit.text.trim() }],
        } satisfies Finding,
      ];
    }
    return [];
  },
};
