// What the index says about the failing reference, as evidence for every patch
// that answers it: declared where, defined where and under which condition,
// whether the file holding the reference is built. It weighs nothing by itself:
// the other index rules turn these facts into a lean.

import type { Finding, Rule } from './types.js';

export const indexReferenceStatus: Rule = {
  name: 'index-reference-status',
  blindSafe: true,
  apply({ xrefs }) {
    const out: Finding[] = [];
    for (const x of xrefs) {
      const state = x.reproduces === 'true' ? 'the failure reproduces in the indexed tree' : x.reproduces === 'false' ? 'the failure does not reproduce in the indexed tree' : 'the index cannot settle whether the failure reproduces';
      out.push({ rule: 'index-reference-status', lean: 'fixes', weight: 0, reason: `${x.symbol}: ${state}`, evidence: x.evidence });
    }
    return out;
  },
};
