// Series grouping (src/mail/series.ts) on real-looking postings: every posting
// survives, grouped as b4 would group it, whatever order the mail arrives in.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Message, Series } from '../../src/core/types.js';
import { buildThread, groupSeries } from '../../src/mail/thread.js';
import { bare, FIXTURES, load, shuffled } from './helpers.js';

const members = (s: Series): string[] => [...(s.coverId ? [s.coverId] : []), ...s.patchIds.filter(Boolean)].map(bare);

describe('series: subjects typed by hand', () => {
  it('[PATCH1/2] with the counter glued to PATCH is a series member, not a non-patch', async () => {
    const ms = await load('series-glued-counter-patch1of2.mbox');
    assert.ok(ms.every((m) => m.subjectInfo.isPatch));
    const [s, ...rest] = buildThread(ms).series;
    assert.equal(rest.length, 0);
    assert.equal(s!.coverId, '<20240604091500.31007-0-marit.eklund@tamarack-soc.example>');
    assert.equal(s!.expected, 2);
    assert.equal(s!.complete, true);
    assert.equal(s!.topic, 'soc: tamarack: pmu: probe fixes');
  });

  it('[PATCH [soc] 1/2]: a tag in brackets inside the PATCH bracket keeps the counters', async () => {
    const ms = await load('series-nested-bracket-prefix.mbox');
    assert.deepEqual(ms[0]!.subjectInfo.prefixes, ['PATCH', 'soc', '1/2']);
    assert.equal(ms[0]!.subjectInfo.topic, 'soc: tamarack: pmu: use devm_clk_get_enabled()');
    const ss = buildThread(ms).series;
    assert.equal(ss.length, 1);
    assert.deepEqual(ss[0]!.patchIds.map(bare), ['20240610143012.5121-1-marit.eklund@tamarack-soc.example', '20240610143012.5121-2-marit.eklund@tamarack-soc.example']);
    assert.equal(ss[0]!.complete, true);
  });
});

describe('series: members joined to their cover', () => {
  it('[PATCH 3/2] sent the next day is a follow-up extra: the series stays complete, expected stays 2', async () => {
    const ss = buildThread(await load('series-extra-patch-3-of-2.mbox')).series;
    assert.equal(ss.length, 1, JSON.stringify(ss));
    const s = ss[0]!;
    assert.equal(s.expected, 2);
    assert.equal(s.complete, true);
    assert.equal(s.patchIds.length, 3);
    assert.equal(bare(s.patchIds[2]!), '20240613075540.9912-1-marit.eklund@tamarack-soc.example');
  });

  it('a cover that says v3 takes patches that name no version: one v3 series with its cover', async () => {
    const ss = buildThread(await load('series-cover-v3-patches-unversioned.mbox')).series;
    assert.equal(ss.length, 1, JSON.stringify(ss));
    assert.equal(ss[0]!.revision, 3);
    assert.equal(ss[0]!.revisionInferred, false);
    assert.equal(bare(ss[0]!.coverId!), '20240617081102.20414-0-marit.eklund@tamarack-soc.example');
    assert.equal(ss[0]!.complete, true);
  });

  it('--no-thread: a cover and patches without threading headers are still one posting', async () => {
    const ss = buildThread(await load('series-cover-headers-lost.mbox')).series;
    assert.equal(ss.length, 1, JSON.stringify(ss));
    assert.equal(bare(ss[0]!.coverId!), '20240619125530.4410-1-marit.eklund@tamarack-soc.example');
    assert.equal(ss[0]!.revision, 2);
    assert.equal(ss[0]!.complete, true);
  });
});

describe('series: re-sends never overwrite each other', () => {
  it('posted, re-posted three days later, then RESENT: three postings, all six patches kept, in date order', async () => {
    const ss = buildThread(await load('series-resent-same-shape.mbox')).series;
    assert.equal(ss.length, 3, JSON.stringify(ss));
    assert.deepEqual(
      ss.map((s) => [s.date?.slice(0, 10), s.resend, s.complete, s.revision]),
      [
        ['2024-07-01', false, true, 1],
        ['2024-07-04', false, true, 1],
        ['2024-07-08', true, true, 1],
      ],
    );
    assert.equal(new Set(ss.flatMap(members)).size, 6);
  });

  it('with every threading header lost, a re-send three hours later is a posting of its own', async () => {
    const ms = await load('series-resent-headers-lost.mbox');
    const ss = buildThread(ms).series;
    assert.equal(ss.length, 2, JSON.stringify(ss));
    assert.deepEqual(ss.map(members), [ms.slice(0, 2).map((m) => bare(m.messageId)), ms.slice(2).map((m) => bare(m.messageId))]);
    assert.ok(ss.every((s) => s.complete));
  });
});

describe('series: follow-ups that kept [PATCH] without Re:', () => {
  it('a review quoting the diff and an Acked-by from someone else are replies, not series; a v2 in reply to v1 is a posting', async () => {
    const t = buildThread(await load('followup-kept-patch-subject.mbox'));
    assert.deepEqual(
      t.series.map((s) => [s.revision, s.patchIds.map(bare)]),
      [
        [1, ['20240715110203.15550-1-marit.eklund@tamarack-soc.example']],
        [2, ['20240716082244.16001-1-marit.eklund@tamarack-soc.example']],
      ],
    );
    const review = t.messages.find((m) => m.from.address === 'jvehko@kernel-review.example')!;
    const ack = t.messages.find((m) => m.from.address === 'tomasz.wierzba@tamarack-soc.example')!;
    for (const m of [review, ack]) {
      assert.equal(m.subjectInfo.isReply, true, m.messageId);
      assert.equal(m.subjectInfo.replyInferred, true, m.messageId);
    }
    const v2 = t.messages.find((m) => m.subjectInfo.revision === 2)!;
    assert.equal(v2.subjectInfo.isReply, false);
  });

  it('marking is idempotent: the thread of a thread holds the same message objects (blind mode rebuilds it)', async () => {
    const t = buildThread(await load('followup-kept-patch-subject.mbox'));
    const again = buildThread(t.messages);
    assert.ok(again.messages.every((m, i) => m === t.messages[i]));
  });
});

