// -Wunused-but-set-variable ("variable 'ret' set but not used"): when the
// variable held a function's return value, deleting it (`ret = foo();` →
// `foo();`) throws the error code away and the warning with it; the warning
// was pointing at a missing check. Using the value (`return ret`, `if (ret)`,
// `goto err`) fixes it, and so does deleting a variable that only held a
// constant or a value nobody needs.

import type { BuildFailure, DiffLine } from '../../../core/types.js';
import type { Finding, Rule } from '../types.js';
import { effectEvidence, mailCite } from '../types.js';
import { escapeRegExp, wordIn } from '../../../extract/literal.js';

/** The variable a set-but-not-used warning names. */
export function setButUnusedVariable(f: BuildFailure): string | undefined {
  if (!/set but not used/.test(f.message) && f.flag !== '-Wunused-but-set-variable') return undefined;
  return /variable [`'‘"]([A-Za-z_]\w*)['’"]/.exec(f.message)?.[1] ?? f.symbol;
}

/** An added line that reads the variable: returns it, tests it, or passes it on. */
function readsVariable(l: DiffLine, name: string): boolean {
  const t = l.text.replace(new RegExp(`^\\s*${escapeRegExp(name)}\\s*=(?!=)`), '');
  return wordIn(t, name);
}

export const discardedResult: Rule = {
  name: 'discarded-result',
  blindSafe: true,
  apply({ rec, effects, failures }) {
    const flagged = failures.map(setButUnusedVariable);
    if (!flagged.some((v) => v !== undefined)) return [];
    const names = new Set(flagged.filter((v): v is string => !!v));
    const about = (sym: string | undefined) => !names.size || (sym !== undefined && names.has(sym));
    const out: Finding[] = [];
    const dropped = effects.find((e) => e.kind === 'return-value-discarded' && about(e.symbols[0]));
    if (dropped) {
      out.push({
        rule: 'discarded-result',
        lean: 'hides',
        weight: 2,
        reason: `${dropped.symbols[0]} held what ${dropped.symbols[1]}() returned; deleting it throws the error code away along with the warning`,
        evidence: [effectEvidence(dropped)],
      });
      return out;
    }
    const removed = effects.find((e) => e.kind === 'variable-removed' && about(e.symbols[0]));
    if (removed) {
      out.push({ rule: 'discarded-result', lean: 'fixes', weight: 1.5, reason: `${removed.symbols[0]} only held a value nobody needs; it is deleted`, evidence: [effectEvidence(removed)] });
      return out;
    }
    for (const name of names) {
      const use = rec.patch.files.flatMap((f) => f.hunks.flatMap((h) => h.lines)).find((l) => l.kind === 'add' && readsVariable(l, name));
      if (use)
        out.push({
          rule: 'discarded-result',
          lean: 'fixes',
          weight: 1.5,
          reason: `the value of ${name} is now used (\`${use.text.trim()}\`)`,
          evidence: [{ source: 'mail', cite: mailCite(rec.patch.messageId, use.mailLine), text: use.text.trim() }],
        });
    }
    return out;
  },
};
