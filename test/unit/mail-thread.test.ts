// src/mail/thread.ts: JWZ threading without recursion, subject fallback, series.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/core/types.js';
import { buildThread, chronological, groupSeries } from '../../src/mail/thread.js';
import { makeMessage } from '../helpers/unit.js';

interface Spec {
  id: string;
  subject?: string;
  date?: string;
  irt?: string;
  refs?: string[];
  from?: string;
  body?: string;
}

const msg = (s: Spec): Message =>
  makeMessage({
    messageId: `<${s.id}>`,
    subject: s.subject ?? 'Re: [PATCH] mm: fix the NOMMU build',
    date: s.date,
    inReplyTo: s.irt ? `<${s.irt}>` : undefined,
    references: (s.refs ?? []).map((r) => `<${r}>`),
    from: { name: s.from ?? 'Ada Hacker', address: `${(s.from ?? 'ada').toLowerCase().split(' ')[0]}@example.org` },
    body: s.body ?? `body of ${s.id}\n`,
  });

const day = (d: number) => `2022-03-${String(d).padStart(2, '0')}T10:00:00.000Z`;
const nodeOf = (t: ReturnType<typeof buildThread>, id: string) => t.nodes.find((n) => n.messageId === `<${id}>`)!;
const ids = (ms: Message[]) => ms.map((m) => m.messageId.replace(/[<>]/g, ''));

describe('buildThread', () => {
  it('parents from References and In-Reply-To; depths; root', () => {
    const t = buildThread([
      msg({ id: 'c', date: day(3), irt: 'b' }), // In-Reply-To only
      msg({ id: 'a', subject: '[PATCH] mm: fix the NOMMU build', date: day(1) }),
      msg({ id: 'b', date: day(2), refs: ['a'] }), // References only
      msg({ id: 'd', date: day(4), refs: ['a', 'b'], irt: 'b' }),
    ]);
    assert.equal(t.rootId, '<a>');
    assert.equal(nodeOf(t, 'a').parentId, undefined);
    assert.equal(nodeOf(t, 'a').depth, 0);
    assert.equal(nodeOf(t, 'b').parentId, '<a>');
    assert.equal(nodeOf(t, 'c').parentId, '<b>');
    assert.equal(nodeOf(t, 'c').depth, 2);
    assert.equal(nodeOf(t, 'd').parentId, '<b>');
    assert.ok(t.nodes.every((n) => !n.parentBySubject));
    assert.deepEqual(ids(t.messages), ['a', 'b', 'c', 'd']);
  });

  it('a missing parent: the root is the missing id, children keep their parentId', () => {
    // real Message-IDs carry an '@' (an id without one names a message only if it is in the thread)
    const t = buildThread([msg({ id: 'b', date: day(2), refs: ['a@x'], irt: 'a@x' }), msg({ id: 'c', date: day(3), refs: ['a@x', 'b'], irt: 'b' })]);
    assert.equal(t.rootId, '<a@x>');
    assert.equal(t.messages.length, 2);
    assert.equal(nodeOf(t, 'b').parentId, '<a@x>');
    assert.equal(nodeOf(t, 'b').depth, 0, 'a missing container does not count towards depth');
    assert.equal(nodeOf(t, 'c').parentId, '<b>');
    assert.equal(nodeOf(t, 'c').depth, 1);
  });

  it('a missing message in the middle: the child points at the nearest present ancestor', () => {
    const t = buildThread([msg({ id: 'a', subject: '[PATCH] x', date: day(1) }), msg({ id: 'c', date: day(3), refs: ['a', 'b'], irt: 'b' })]);
    assert.equal(nodeOf(t, 'c').parentId, '<a>');
    assert.equal(nodeOf(t, 'c').depth, 1);
  });

  it('loops in References do not hang or make a cycle', () => {
    const t = buildThread([msg({ id: 'x', date: day(1), refs: ['y'], irt: 'y' }), msg({ id: 'y', date: day(2), refs: ['x'], irt: 'x' }), msg({ id: 'z', date: day(3), refs: ['z', 'x', 'y', 'x'] })]);
    assert.equal(t.messages.length, 3);
    // following parentId from every node ends at a node without a parent
    for (const n of t.nodes) {
      const seen = new Set<string>();
      let cur: string | undefined = n.messageId;
      while (cur) {
        assert.ok(!seen.has(cur), `cycle through ${cur}`);
        seen.add(cur);
        cur = t.nodes.find((k) => k.messageId === cur)?.parentId;
      }
    }
    assert.ok(t.nodes.some((n) => n.parentId === undefined));
  });

  it('a long reply chain is handled without recursion', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => msg({ id: `m${i}`, date: new Date(Date.UTC(2022, 0, 1, 0, 0, i)).toISOString(), irt: i ? `m${i - 1}` : undefined }));
    const t = buildThread(chain);
    assert.equal(nodeOf(t, 'm2999').depth, 2999);
    assert.equal(t.rootId, '<m0>');
  });

  it('duplicate Message-IDs: identical copies collapse, different bodies are kept under a well-formed id and a note', () => {
    const a = msg({ id: 'a', subject: '[PATCH] x', date: day(1), body: 'one\n' });
    const copy = msg({ id: 'a', subject: '[PATCH] x', date: day(1), body: 'one\n' });
    const other = msg({ id: 'a', subject: '[PATCH] x', date: day(2), body: 'two\n' });
    assert.equal(buildThread([a, copy]).messages.length, 1);
    const t = buildThread([a, copy, other]);
    assert.equal(t.messages.length, 2);
    const dup = t.messages.find((m) => m.messageId === '<a.dup2@ktriage.invalid>');
    assert.ok(dup, ids(t.messages).join(' '));
    assert.match(dup.messageId, /^<[^<>\s@]+@[^<>\s@]+>$/, 'an id any reader takes as one');
    assert.ok(dup.notes.some((n) => /duplicate Message-ID/.test(n)));
  });

  it('subject fallback: a reply without References/In-Reply-To hangs off the first mail with its topic', () => {
    const t = buildThread([
      msg({ id: 'p', subject: '[PATCH v2] arm: nommu: fix flush_tlb_kernel_range', date: day(1) }),
      msg({ id: 'r', subject: 'Re: [PATCH v2] arm: nommu: fix flush_tlb_kernel_range', date: day(2) }),
      msg({ id: 'u', subject: 'Unrelated question', date: day(3) }),
      msg({ id: 'n', subject: '[PATCH v2] arm: nommu: fix flush_tlb_kernel_range', date: day(4) }), // not a reply: no fallback
    ]);
    assert.equal(nodeOf(t, 'r').parentId, '<p>');
    assert.equal(nodeOf(t, 'r').parentBySubject, true);
    assert.equal(nodeOf(t, 'r').depth, 1);
    assert.equal(nodeOf(t, 'u').parentId, undefined);
    assert.equal(nodeOf(t, 'n').parentId, undefined);
  });

  it('messages come out in date order; undated mail stays after the one before it in the input', () => {
    const t = buildThread([
      msg({ id: 'late', subject: '[PATCH] x', date: day(5) }),
      msg({ id: 'undated' }),
      msg({ id: 'early', date: day(1), irt: 'late' }),
      msg({ id: 'mid', date: day(3), irt: 'late' }),
    ]);
    assert.deepEqual(ids(t.messages), ['early', 'mid', 'late', 'undated']);
  });
});

