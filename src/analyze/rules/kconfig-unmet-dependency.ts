// Kconfig's "unmet direct dependencies" warning: `select` forces a symbol on
// without looking at its `depends on`. The fix that holds is for the selecting
// symbol to carry those dependencies (or to depend instead of select); making
// the select conditional or deleting the selected symbol's dependency only
// silences the warning (Documentation/kbuild/kconfig-language.rst, "select").

import type { Finding, Rule } from './types.js';
import { effectEvidence } from './types.js';

export const kconfigUnmetDependency: Rule = {
  name: 'kconfig-unmet-dependency',
  blindSafe: true,
  apply({ effects, failures }) {
    const unmet = failures.filter((f) => f.kind === 'kconfig-unmet');
    if (!unmet.length) return [];
    const selected = new Set(unmet.map((f) => f.symbol!));
    const selectors = new Set(unmet.flatMap((f) => f.selectedBy ?? []));
    const missing = new Set(unmet.flatMap((f) => [...(f.dependsOn ?? '').matchAll(/(?<![A-Z0-9_])[0-9_]*([A-Z][A-Z0-9_]+) \[=n\]/g)].map((m) => m[1]!)));
    const out: Finding[] = [];
    for (const e of effects) {
      const sym = e.symbols[0] ?? '';
      if (e.kind === 'depends-on-added' && (selectors.has(sym) || !selected.has(sym)) && e.symbols.slice(1).some((s) => missing.has(s))) {
        out.push({
          rule: 'kconfig-unmet-dependency',
          lean: 'fixes',
          weight: 2.5,
          reason: `the selecting option now depends on what the selected one needs (${e.symbols
            .slice(1)
            .filter((s) => missing.has(s))
            .join(', ')})`,
          evidence: [effectEvidence(e)],
        });
      } else if (e.kind === 'select-replaced-by-depends') {
        out.push({
          rule: 'kconfig-unmet-dependency',
          lean: 'fixes',
          weight: 2.5,
          reason: 'a `select` of a symbol with dependencies becomes a `depends on`, so the dependencies are honoured',
          evidence: [effectEvidence(e)],
        });
      } else if (e.kind === 'select-made-conditional') {
        out.push({
          rule: 'kconfig-unmet-dependency',
          lean: 'hides',
          weight: 2.5,
          reason: 'the `select` is made conditional: the warning goes away, and the option is still built without what it selected',
          evidence: [effectEvidence(e)],
        });
      } else if (e.kind === 'depends-on-removed' && selected.has(sym)) {
        out.push({ rule: 'kconfig-unmet-dependency', lean: 'hides', weight: 2, reason: `the selected symbol ${sym} loses the dependency the warning was enforcing`, evidence: [effectEvidence(e)] });
      } else if (e.kind === 'kconfig-changed' && selected.has(sym) && /relaxed/.test(e.detail)) {
        out.push({ rule: 'kconfig-unmet-dependency', lean: 'fixes', weight: 1, reason: `${sym}'s dependency is relaxed to match how it is selected`, evidence: [effectEvidence(e)] });
      }
    }
    return out;
  },
};
