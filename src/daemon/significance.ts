// Can this message change its thread's verdict? A patch (or a new revision of
// one), a build report or a problem told in words, a Kconfig snippet, a
// review or tester's stance (Acked-by, "this hides the warning", Tested-by,
// "applied") can; a "thanks" or a question about something else cannot, and a
// thread that gains only such replies is not judged again. What counts is what
// src/extract finds, so the two never disagree about a message.

import type { Extraction } from '../core/types.js';

/** Why an extraction can move the verdict ("patch", "failure", "signal:acked"), or undefined when it cannot. */
export function verdictMover(x: Extraction): string | undefined {
  if (x.patches.length) return 'patch';
  if (x.failures.length) return 'failure';
  if (x.problemStatements.length) return 'problem-statement';
  if (x.kconfig.length) return 'kconfig';
  // a stance quoted from someone else was already counted in the message that said it
  const own = x.signals.find((s) => !s.quoted);
  if (own) return `signal:${own.kind}`;
  return undefined;
}
