// What a message says about reports and commits, without a whole extraction:
// whether it posts a patch of its own, its trailers and its commit references,
// read exactly as extractMessage reads them (same lines, same diff lines). The
// store links threads and the linked-report lookup plans its requests from
// this while a backfill judges thousands of threads, so it is cheap and read
// once per message object.

import type { CommitRef, Message, Trailer } from '../core/types.js';
import { findDiffs } from './diff.js';
import { bodyLines, isRobotReport } from './lines.js';
import { extractMessage } from './message.js';
import { findRefs, findTrailers } from './refs.js';

export interface LinkFacts {
  /** the message posts a patch of its own (inline or attached), not one quoted from another mail */
  postsPatch: boolean;
  trailers: Trailer[];
  refs: CommitRef[];
}

const cache = new WeakMap<Message, LinkFacts>();

export function linkFactsOf(msg: Message): LinkFacts {
  let facts = cache.get(msg);
  if (facts) return facts;
  const robot = isRobotReport(`${msg.from.name} <${msg.from.address}>`, msg.body);
  const lines = bodyLines(msg.body, robot);
  const blocks = findDiffs(lines);
  const depthOf = new Map(lines.map((l) => [l.n, l.depth]));
  const diffLines = new Set<number>();
  for (const b of blocks) for (let n = b.firstLine; n <= b.lastLine; n++) if (depthOf.get(n) === b.depth || !lines[n - 1]?.text.trim()) diffLines.add(n);
  // attached patches need the attachment reader: the whole extraction, for the few mails that have them
  const postsPatch = blocks.some((b) => b.depth === 0) || Boolean(msg.attachments?.length && extractMessage(msg).patches.some((p) => p.quoteDepth === 0 && p.source !== 'diffstat'));
  facts = { postsPatch, trailers: findTrailers(msg.messageId, lines, diffLines), refs: findRefs(msg.messageId, lines, diffLines) };
  cache.set(msg, facts);
  return facts;
}