describe('chronological', () => {
  it('sorts dated mail even when undated mail sits between them', () => {
    const ms = [msg({ id: 'a', date: day(3) }), msg({ id: 'b' }), msg({ id: 'c', date: day(1) }), msg({ id: 'd', date: day(2) }), msg({ id: 'e' })];
    assert.deepEqual(ids(chronological(ms)), ['c', 'd', 'e', 'a', 'b']);
  });
  it('keeps input order for equal dates and for all-undated input', () => {
    assert.deepEqual(ids(chronological([msg({ id: 'x', date: day(1) }), msg({ id: 'y', date: day(1) })])), ['x', 'y']);
    assert.deepEqual(ids(chronological([msg({ id: 'q' }), msg({ id: 'p' }), msg({ id: 'o' })])), ['q', 'p', 'o']);
  });
  it('undated mail at the start stays first', () => {
    assert.deepEqual(ids(chronological([msg({ id: 'u' }), msg({ id: 'b', date: day(2) }), msg({ id: 'a', date: day(1) })])), ['u', 'a', 'b']);
  });
});

describe('groupSeries', () => {
  const patch = (id: string, subject: string, irt?: string, from = 'Ada Hacker') => msg({ id, subject, irt, refs: irt ? [irt] : [], from });

  it('a cover letter and 3 patches: one complete series, patches in counter order', () => {
    const [s, ...rest] = groupSeries([
      patch('c', '[PATCH 0/3] percpu: NOMMU fixes'),
      patch('p3', '[PATCH 3/3] percpu: three', 'c'),
      patch('p1', '[PATCH 1/3] percpu: one', 'c'),
      patch('p2', '[PATCH 2/3] percpu: two', 'c'),
      patch('r', 'Re: [PATCH 2/3] percpu: two', 'p2', 'Bob Reviewer'),
    ]);
    assert.equal(rest.length, 0);
    assert.equal(s!.coverId, '<c>');
    assert.equal(s!.topic, 'percpu: NOMMU fixes');
    assert.deepEqual(s!.patchIds, ['<p1>', '<p2>', '<p3>']);
    assert.equal(s!.expected, 3);
    assert.equal(s!.complete, true);
    assert.equal(s!.author, 'ada@example.org');
  });

  it('no cover: patches replying to 1/3 are one series', () => {
    const ss = groupSeries([patch('p1', '[PATCH 1/3] a: one'), patch('p2', '[PATCH 2/3] a: two', 'p1'), patch('p3', '[PATCH 3/3] a: three', 'p1')]);
    assert.equal(ss.length, 1);
    assert.deepEqual(ss[0]!.patchIds, ['<p1>', '<p2>', '<p3>']);
    assert.equal(ss[0]!.complete, true);
    assert.equal(ss[0]!.topic, 'a: one');
  });

  it('--chain-reply-to: each patch replying to the previous one is one series', () => {
    const ss = groupSeries([patch('c', '[PATCH 0/3] a: cover'), patch('p1', '[PATCH 1/3] a: one', 'c'), patch('p2', '[PATCH 2/3] a: two', 'p1'), patch('p3', '[PATCH 3/3] a: three', 'p2')]);
    assert.equal(ss.length, 1);
    assert.deepEqual(ss[0]!.patchIds, ['<p1>', '<p2>', '<p3>']);
    assert.equal(ss[0]!.coverId, '<c>');
  });

  it('v1 and v2 of one series are two series in revision order', () => {
    const ss = groupSeries([
      patch('v2c', '[PATCH v2 0/2] a: cover', 'v1c'),
      patch('v2p1', '[PATCH v2 1/2] a: one', 'v2c'),
      patch('v2p2', '[PATCH v2 2/2] a: two', 'v2c'),
      patch('v1c', '[PATCH 0/2] a: cover'),
      patch('v1p1', '[PATCH 1/2] a: one', 'v1c'),
      patch('v1p2', '[PATCH 2/2] a: two', 'v1c'),
    ]);
    assert.deepEqual(
      ss.map((s) => [s.revision, s.coverId, s.complete]),
      [
        [1, '<v1c>', true],
        [2, '<v2c>', true],
      ],
    );
    assert.deepEqual(ss[1]!.patchIds, ['<v2p1>', '<v2p2>']);
  });

  it('a missing patch: complete is false and its slot is empty', () => {
    const [s] = groupSeries([patch('c', '[PATCH 0/3] a: cover'), patch('p1', '[PATCH 1/3] a: one', 'c'), patch('p3', '[PATCH 3/3] a: three', 'c')]);
    assert.equal(s!.complete, false);
    assert.deepEqual(s!.patchIds, ['<p1>', '', '<p3>']);
  });

  it('a single patch is a series of one; replies and non-patches are not series', () => {
    const ss = groupSeries([patch('p', '[PATCH] a: fix'), patch('r', 'Re: [PATCH] a: fix', 'p'), patch('q', 'a question')]);
    assert.equal(ss.length, 1);
    assert.deepEqual(ss[0]!.patchIds, ['<p>']);
    assert.equal(ss[0]!.complete, true);
    assert.equal(ss[0]!.expected, 1);
  });

  it('patches answering a cover missing from the file are one posting; a second copy of one is another posting', () => {
    const ss = groupSeries([
      msg({ id: 'p1', subject: '[PATCH 1/2] a: one', irt: 'gone', refs: ['gone'], date: day(1) }),
      msg({ id: 'p2', subject: '[PATCH 2/2] a: two', irt: 'gone', refs: ['gone'], date: day(1) }),
      msg({ id: 'p2again', subject: '[PATCH 2/2] a: two', irt: 'gone', refs: ['gone'], date: day(2) }),
    ]);
    assert.deepEqual(
      ss.map((s) => s.patchIds),
      [
        ['<p1>', '<p2>'],
        ['', '<p2again>'],
      ],
    );
  });

  it("headers lost: a lone cover never joins an earlier coverless posting (it is the next posting's)", () => {
    const at = (h: number, s: number) => `2022-03-01T${String(h).padStart(2, '0')}:00:${String(s).padStart(2, '0')}.000Z`;
    const ss = groupSeries([
      msg({ id: 'a1', subject: '[PATCH 1/2] a: one', date: at(9, 1) }),
      msg({ id: 'a2', subject: '[PATCH 2/2] a: two', date: at(9, 2) }),
      msg({ id: 'c', subject: '[PATCH 0/2] a: cover', date: at(15, 0) }),
      msg({ id: 'b1', subject: '[PATCH 1/2] a: one', date: at(15, 1) }),
      msg({ id: 'b2', subject: '[PATCH 2/2] a: two', date: at(15, 2) }),
    ]);
    assert.deepEqual(ss.map((s) => [s.coverId ?? null, s.patchIds]).sort(), [
      [null, ['<a1>', '<a2>']],
      ['<c>', ['<b1>', '<b2>']],
    ]);
  });

  it('two unthreaded series from different authors stay apart', () => {
    const ss = groupSeries([patch('a1', '[PATCH 1/2] x: one', undefined, 'Ada'), patch('b1', '[PATCH 1/2] y: one', undefined, 'Bob'), patch('a2', '[PATCH 2/2] x: two', undefined, 'Ada')]);
    assert.equal(ss.length, 2);
    const ada = ss.find((s) => s.author === 'ada@example.org')!;
    assert.deepEqual(ada.patchIds, ['<a1>', '<a2>']);
    assert.equal(ada.complete, true);
  });
});
