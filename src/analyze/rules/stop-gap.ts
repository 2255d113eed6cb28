// "workaround", "hack", "for now", "until the real fix": a change its own
// author presents as a stop-gap, or that reviewers call one, leaves the cause
// for later. The author's own word weighs more: they know what they skipped.

import type { Finding, Rule } from './types.js';
import { signalEvidence } from './types.js';

const OWNED_OR_UNDONE = /\b(?:my|our)\s+(?:\w+\s+)?(?:work-?around|hack|fix|patch)\b|\b(?:undo|drop|revert|remove)\b[^.]{0,30}\b(?:work-?around|hack)|\b(?:work-?around|hack)\b[^.]{0,30}\b(?:I|we)\s+(?:currently\s+)?(?:have|had|applied|added|carry)\b/i;

export const stopGap: Rule = {
  name: 'stop-gap',
  blindSafe: true,
  apply({ rec, blind }) {
    const out: Finding[] = [];
    const kinds = new Set(['workaround', 'temporary', 'root-cause-elsewhere', 'withdrawn']);
    // the author doubting their own patch ("maybe this is not the correct fix") is an admission too
    const own = rec.signals.filter((s) => s.self && (kinds.has(s.kind) || s.kind === 'papers-over') && (!blind || s.index <= rec.index));
    const seen = new Set<string>();
    for (const s of own) {
      if (seen.has(s.kind)) continue;
      seen.add(s.kind);
      out.push({
        rule: 'stop-gap',
        lean: 'hides',
        weight: s.kind === 'workaround' || s.kind === 'papers-over' ? 2 : s.kind === 'temporary' ? 1.5 : 1.25,
        reason: s.kind === 'withdrawn' ? 'its author withdraws it' : s.kind === 'papers-over' ? 'its author doubts it is the right fix' : 'its author presents it as a stop-gap',
        evidence: [signalEvidence(s)],
      });
    }
    if (blind) return out;
    // "my workaround", "I can undo the temporary workaround": the speaker's own change, not this patch
    const others = rec.signals.filter((s) => !s.self && kinds.has(s.kind) && !OWNED_OR_UNDONE.test(s.text));
    for (const s of others.slice(0, 2)) {
      out.push({ rule: 'stop-gap', lean: 'hides', weight: 1.25, reason: `${s.speaker} treats it as a stop-gap, with the real fix elsewhere`, evidence: [signalEvidence(s)] });
    }
    return out;
  },
};
