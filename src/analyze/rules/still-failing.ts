// A tester who applied the patch and still sees the failure on their arch or
// config: the patch fixes the reported case, not every case.

import type { Rule } from './types.js';
import { signalEvidence } from './types.js';

export const stillFailing: Rule = {
  name: 'still-failing',
  blindSafe: false,
  apply({ rec }) {
    const s = rec.signals.find((x) => x.kind === 'still-failing' && !x.self && x.index > rec.index);
    if (!s) return [];
    return [{ rule: 'still-failing', lean: 'partial', weight: 2, reason: `${s.speaker} still sees the failure with it applied`, evidence: [signalEvidence(s)] }];
  },
};
