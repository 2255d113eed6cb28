// Thread facts stay linear in the number of postings: which failures a patch can
// answer is found by lookups (its own message, the reports above it, those about it
// or its earlier revision), not by a scan of every failure for every patch. Before,
// 4,900 postings each with its own log took 20 s; quadratic work would show here as
// a ratio far above the size ratio.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFacts } from '../../src/analyze/facts.js';
import type { Message } from '../../src/core/types.js';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { buildThread } from '../../src/mail/thread.js';

async function postings(n: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < n; i++) {
    const raw = [
      `From: Dev ${i} <dev${i}@example.org>`,
      `Subject: [PATCH] gpio: kestrel: fix bank ${i}`,
      `Date: Thu, 6 Jun 2024 10:${String(i % 60).padStart(2, '0')}:00 +0200`,
      `Message-ID: <bank${i}@example.org>`,
      ...(i ? ['In-Reply-To: <bank0@example.org>'] : []),
      '',
      `drivers/gpio/gpio-kestrel.c:12: undefined reference to \`kestrel_bank_${i}'`,
      '---',
      'diff --git a/drivers/gpio/gpio-kestrel.c b/drivers/gpio/gpio-kestrel.c',
      '--- a/drivers/gpio/gpio-kestrel.c',
      '+++ b/drivers/gpio/gpio-kestrel.c',
      '@@ -1 +1 @@',
      `-a${i}`,
      `+b${i} c${i % 7}`,
      '',
    ].join('\n');
    out.push(await parseMail({ bytes: Buffer.from(raw), origin: { kind: 'mbox', path: 'generated.mbox', index: i } }));
  }
  return out;
}

function factsTime(messages: Message[]): number {
  const thread = buildThread(messages);
  const extractions = thread.messages.map(extractMessage);
  const t0 = performance.now();
  const facts = buildFacts(thread, extractions);
  const ms = performance.now() - t0;
  // each posting answers its own log, and a reply to the first posting that one's as well
  assert.ok(facts.patches.every((r) => r.ownFailures.length === 1 && r.answers.includes(r.ownFailures[0]!) && r.answers.length <= 2));
  return ms;
}

describe('thread facts at scale', () => {
  it('four times the postings cost well under sixteen times the time', async () => {
    const small = await postings(400);
    const large = await postings(1600);
    factsTime(small); // warm up
    // the least of three runs: a busy machine (the suite runs beside other work) adds, never removes
    const a = Math.min(factsTime(small), factsTime(small), factsTime(small));
    const b = Math.min(factsTime(large), factsTime(large), factsTime(large));
    if (process.env.SHOW_TIMES) console.log(`400: ${a.toFixed(0)} ms, 1600: ${b.toFixed(0)} ms`);
    assert.ok(b < 9 * Math.max(a, 20), `400 postings: ${a.toFixed(0)} ms, 1600: ${b.toFixed(0)} ms`);
  });
});
