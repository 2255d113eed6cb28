// "workaround", "hack", "for now", "until the real fix": a change its own
// author presents as a stop-gap leaves the cause for later; they know what
// they skipped. (What reviewers call it is part of review-outcome.)
//
// Only when the words are about the change itself. An author's prose also tells
// the history ("the old workaround is removed"), explains the cause they fix
// ("the root cause is …"), weighs a road not taken ("it might be possible to add
// a hack …"), and describes code that is not theirs ("the caller papers over
// it"); none of that admits anything about the patch. NOT_AN_ADMISSION is that
// list, one named entry per reading, each with an example a test checks.

import { REVIEW_PHRASES } from '../../extract/vocab/review-phrases.js';
import type { TargetedSignal } from '../facts.js';
import type { Finding, Rule } from './types.js';
import { signalEvidence } from './types.js';

export interface NotAnAdmission {
  name: string;
  /** the signal kinds the entry applies to */
  kinds: ReadonlySet<string>;
  /** read on the sentence before the stop-gap word ('before'), or on the whole sentence ('sentence') */
  on: 'before' | 'sentence';
  re: RegExp;
  /** the author's sentence: matched by a stop-gap phrase, and not an admission */
  example: string;
  /** an admission that looks alike and must still count */
  nearMiss?: string;
}

export const ADMISSION_KINDS: ReadonlySet<string> = new Set(['workaround', 'temporary', 'root-cause-elsewhere', 'withdrawn', 'papers-over']);
// "please drop this patch" is a withdrawal whatever else the sentence says
const DESCRIPTIVE = new Set(['workaround', 'temporary', 'root-cause-elsewhere', 'papers-over']);

export const NOT_AN_ADMISSION: NotAnAdmission[] = [
  {
    // the workaround the patch ends, or the state before it
    name: 'describes-the-old',
    kinds: DESCRIPTIVE,
    on: 'sentence',
    // "a proper fix will replace it" is the future, not the old
    re: /(?<!\b(?:will|would|should|could|can|must|to)\s)\b(?:currently|existing|the old|previous(?:ly)?|so far|until now|remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|get(?:s|ting)? rid of|no longer|replac(?:e|es|ed|ing)|revert(?:s|ed|ing)?|was (?:added|introduced)|were (?:added|introduced))\b/i,
    example: 'The build was suppressed by a workaround in the Makefile, which this removes.',
    nearMiss: 'This is a workaround until the compiler is fixed.',
  },
  {
    // "the root cause is X": the author naming the cause is the diagnosis the patch acts on;
    // a fix or solution named ("the proper fix is/would be …") is the admission
    name: 'diagnosis',
    kinds: new Set(['root-cause-elsewhere']),
    on: 'sentence',
    re: /^(?![^]*\b(?:fix|fixed|solution|would|should|will|might|could|properly|elsewhere|later|follow[- ]?up)\b)[^]*\b(?:root[- ]cause|(?:real|actual|underlying) (?:problem|issue|bug))\b/i,
    example: "The root cause of this error is that the output of 'date -d0' has the year 0000.",
    nearMiss: 'The proper fix is to rework the locking in the core.',
  },
  {
    // "while it might be possible to add a hack …": a road the author did not take
    name: 'road-not-taken',
    kinds: ADMISSION_KINDS,
    on: 'before',
    re: /\b(?:might|could) (?:be possible|also|instead|have|add|use|come up|introduce)\b|\b(?:is|would be) possible to\b|\binstead of\b|\brather than\b/i,
    example: 'While it might be possible to come up with a local hack to silence the warning, the warning itself is wrong for the kernel.',
    nearMiss: 'So, as a hack to silence the warning, do not emit it for this section.',
  },
  {
    // "code in foo() has heuristics to suppress the warning", "which the caller papers over":
    // another piece of code is the subject
    name: 'someone-elses-code',
    kinds: ADMISSION_KINDS,
    on: 'before',
    re: /^(?![^]*\b(?:I|we|this (?:patch|change|commit|series))\b)[^]*\b(?:has|have|had|contains?|uses?|relies on)\b(?! to\b)[^,;.]{0,60}$|\b(?:which|whose) (?:the|a|an|its|their|some|other|\w+\(\))\s/i,
    example: 'Code in ignore_unreachable_insn() has some heuristics to suppress the warning, but they fail with -ffunction-sections.',
    nearMiss: 'This is a hack to suppress the warning for now.',
  },
  {
    // "remains … for now", "unlikely for now": the time limit is on something else
    name: 'something-else-for-now',
    kinds: new Set(['temporary']),
    on: 'before',
    re: /\b(?:unlikely|remains?|stays?|to stay|is fine|are fine|left alone|as is)\b[^.,;]{0,50}$/i,
    example: 'The cc-disable-warning helper remains as a compatibility syntax for now.',
    nearMiss: 'Disable the check for now, until the compiler is fixed.',
  },
];

const PHRASE_RE = new Map(REVIEW_PHRASES.map((p) => [p.name, p.re]));

/** The entry that says this author's sentence is not about the change, if one does. */
export function notAnAdmission(s: Pick<TargetedSignal, 'kind' | 'phrase' | 'text'>): NotAnAdmission | undefined {
  const at = (s.phrase ? PHRASE_RE.get(s.phrase)?.exec(s.text)?.index : undefined) ?? s.text.length;
  const before = s.text.slice(0, at);
  return NOT_AN_ADMISSION.find((n) => n.kinds.has(s.kind) && n.re.test(n.on === 'before' ? before : s.text));
}

export const stopGap: Rule = {
  name: 'stop-gap',
  blindSafe: true,
  apply({ rec, blind }) {
    const out: Finding[] = [];
    // the author doubting their own patch ("maybe this is not the correct fix") is an admission too
    const own = rec.signals.filter((s) => s.self && ADMISSION_KINDS.has(s.kind) && (!blind || s.index <= rec.index) && !notAnAdmission(s));
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
        // words describe, the diff shows: authors call the fix for a compiler bug a workaround, and
        // a withdrawn patch or one its author doubts is not thereby one that hides
        corroborates: true,
      });
    }
    return out;
  },
};
