// When the owner of a symbol refuses to export it, exporting it does not fix
// anything, and a module that keeps calling it keeps misusing it.

import type { ReviewSignal } from '../../core/types.js';
import type { ThreadFacts } from '../facts.js';
import type { Finding, Rule } from './types.js';
import { effectEvidence, signalEvidence } from './types.js';

// the thread's refusals, gathered once per thread rather than once per patch
const refusalsOf = new WeakMap<ThreadFacts, ReviewSignal[]>();
function threadRefusals(facts: ThreadFacts): ReviewSignal[] {
  let got = refusalsOf.get(facts);
  if (!got) {
    const targeted = facts.patches.flatMap((r) => r.signals).filter((s) => s.kind === 'refuse-export');
    got = targeted.length ? targeted : facts.extractions.flatMap((x) => x.signals.filter((s) => s.kind === 'refuse-export'));
    refusalsOf.set(facts, got);
  }
  return got;
}

export const refusedExport: Rule = {
  name: 'refused-export',
  blindSafe: false,
  apply({ rec, effects, facts }) {
    const allRefusals = threadRefusals(facts);
    if (!allRefusals.length) return [];
    const s = allRefusals[0]!;
    const exportAdded = effects.find((e) => e.kind === 'export-added');
    const out: Finding[] = [];
    const ev = { source: 'mail' as const, cite: `${s.cite.messageId}:L${s.cite.line}`, text: `${s.speaker}: "${s.text}"` };
    if (exportAdded) {
      out.push({ rule: 'refused-export', lean: 'hides', weight: 3, reason: `the symbol's owner refuses the export it adds`, evidence: [ev, effectEvidence(exportAdded)] });
    } else if (!effects.some((e) => ['call-replaced', 'call-removed', 'definition-added', 'definition-moved'].includes(e.kind))) {
      out.push({ rule: 'refused-export', lean: 'hides', weight: 1, reason: 'the export the code needs is refused, and the patch keeps the code that needs it', evidence: [ev] });
    }
    void rec;
    void signalEvidence;
    return out;
  },
};
