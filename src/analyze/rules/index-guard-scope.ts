// A guard narrowed (or a dependency added) so that the failing configuration no
// longer builds the code: in the configurations the patch keeps building, is
// the symbol usable? If the index says it is not, the same reference is still
// broken there, and the patch only moved the failure out of sight.

import type { Assignment } from '../../index/cond.js';
import { describeConfig } from '../../index/explain.js';
import { rederive, usable } from '../xref.js';
import type { Finding, Rule } from './types.js';

export const indexGuardScope: Rule = {
  name: 'index-guard-scope',
  blindSafe: true,
  apply({ xrefs, effects, port }) {
    if (!port) return [];
    const out: Finding[] = [];
    const guards = effects.filter((e) => (e.kind === 'guard-narrowed' || e.kind === 'guard-added' || e.kind === 'depends-on-added' || e.kind === 'depends-on-negated') && e.configs.length);
    for (const g of guards) {
      for (const x of xrefs) {
        // the settings the guard requires, where the failing configuration has the other value
        const flips: Assignment = new Map();
        for (const r of g.configs) {
          const [name, value] = r.split('=') as [string, 'y' | 'n' | 'm'];
          if (x.settings.has(name) && x.settings.get(name) !== value) flips.set(name, value);
        }
        if (!flips.size) continue;
        const kept = rederive(x, port, { settings: flips });
        const use = usable(x.kind, kept.explanation);
        if (use.answer !== 'false') continue;
        const cfg = describeConfig(kept.settings);
        out.push({
          rule: 'index-guard-scope',
          lean: 'hides',
          weight: 2,
          reason: `where the patch still builds the code (${cfg}), ${x.symbol} is still not usable (${use.why})`,
          evidence: [{ source: 'index', cite: `${port.tree.name}:explain`, text: `${x.symbol} with ${cfg}: ${use.why}` }],
        });
      }
    }
    return out;
  },
};
