// The traffic sweep (issue 15): real list mail threaded and triaged the way the
// bot will see it, every thread, to read what it would post. Writes one JSON
// line per thread to OUT/threads.jsonl and the confident verdicts (the ones a
// bot posting at --min-confidence would send) to OUT/confident.md, with each
// thread's subject, the judged patch, the failure it answers and why, so they
// can be read against the threads one by one.
//   node --import tsx scripts/sweep-traffic.ts [--source FILE|DIR] [--out DIR] [--min-confidence C] [--index PATH]

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { triageMessages } from '../src/analyze/triage.js';
import { chooseIndex, threadTreeHints } from '../src/cli/index-choice.js';
import type { Verdict } from '../src/core/types.js';
import { readArchiveThreads } from './read-archive.js';

const { values } = parseArgs({
  options: {
    source: { type: 'string', default: join(import.meta.dirname, '..', '..', 'shared', 'bench', 'linux-kbuild-10k.mbox.gz') },
    out: { type: 'string', default: join(import.meta.dirname, '..', '.sweep') },
    'min-confidence': { type: 'string', default: '0.8' },
    index: { type: 'string' },
  },
});
const min = Number(values['min-confidence']);
// a thread's key and half from its root's Message-ID: stable from one run to the next, so a
// reading before a change can be compared with one after; rules are written looking only at
// the 'dev' half, the 'check' half measures them
const keyOf = (root: string) => createHash('sha1').update(root).digest('hex').slice(0, 8);
const halfOf = (root: string) => (parseInt(keyOf(root).slice(-1), 16) % 2 ? 'check' : 'dev');
const out = values.out!;
mkdirSync(join(out, 'threads'), { recursive: true });

const t0 = Date.now();
const { threads, skipped: skippedCount } = await readArchiveThreads(values.source!);
const messages = threads.flat();
const skipped = { length: skippedCount };
console.log(`sweep: ${messages.length} messages (${skipped.length} skipped) in ${threads.length} threads, read in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const index = chooseIndex({ index: values.index });
const lines: string[] = [];
const confident: { v: Verdict; ms: number; n: number }[] = [];
const byVerdict = new Map<string, number>();
let slowest = { ms: 0, subject: '' };
for (const thread of threads) {
  const t = Date.now();
  let v: Verdict;
  try {
    v = triageMessages(thread, { port: index?.portFor(threadTreeHints(thread)) });
  } catch (e) {
    lines.push(JSON.stringify({ root: thread[0]!.messageId, error: String(e) }));
    byVerdict.set('error', (byVerdict.get('error') ?? 0) + 1);
    continue;
  }
  const ms = Date.now() - t;
  if (ms > slowest.ms) slowest = { ms, subject: v.subject };
  byVerdict.set(v.verdict, (byVerdict.get(v.verdict) ?? 0) + 1);
  const answering = v.patches.filter((p) => p.verdict === 'fixes' || p.verdict === 'hides' || p.verdict === 'partial');
  lines.push(
    JSON.stringify({
      root: v.rootId,
      key: keyOf(v.rootId),
      half: halfOf(v.rootId),
      subject: v.subject,
      messages: thread.length,
      verdict: v.verdict,
      confidence: v.confidence,
      ms,
      patches: v.patches.map((p) => ({ id: p.messageId, verdict: p.verdict, confidence: p.confidence, reason: p.reason.slice(0, 300) })),
      failures: v.failures.length,
    }),
  );
  if (answering.some((p) => p.confidence >= min)) {
    confident.push({ v, ms, n: thread.length });
    // the thread itself, to be read beside its verdict (messages as parsed: headers and body)
    const text = thread
      .map((m) =>
        [
          `From: ${m.from.name} <${m.from.address}>`,
          `Date: ${m.date ?? ''}`,
          `Subject: ${m.subject}`,
          `Message-ID: ${m.messageId}`,
          ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
          '',
          m.body,
        ].join('\n'),
      )
      .join('\n\n========================================================================\n\n');
    writeFileSync(join(out, 'threads', `${keyOf(v.rootId)}.txt`), text);
  }
}
index?.close();
writeFileSync(join(out, 'threads.jsonl'), lines.join('\n') + '\n');

const md: string[] = [`# Confident verdicts (≥ ${min}) of the sweep`, '', `source: ${values.source}`, ''];
confident.forEach(({ v, n }) => {
  md.push(`# thread ${keyOf(v.rootId)} (half ${halfOf(v.rootId)}, file threads/${keyOf(v.rootId)}.txt)`, '');
  for (const p of v.patches.filter((x) => (x.verdict === 'fixes' || x.verdict === 'hides' || x.verdict === 'partial') && x.confidence >= min)) {
    const f = p.answers.map((i) => v.failures[i]).filter(Boolean)[0];
    md.push(
      `## ${keyOf(v.rootId)}. ${p.verdict.toUpperCase()} ${p.confidence.toFixed(2)}: ${p.subject}`,
      '',
      `- thread ${v.rootId} (${n} messages), patch ${p.messageId}`,
      `- failure: ${f ? `${f.kind}: ${f.message.slice(0, 200)} [${f.cite.messageId}:L${f.cite.line}]` : 'NONE ATTRIBUTED'}`,
      `- why: ${p.reason.slice(0, 400)}`,
      `- judged: right / wrong / debatable — `,
      '',
    );
  }
});
writeFileSync(join(out, 'confident.md'), md.join('\n') + '\n');
console.log(
  `verdicts: ${[...byVerdict]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
);
console.log(`confident (≥ ${min}) fixes/hides/partial: ${confident.length} threads -> ${join(out, 'confident.md')}`);
console.log(`slowest thread ${slowest.ms} ms (${slowest.subject.slice(0, 80)}); total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
