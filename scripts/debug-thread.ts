// Debugging aid: one thread of the traffic sweep, its failures (where each belongs) and
// each patch's attribution.  node --import tsx scripts/debug-thread.ts KEY [--source FILE]
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFacts } from '../src/analyze/facts.js';
import { extractMessage } from '../src/extract/message.js';
import { buildThread } from '../src/mail/thread.js';
import { readArchiveThreads } from './read-archive.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { source: { type: 'string', default: join(import.meta.dirname, '..', '..', 'shared', 'bench', 'linux-kbuild-10k.mbox.gz') } },
});
const key = positionals[0]!;
const { threads } = await readArchiveThreads(values.source!);
const hit = threads.find((t) => createHash('sha1').update(buildThread(t).rootId).digest('hex').startsWith(key));
if (!hit) throw new Error(`no thread ${key}`);
const thread = buildThread(hit);
const facts = buildFacts(thread, thread.messages.map(extractMessage));
facts.failures.forEach((f, k) =>
  console.log(
    `F${k} idx${f.index} ${f.failure.kind}${f.failure.fromRobot ? ' robot' : ''} about=${f.about ?? '-'}${f.introduced ? ' introduced' : ''} @${f.failure.cite.messageId}:L${f.failure.cite.line} ${f.failure.message.slice(0, 90)} (mentions ${f.mentions.map((m) => m.cite.messageId.slice(0, 24)).join(' ')})`,
  ),
);
facts.patches.forEach((r, k) =>
  console.log(
    `P${k} idx${r.index} ${r.patch.source} ${r.patch.subject.slice(0, 70)} in ${r.patch.foundIn.slice(0, 30)} replaces=${r.replaces ?? '-'} answers=${r.answers} own=${r.ownFailures} introduces=${r.introduces}`,
  ),
);
