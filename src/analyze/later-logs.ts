// A build log posted in reply to a patch, after it: is it the failure the patch
// answers (the author asked "what breaks without this patch?" and shows it), a
// failure that persists with the patch applied, a new one the patch causes, or
// one its poster says has nothing to do with the patch ("a different problem
// that existed before my changes")? The sentence that introduces the log says
// which, in words kernel testers use.

import type { Message } from '../core/types.js';
import { bodyLines } from '../extract/lines.js';
import { proseSentences } from '../extract/prose.js';

export type LaterLog = 'answers' | 'persists' | 'regression' | 'unrelated' | 'unknown';

interface LogIntro {
  name: string;
  means: Exclude<LaterLog, 'unknown'>;
  re: RegExp;
  example: string;
}

/** Checked in order: the first that matches the introducing sentences decides. */
export const LOG_INTROS: LogIntro[] = [
  // first: whoever shows it says the log is beside the point, whatever else the sentence says
  {
    name: 'different-problem',
    means: 'unrelated',
    re: /\b(?:completely |totally |entirely )?(?:different|separate|unrelated|independent) (?:problem|issue|bug|failure|error)\b|\b(?:unrelated|not related) to (?:this|my|your|the) (?:patch|change|series|fix)/i,
    example: 'It fails to compile with Qt6, but this is a completely different problem that existed before my changes:',
  },
  {
    name: 'pre-existing',
    means: 'unrelated',
    re: /\bpre-?existing (?:problem|issue|bug|failure|error|warning)|\b(?:also|even) (?:happens|happened|fails|failed|occurs|existed|exists|shows up) (?:also |even )?(?:before|without) (?:this|my|your|the) (?:patch|change|series)/i,
    example: 'The same error also happens without your patch, on a clean tree:',
  },
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

/** A shell prompt, or kbuild's quiet-mode progress line ("  HOSTCC  scripts/kconfig/conf.o"). */
const LOG_HEAD = /^\s*[$#] \S|^\s{1,4}(?:HOST)?(?:CC|CXX|LD|AR|AS|GEN|CHK|UPD|MODPOST|OBJCOPY|CALL|DESCEND|INSTALL|SYNC)(?: \[M\])?\s+\S/;

/** What the prose right before a log line in that message says of it. */
export function classifyLaterLog(message: Message, line: number, ownSentence?: string): { means: LaterLog; intro?: string } {
  // a failure told in words carries its own stance: "it fails, but that is a different problem"
  if (ownSentence) for (const k of LOG_INTROS) if (k.means === 'unrelated' && k.re.test(ownSentence)) return { means: k.means, intro: ownSentence };
  // the command typed and kbuild's progress lines are the log's head, not its introduction
  const lines = bodyLines(message.body).filter((l) => l.n < line && l.depth === 0 && !LOG_HEAD.test(l.text));
  const before = proseSentences(lines.slice(-12), new Set(), 0).slice(-2);
  for (const s of before.reverse()) {
    for (const k of LOG_INTROS) if (k.re.test(s.text)) return { means: k.means, intro: s.text };
  }
  return { means: 'unknown' };
}
