// The pure pipeline from parsed messages to a verdict.

import type { Extraction, Message, Verdict } from '../core/types.js';
import { extractMessage } from '../extract/message.js';
import { buildThread } from '../mail/thread.js';
import { decideThread } from './decide.js';
import { buildFacts } from './facts.js';
import type { IndexPort } from './index-port.js';

export interface TriageOptions {
  /** judge as the daemon must: drop everything after the first patch that answers a failure */
  blind?: boolean;
  /** with blind: cut right after this message instead (eval names the judged patch) */
  cutAfter?: string;
  /** the kernel index to cross-reference failures with */
  port?: IndexPort;
}

export function triageMessages(messages: Message[], opts: TriageOptions = {}): Verdict {
  const thread = buildThread(messages);
  const extractions: Extraction[] = thread.messages.map(extractMessage);
  if (!opts.blind) return decideThread(buildFacts(thread, extractions), { blind: false, port: opts.port });

  let cut = -1;
  if (opts.cutAfter) cut = thread.messages.findIndex((m) => m.messageId === opts.cutAfter);
  if (cut < 0) {
    const full = buildFacts(thread, extractions);
    const firstAnswering = full.patches.filter((r) => r.answers.length).sort((a, b) => a.index - b.index)[0];
    cut = firstAnswering ? firstAnswering.index : thread.messages.length - 1;
  }
  const kept = thread.messages.slice(0, cut + 1);
  const cutThread = buildThread(kept);
  const facts = buildFacts(cutThread, cutThread.messages.map((m) => extractions[thread.messages.indexOf(m)] ?? extractMessage(m)));
  const v = decideThread(facts, { blind: true, port: opts.port });
  if (cut < thread.messages.length - 1) v.blindCutAfter = kept[kept.length - 1]!.messageId;
  return v;
}
