// A reviewer who is not the author says the patch papers over the problem, or
// NAKs it: the strongest review signal that a change hides rather than fixes.

import type { Finding, Rule } from './types.js';
import { signalEvidence } from './types.js';

export const reviewerObjection: Rule = {
  name: 'reviewer-objection',
  blindSafe: false,
  apply({ rec }) {
    const objections = rec.signals.filter((s) => !s.self && (s.kind === 'papers-over' || s.kind === 'nak'));
    const speakers = new Map<string, (typeof objections)[number]>();
    for (const s of objections) if (!speakers.has(s.speaker)) speakers.set(s.speaker, s);
    const out: Finding[] = [];
    for (const s of [...speakers.values()].slice(0, 2)) {
      out.push({ rule: 'reviewer-objection', lean: 'hides', weight: 3, reason: `${s.speaker} ${s.kind === 'nak' ? 'refuses it' : 'says it papers over the problem'}`, evidence: [signalEvidence(s)] });
    }
    return out;
  },
};
