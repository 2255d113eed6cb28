// The pure pipeline from parsed messages to a verdict.

import type { Extraction, LinkedReports, Message, Verdict } from '../core/types.js';
import { extractMessage } from '../extract/message.js';
import { buildThread } from '../mail/thread.js';
import { decideThread } from './decide.js';
import { buildFacts, type BuildFactsOptions } from './facts.js';
import type { IndexPort } from './index-port.js';

export interface TriageOptions {
  /** judge as the daemon must: drop everything after the first patch that answers a failure */
  blind?: boolean;
  /** with blind: cut right after this message instead (eval names the judged patch) */
  cutAfter?: string;
  /** the kernel index to cross-reference failures with */
  port?: IndexPort;
  /** reports the thread's patches link to (Closes:/Link:), found outside the thread (ingest/linked-reports.ts) */
  linked?: LinkedReports;
  /** rules left out (eval --without-rule) */
  withoutRules?: readonly string[];
  /** what one message says, in place of extractMessage: a caller judging a growing thread again may remember it */
  extract?: (m: Message) => Extraction;
}

/** Who maintains what, from the index's MAINTAINERS: the sections that match, most specific first, not the catch-all. */
function maintainersFrom(port?: IndexPort): BuildFactsOptions {
  const lookup = port?.maintainers?.bind(port);
  if (!lookup) return {};
  return {
    maintainers: (paths) =>
      lookup(paths)
        .filter((m) => !/^THE REST$/i.test(m.title))
        .slice(0, 4)
        .flatMap((m) => m.persons),
  };
}

export function triageMessages(messages: Message[], opts: TriageOptions = {}): Verdict {
  const thread = buildThread(messages);
  const extract = opts.extract ?? extractMessage;
  const extractions: Extraction[] = thread.messages.map((m) => extract(m));
  const factsOpts = { ...maintainersFrom(opts.port), ...(opts.linked ? { linked: opts.linked } : {}) };
  if (!opts.blind) return decideThread(buildFacts(thread, extractions, factsOpts), { blind: false, port: opts.port, withoutRules: opts.withoutRules });

  let cut = -1;
  if (opts.cutAfter) cut = thread.messages.findIndex((m) => m.messageId === opts.cutAfter);
  if (cut < 0) {
    const full = buildFacts(thread, extractions, factsOpts);
    const firstAnswering = full.patches.filter((r) => r.answers.length).sort((a, b) => a.index - b.index)[0];
    cut = firstAnswering ? firstAnswering.index : thread.messages.length - 1;
  }
  const kept = thread.messages.slice(0, cut + 1);
  const cutThread = buildThread(kept);
  const facts = buildFacts(
    cutThread,
    cutThread.messages.map((m) => extractions[thread.messages.indexOf(m)] ?? extract(m)),
    factsOpts,
  );
  const v = decideThread(facts, { blind: true, port: opts.port, withoutRules: opts.withoutRules });
  if (cut < thread.messages.length - 1) v.blindCutAfter = kept[kept.length - 1]!.messageId;
  return v;
}
