// Applied, Tested-by, "this fixes it", Acked-by, Reviewed-by from someone other
// than the author. Acceptance says a patch resolved the build for the people
// who had it; it does not outweigh a reviewer's objection.

import type { Finding, Rule } from './types.js';
import { samePerson } from '../facts.js';
import { signalEvidence } from './types.js';

const WEIGHT: Record<string, number> = { applied: 1, tested: 1.5, acked: 1, reviewed: 1 };

export const reviewAcceptance: Rule = {
  name: 'review-acceptance',
  blindSafe: false,
  apply({ rec }) {
    const out: Finding[] = [];
    let total = 0;
    const seen = new Set<string>();
    for (const s of rec.signals) {
      if (s.polarity !== 'positive' || s.self) continue;
      // "applied the fix from <someone else>": another patch was taken instead
      const other = /\bappl\w+ (?:the |a )?(?:fix|patch|one|version) (?:from|by) ([A-Z][\w-]+(?: [A-Z][\w-]+)?)/.exec(s.text);
      if (s.kind === 'applied' && other && !samePerson(other[1]!, rec.patch.author)) {
        out.push({ rule: 'review-acceptance', lean: 'hides', weight: 1.5, reason: `the maintainer applied a different fix (${other[1]})`, evidence: [signalEvidence(s)] });
        continue;
      }
      const key = `${s.kind}|${s.speaker}`;
      if (seen.has(key) || total >= 3.5) continue;
      seen.add(key);
      const w = WEIGHT[s.kind] ?? 0;
      if (!w) continue;
      total += w;
      out.push({ rule: 'review-acceptance', lean: 'fixes', weight: w, reason: `${s.speaker}: ${s.kind}`, evidence: [signalEvidence(s)] });
    }
    return out;
  },
};
