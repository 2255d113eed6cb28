// "workaround", "hack", "for now", "until the real fix": a change its own
// author presents as a stop-gap, or that reviewers call one, leaves the cause
// for later. The author's own word weighs more: they know what they skipped.

import type { Finding, Rule } from './types.js';
import { signalEvidence } from './types.js';

export const stopGap: Rule = {
  name: 'stop-gap',
  blindSafe: true,
  apply({ rec, blind }) {
    const out: Finding[] = [];
    const kinds = new Set(['workaround', 'root-cause-elsewhere', 'withdrawn']);
    const own = rec.signals.filter((s) => s.self && kinds.has(s.kind) && (!blind || s.index <= rec.index));
    const seen = new Set<string>();
    for (const s of own) {
      if (seen.has(s.kind)) continue;
      seen.add(s.kind);
      out.push({
        rule: 'stop-gap',
        lean: 'hides',
        weight: s.kind === 'root-cause-elsewhere' ? 1.25 : 2,
        reason: s.kind === 'withdrawn' ? 'its author withdraws it' : 'its author presents it as a stop-gap',
        evidence: [signalEvidence(s)],
      });
    }
    if (blind) return out;
    const others = rec.signals.filter((s) => !s.self && kinds.has(s.kind));
    for (const s of others.slice(0, 2)) {
      out.push({ rule: 'stop-gap', lean: 'hides', weight: 1.25, reason: `${s.speaker} treats it as a stop-gap, with the real fix elsewhere`, evidence: [signalEvidence(s)] });
    }
    return out;
  },
};
