// A guard narrowed (or a dependency added) so that the failing configuration no
// longer builds the code: in the configurations the patch keeps building, is
// the symbol usable? If the index says it is not, the same reference is still
// broken there, and the patch only moved the failure out of sight.

import { explainSymbol } from '../../index/explain.js';
import type { Finding, Rule } from './types.js';

export const indexGuardScope: Rule = {
  name: 'index-guard-scope',
  blindSafe: true,
  apply({ xrefs, effects, failures, port }) {
    if (!port) return [];
    const out: Finding[] = [];
    const guards = effects.filter((e) => (e.kind === 'guard-narrowed' || e.kind === 'guard-added' || e.kind === 'depends-on-added' || e.kind === 'depends-on-negated') && e.configs.length);
    for (const g of guards) {
      for (const x of xrefs) {
        const f = failures[0];
        const kept = new Map(x.env);
        let flipped = false;
        for (const r of g.configs) {
          const [name, value] = r.split('=') as [string, 'y' | 'n' | 'm'];
          if (kept.has(name) && kept.get(name) !== value) {
            kept.set(name, value);
            flipped = true;
          }
        }
        if (!flipped) continue;
        const e = explainSymbol(x.symbol, port.lookup(x.symbol), x.arch, kept, port.exists, port.symvers(x.symbol));
        const use = f?.kind === 'modpost-undefined' ? e.moduleUse : e.builtinUse;
        const keptCfg = [...kept.entries()].map(([k, v]) => `CONFIG_${k}=${v}`).join(' ');
        if (use.answer === 'false') {
          out.push({ rule: 'index-guard-scope', lean: 'hides', weight: 2, reason: `where the patch still builds the code (${keptCfg}), ${x.symbol} is still not usable (${use.why})`, evidence: [{ source: 'index', cite: `${port.tree.name}:explain`, text: `${x.symbol} with ${keptCfg}: ${use.why}` }] });
        } else if (use.answer === 'true') {
          out.push({ rule: 'index-guard-scope', lean: 'fixes', weight: 0, reason: `where the patch still builds the code (${keptCfg}), ${x.symbol} is usable`, evidence: [{ source: 'index', cite: `${port.tree.name}:explain`, text: `${x.symbol} with ${keptCfg}: ${use.why}` }] });
        }
      }
    }
    return out;
  },
};
