// A build log posted in reply to a patch, after it: is it the failure the patch
// answers (the author asked "what breaks without this patch?" and shows it), a
// failure that persists with the patch applied, or a new one the patch causes?
// The sentence that introduces the log says which, in words kernel testers use.

import type { Message } from '../core/types.js';
import { bodyLines } from '../extract/lines.js';
import { proseSentences } from '../extract/prose.js';

export type LaterLog = 'answers' | 'persists' | 'regression' | 'unknown';

interface LogIntro {
  name: string;
  means: Exclude<LaterLog, 'unknown'>;
  re: RegExp;
  example: string;
}

/** Checked in order: the first that matches the introducing sentences decides. */
export const LOG_INTROS: LogIntro[] = [
  {
    name: 'still-with-patch',
    means: 'persists',
    re: /\b(?:still|again)\b[^.]{1,60}\b(?:fails?|failing|see|get|breaks?|errors?|warns?|warnings?)\b|\b(?:with|after) (?:this|your|the|that) (?:patch|fix|change)\b[^.]{1,40}\b(?:still|also|remains?)\b/i,
    example: 'With your patch applied I still get this on arm64:',
  },
  {
    name: 'caused-by-patch',
    means: 'regression',
    re: /\b(?:this|your|the) (?:patch|change|commit) (?:causes|breaks|introduces|triggers|results in)\b|\b(?:after|with) (?:applying )?(?:this|your|the) (?:patch|change)\b[^.]{1,40}\b(?:new|now)\b[^.]{1,30}\b(?:fails?|errors?|warnings?|breaks?)\b|\bbuild (?:error|failure|regression)s? (?:caused|introduced) by\b/i,
    example: 'This patch causes a new build failure on powerpc:',
  },
  // in a reply under the patch, "this" is the patch: "Unfortunately, this causes link failures"
  { name: 'this-causes', means: 'regression', re: /\bthis (?:now )?(?:causes|introduces|breaks|triggers)\b/i, example: 'Unfortunately, this causes link failures in a few files:' },
  {
    name: 'without-patch',
    means: 'answers',
    re: /\bwithout (?:this|the|my|your) (?:patch|fix|change)\b|\bthe (?:original |actual )?(?:error|failure|warning|log|build (?:error|failure))\b[^.]{1,30}\b(?:is|was|looks|reads)\b|\b(?:here(?:'s| is)|this is) the (?:full |original )?(?:error|failure|log|warning|build log|build error)\b|\bfor reference\b|\bthe (?:problem|issue) (?:is|was)\b/i,
    example: 'Without this patch the build fails like this:',
  },
];

/** What the prose right before a log line in that message says of it. */
export function classifyLaterLog(message: Message, line: number): { means: LaterLog; intro?: string } {
  const lines = bodyLines(message.body).filter((l) => l.n < line && l.depth === 0);
  const before = proseSentences(lines.slice(-12), new Set(), 0).slice(-2);
  for (const s of before.reverse()) {
    for (const k of LOG_INTROS) if (k.re.test(s.text)) return { means: k.means, intro: s.text };
  }
  return { means: 'unknown' };
}