describe('series: invariants over every fixture', () => {
  const files = readdirSync(FIXTURES).filter((f) => /\.(mbox|eml)$/.test(f));

  it('every patch posting is in exactly one series (nothing posted is lost)', async () => {
    for (const f of files) {
      const t = buildThread(await load(f));
      const posted = t.messages.filter((m) => m.subjectInfo.isPatch && !m.subjectInfo.isReply).map((m) => bare(m.messageId));
      const grouped = t.series.flatMap(members);
      assert.deepEqual([...grouped].sort(), [...posted].sort(), f);
    }
  });

  it('the series and the tree do not depend on the order the messages come in', async () => {
    for (const f of files) {
      const ms = await load(f);
      const want = JSON.stringify(buildThread(ms).series);
      for (let seed = 1; seed <= 6; seed++) assert.equal(JSON.stringify(buildThread(shuffled(ms, seed)).series), want, `${f} seed ${seed}`);
    }
  });
});

describe('series: bounded work', () => {
  const patch = (i: number, k: number, day: number): Message => ({
    messageId: `<2024${String(i).padStart(6, '0')}-${k}@flood.example>`,
    messageIdInferred: false,
    references: [],
    from: { name: 'Flood', address: 'flood@example.org' },
    to: [],
    cc: [],
    date: new Date(Date.UTC(2024, 0, 1 + day, 0, 0, k)).toISOString(),
    subject: `[PATCH ${k}/2] x: y`,
    subjectInfo: {
      isReply: false,
      isForward: false,
      prefixes: ['PATCH', `${k}/2`],
      isPatch: true,
      isPull: false,
      isRfc: false,
      isResend: false,
      revision: 1,
      revisionInferred: true,
      counter: k,
      expected: 2,
      topic: 'x: y',
    },
    body: 'diff --git a/x b/x\n',
    origin: { kind: 'mbox', path: 'flood.mbox' },
    notes: [],
  });

  it('2500 unthreaded re-sends of one 2-patch series group in well under a second, none lost', () => {
    const ms = Array.from({ length: 2500 }, (_, i) => [patch(i, 1, i), patch(i, 2, i)]).flat();
    const t0 = performance.now();
    const ss = groupSeries(ms);
    const ms1 = performance.now() - t0;
    assert.equal(ss.length, 2500);
    assert.ok(ss.every((s) => s.complete));
    assert.ok(ms1 < 1000, `${ms1.toFixed(0)} ms`);
  });

  it('a forged [PATCH 9999/9999] is read as a single patch, not 9999 slots', () => {
    const m = { ...patch(1, 1, 0), subject: '[PATCH 9999/9999] x: y' };
    m.subjectInfo = { ...m.subjectInfo, counter: 9999, expected: 9999 };
    const [s] = groupSeries([m]);
    assert.equal(s!.patchIds.length, 1);
    assert.equal(s!.expected, 1);
  });
});

describe('a cover letter without [PATCH 0/N]', () => {
  it("the author's mail that starts the thread and that 1/N answers is the cover", async () => {
    const { groupSeries } = await import('../../src/mail/series.js');
    const { makeMessage } = await import('../helpers/unit.js');
    const from = { name: 'Pat Author', address: 'pat@example.org' };
    // patches look like patches (a sign-off and a diff), or they would read as replies that kept [PATCH]
    const body = 'Do it.\n\nSigned-off-by: Pat Author <pat@example.org>\n---\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n';
    const cover = makeMessage({ messageId: '<c@x>', subject: 'foo: a series to rework the probe path', from, date: '2024-03-01T10:00:00Z' });
    const p1 = makeMessage({ messageId: '<p1@x>', subject: '[PATCH 1/2] foo: one', from, body, inReplyTo: '<c@x>', references: ['<c@x>'], date: '2024-03-01T10:01:00Z' });
    const p2 = makeMessage({ messageId: '<p2@x>', subject: '[PATCH 2/2] foo: two', from, body, inReplyTo: '<c@x>', references: ['<c@x>'], date: '2024-03-01T10:02:00Z' });
    const [s] = groupSeries([cover, p1, p2]);
    assert.equal(s!.coverId, '<c@x>');
    assert.deepEqual(s!.patchIds, ['<p1@x>', '<p2@x>']);
    // someone else's mail the patches answer (a report) is not their cover
    const report = makeMessage({ messageId: '<r@x>', subject: 'foo: probe fails', from: { name: 'Tess', address: 'tess@example.org' } });
    const q1 = makeMessage({ messageId: '<q1@x>', subject: '[PATCH 1/2] foo: one', from, body, inReplyTo: '<r@x>', references: ['<r@x>'] });
    const q2 = makeMessage({ messageId: '<q2@x>', subject: '[PATCH 2/2] foo: two', from, body, inReplyTo: '<r@x>', references: ['<r@x>'] });
    assert.equal(groupSeries([report, q1, q2])[0]!.coverId, undefined);
  });
});
