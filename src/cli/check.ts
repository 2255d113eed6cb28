// ktriage check [--format json|checkpatch] [--index PATH] [--tree NAME] [--no-index] < patch.eml
//
// A patch mail (or a b4-style series mbox) on stdin, one result per patch, in
// the shape b4 reads from a check command:
// - json (default): b4 review's check protocol (review-perpatch-check-cmd,
//   review-series-check-cmd): a JSON array of {tool, status, summary, url,
//   details}, status one of pass/warn/fail (b4 turns any other status into
//   fail), [] when there is nothing to report (a cover letter, a reply).
// - checkpatch: the lines b4 prep --check and b4 am read from
//   prep-perpatch-check-cmd / am-perpatch-check-cmd (checkpatch --terse style):
//   a line holding "ERROR:" counts as a failure, any other line as a warning,
//   no output as "passed all checks".
// Status from the patch's verdict: hides (and breaks) → fail: the patch
// silences the diagnostic, or a report says it introduces one; partial, or
// unclear while the mail shows a failure → warn: a human should look;
// fixes, no-failure, unclear without a failure → pass: nothing found against it.

import { triageMessages } from '../analyze/triage.js';
import { describeFailure } from '../analyze/summary.js';
import { KtriageError } from '../core/errors.js';
import type { Message, PatchVerdict, Verdict } from '../core/types.js';
import { mailCite } from '../analyze/rules/types.js';
import { oneOf, parse, USAGE } from './args.js';
import { INDEX_OPTIONS, indexFromValues, threadTreeHints } from './index-choice.js';
import { loadInput } from './load.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  tool: 'ktriage';
  status: CheckStatus;
  summary: string;
  url?: string;
  details?: string;
}

export function checkStatus(p: PatchVerdict, v: Verdict): CheckStatus {
  switch (p.verdict) {
    case 'hides':
    case 'breaks':
      return 'fail';
    case 'partial':
      return 'warn';
    case 'unclear':
      return v.failures.length ? 'warn' : 'pass';
    default:
      return 'pass';
  }
}

/** One result per patch the verdict judged, in the order they were posted; a cover letter (0/N) gets none: its diffstat is not a patch. */
export function checkResults(v: Verdict, messages: readonly Message[] = []): CheckResult[] {
  const covers = new Set(messages.filter((m) => m.subjectInfo.counter === 0).map((m) => m.messageId));
  return v.patches
    .filter((p) => !covers.has(p.messageId))
    .map((p) => {
      const answered = p.answers.map((i) => v.failures[i]).filter((f) => f !== undefined);
      const link = answered.map((f) => f.reference?.link).find((l) => l && /^https?:\/\//.test(l));
      const details = [
        `${p.subject} (${p.messageId})`,
        ...answered.map((f) => `answers: ${describeFailure(f)} [${mailCite(f.cite.messageId, f.cite.line)}]`),
        ...p.evidence.slice(0, 12).map(
          (e) =>
            `- [${e.source}] ${e.cite}: ${e.text
              .split('\n')
              .map((l) => l.trim())
              .join(' ')}`,
        ),
      ];
      return {
        tool: 'ktriage',
        status: checkStatus(p, v),
        summary: `${p.verdict} (confidence ${p.confidence.toFixed(2)}): ${p.reason
          .split('\n')
          .map((l) => l.trim())
          .join(' ')}`,
        ...(link ? { url: link } : {}),
        details: details.join('\n'),
      };
    });
}

/** The checkpatch-style lines of `b4 prep --check`: nothing for a pass. */
export function checkpatchLines(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.status === 'fail' ? 'ERROR' : 'WARNING'}: ktriage: ${r.summary}\n`)
    .join('');
}

export async function runCheck(argv: string[], out: NodeJS.WritableStream, input = '-'): Promise<number> {
  const { values, positionals } = parse(argv, { ...INDEX_OPTIONS, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } }, USAGE.check);
  if (values.help) {
    out.write(USAGE.check + '\n');
    return 0;
  }
  if (positionals.length) throw new KtriageError('E_USAGE', `check reads the patch mail on stdin, not "${positionals[0]}" (usage: ${USAGE.check})`);
  const format = oneOf(values.format as string | undefined, ['json', 'checkpatch'] as const, '--format', 'json');
  const { messages } = await loadInput(input);
  const index = indexFromValues(values);
  try {
    const results = checkResults(triageMessages(messages, { port: index?.portFor(threadTreeHints(messages)) }), messages);
    out.write(format === 'json' ? JSON.stringify(results, null, 2) + '\n' : checkpatchLines(results));
  } finally {
    index?.close();
  }
  return 0;
}
