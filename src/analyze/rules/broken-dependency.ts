// `depends on BROKEN` (or `|| BROKEN`) is the kernel's way to say "known broken,
// not fixed": the option can no longer be chosen, the code stays as it was. It
// is the definition of hiding, whoever applies it.

import type { Rule } from './types.js';
import { effectEvidence } from './types.js';

export const brokenDependency: Rule = {
  name: 'broken-dependency',
  blindSafe: true,
  apply({ effects }) {
    return effects
      .filter((e) => e.kind === 'depends-on-broken')
      .map((e) => ({
        rule: 'broken-dependency',
        lean: 'hides' as const,
        weight: 4,
        reason: 'it marks the option BROKEN, so the failing configuration can no longer be chosen while the code stays broken',
        evidence: [effectEvidence(e)],
      }));
  },
};
