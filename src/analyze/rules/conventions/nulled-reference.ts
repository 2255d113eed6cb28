// The failing reference replaced by NULL, 0 or an empty initialiser in every
// configuration (not under a config test): the build links because the
// feature is removed, not because the reference resolves. The helpers that are
// NULL only where their config is off (pm_ptr(), pm_sleep_ptr(),
// of_match_ptr()) are a different matter: see unused-object.ts.

import type { Rule } from '../types.js';
import { effectEvidence } from '../types.js';

export const nulledReference: Rule = {
  name: 'nulled-reference',
  blindSafe: true,
  apply({ effects, failures }) {
    if (!failures.length) return [];
    const e = effects.find((x) => x.kind === 'reference-nulled');
    if (!e) return [];
    return [
      { rule: 'nulled-reference', lean: 'hides', weight: 2, reason: `${e.symbols[0]} is replaced by nothing in every configuration: the feature is removed, not fixed`, evidence: [effectEvidence(e)] },
    ];
  },
};
