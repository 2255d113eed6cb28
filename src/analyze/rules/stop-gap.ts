// "workaround", "hack", "for now", "until the real fix": a change its own
// author presents as a stop-gap leaves the cause for later; they know what
// they skipped. (What reviewers call it is part of review-outcome.)

import type { Finding, Rule } from './types.js';
import { signalEvidence } from './types.js';

const DESCRIBES_OLD =
  /\b(?:currently|existing|the old|previous(?:ly)?|so far|until now|remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|get(?:s|ting)? rid of|no longer|replac(?:e|es|ed|ing)|revert(?:s|ed|ing)?|was (?:added|introduced)|were (?:added|introduced))\b/i;

export const stopGap: Rule = {
  name: 'stop-gap',
  blindSafe: true,
  apply({ rec, blind }) {
    const out: Finding[] = [];
    const kinds = new Set(['workaround', 'temporary', 'root-cause-elsewhere', 'withdrawn']);
    // the author doubting their own patch ("maybe this is not the correct fix") is an admission too
    // "suppressed by a workaround in the Makefile, which this removes": the workaround it ends, not its own
    const own = rec.signals.filter((s) => s.self && (kinds.has(s.kind) || s.kind === 'papers-over') && (!blind || s.index <= rec.index) && !DESCRIBES_OLD.test(s.text));
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
    return out;
  },
};
