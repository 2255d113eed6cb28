// The review's outcome, read the way a maintainer reads a thread: each
// person's latest word about this posting is their stance (an objection that
// was answered and followed by "Applied" is over; an "Applied" followed by "this
// papers over the problem, please revert" is not); a maintainer's word outweighs
// a reviewer's, a reviewer's a passer-by's; the latest word of a maintainer
// decides. The patch's own author is not a reviewer of it: their concession
// after an objection confirms the objection.

import type { Stance } from '../../extract/vocab/review-phrases.js';
import { STANCE_OF_KIND } from '../../extract/vocab/review-phrases.js';
import { samePerson, type TargetedSignal } from '../facts.js';
import type { Role } from '../people.js';
import type { Finding, Lean, Rule } from './types.js';
import { signalEvidence } from './types.js';

/** Within one message, which stance is the message's verdict: an action over an opinion. */
const PRIORITY: Stance[] = ['accept', 'hides', 'object', 'counter', 'persists', 'tested', 'stopgap', 'supersede', 'withdraw', 'concede'];

const LEAN: Partial<Record<Stance, Lean>> = { accept: 'fixes', tested: 'fixes', hides: 'hides', object: 'hides', counter: 'hides', stopgap: 'hides', withdraw: 'hides', supersede: 'hides' };

/** Weight of a stance by the speaker's standing. */
const WEIGHT: Record<Exclude<Role, 'author'>, Partial<Record<Stance, number>>> = {
  // "it papers over the problem" is the verdict itself, said by someone who read the code:
  // it weighs whoever says it; other objections weigh by standing
  maintainer: { hides: 4.5, object: 3, counter: 2, accept: 2.5, tested: 1.5, stopgap: 1.5, withdraw: 1.5, supersede: 0.75 },
  reviewer: { hides: 4, object: 2, counter: 1.25, accept: 1.5, tested: 1.5, stopgap: 0.75, withdraw: 1, supersede: 0.5 },
  other: { hides: 3.5, object: 1.5, counter: 1, accept: 1, tested: 1.25, stopgap: 0.5, withdraw: 0.75, supersede: 0.5 },
};

/** "Applied" is an act; a Reviewed-by or "looks good" is an opinion. */
function acceptWeight(s: TargetedSignal, role: Exclude<Role, 'author'>): number {
  const base = WEIGHT[role].accept!;
  if (s.kind === 'applied') return role === 'maintainer' ? base : base + 0.5;
  return role === 'maintainer' ? base - 0.5 : base;
}

// "applied the fix from Jane instead": another patch went in
const APPLIED_OTHER = /\bappl\w+ (?:the |a |an )?(?:other |alternative |different )?(?:fix|patch|one|version) (?:from|by) ([A-Z][\w-]+(?: [A-Z][\w-]+)?)/;

let currentAuthor = '';
const RANK: Record<Role, number> = { other: 1, reviewer: 2, maintainer: 3, author: 0 };

const stanceOf = (s: TargetedSignal): Stance => {
  if (s.kind === 'applied') {
    const other = APPLIED_OTHER.exec(s.text);
    if (other && !samePerson(other[1]!, currentAuthor)) return 'supersede';
  }
  return STANCE_OF_KIND[s.kind];
};

function reasonFor(s: TargetedSignal, stance: Stance, decisive: boolean): string {
  const who = `${s.speaker}${s.role === 'maintainer' ? ' (maintainer)' : s.role === 'reviewer' ? ' (reviewer)' : ''}`;
  const last = decisive ? ', the last word of a maintainer' : '';
  switch (stance) {
    case 'hides':
      return `${who} says it papers over the problem${last}`;
    case 'object':
      return s.kind === 'nak' ? `${who} refuses it${last}` : s.kind === 'refuse-export' ? `${who} refuses the export it relies on${last}` : `${who} objects to it${last}`;
    case 'counter':
      return `${who} asks for a different fix${last}`;
    case 'stopgap':
      return `${who} treats it as a stop-gap${last}`;
    case 'withdraw':
      return `${who} asks to drop it${last}`;
    case 'supersede':
      return `${who} says something else replaces it${last}`;
    case 'accept':
      return `${who}: ${s.kind}${last}`;
    case 'tested':
      return `${who}: tested, the failure is gone`;
    default:
      return `${who}: ${s.kind}`;
  }
}

export const reviewOutcome: Rule = {
  name: 'review-outcome',
  blindSafe: false,
  apply({ rec }) {
    currentAuthor = rec.patch.author;
    // each person's last message about this posting, and that message's verdict
    const lastIndex = new Map<string, number>();
    for (const s of rec.signals) if (!s.self && s.index >= rec.index) lastIndex.set(s.person, Math.max(lastIndex.get(s.person) ?? -1, s.index));
    const latest = new Map<string, TargetedSignal>();
    for (const [person, index] of lastIndex) {
      const said = rec.signals.filter((s) => s.person === person && s.index === index && !s.self);
      // "I'll take it for now": the maintainer applies it as the fix; acting outranks qualifying
      const pick = said.filter((s) => !['concede', 'persists'].includes(stanceOf(s))).sort((a, b) => PRIORITY.indexOf(stanceOf(a)) - PRIORITY.indexOf(stanceOf(b)))[0];
      if (pick) latest.set(person, pick);
    }
    const voices = [...latest.values()].filter((s) => LEAN[stanceOf(s)]);
    if (!voices.length) return [];
    const maintainers = voices.filter((s) => s.role === 'maintainer');
    const decider = maintainers.sort((a, b) => a.index - b.index || a.cite.line - b.cite.line)[maintainers.length - 1];

    const out: Finding[] = [];
    for (const s of voices) {
      const stance = stanceOf(s);
      const role = s.role === 'author' ? 'other' : s.role;
      let weight = stance === 'accept' ? acceptWeight(s, role) : (WEIGHT[role][stance] ?? 0);
      const decisive = s === decider;
      if (decisive) weight += 1;
      // a later word of the other lean answers an earlier one: an objection the maintainer
      // weighed before applying, an "Applied" that a later "this papers over it" disputes
      const answered = voices.some((w) => w.index > s.index && LEAN[stanceOf(w)] !== LEAN[stance] && (RANK[w.role] >= RANK[s.role] || stanceOf(w) === 'hides'));
      if (answered) weight /= 2;
      if (!weight) continue;
      // the whole of that message's say, the deciding sentence first
      const alsoSaid = rec.signals.filter((x) => x !== s && x.person === s.person && x.index === s.index && !x.self);
      out.push({ rule: 'review-outcome', lean: LEAN[stance]!, weight, reason: reasonFor(s, stance, decisive), evidence: [s, ...alsoSaid].map(signalEvidence) });
    }

    // the author giving in after an objection confirms it
    const firstObjection = voices.filter((s) => ['hides', 'object', 'counter'].includes(stanceOf(s))).sort((a, b) => a.index - b.index)[0];
    if (firstObjection) {
      const concession = rec.signals.find((s) => s.self && s.index > firstObjection.index && ['concede', 'withdraw', 'supersede'].includes(stanceOf(s)));
      if (concession) out.push({ rule: 'review-outcome', lean: 'hides', weight: 1, reason: `its author concedes (${concession.phrase ?? concession.kind})`, evidence: [signalEvidence(concession)] });
    }
    return out;
  },
};
