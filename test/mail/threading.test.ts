// Threading (src/mail/thread.ts, msgid.ts) by public-inbox's rules, on real-looking mail.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseMail } from '../../src/mail/parse.js';
import { buildThread, threadRootId } from '../../src/mail/thread.js';
import type { Message } from '../../src/core/types.js';
import { makeMessage, raw } from '../helpers/unit.js';
import { bare, FIXTURES, load, permutations, shape } from './helpers.js';

describe('threading: contradicting References', () => {
  it('two replies place a missing mail under different parents: the earlier reply decides, in every input order', async () => {
    const ms = await load('thread-contradicting-references.mbox');
    const want = shape(buildThread(ms));
    // the earlier reply (Jonas, 09:05) puts Priya's missing mail under the patch
    const patch = '<20240722093000.8801-1-marit.eklund@tamarack-soc.example>';
    assert.equal(want.rootId, patch);
    for (const n of buildThread(ms).nodes) if (n.messageId !== patch) assert.equal(n.parentId, patch, n.messageId);
    for (const order of permutations(ms)) assert.deepEqual(shape(buildThread(order)), want, order.map((m) => bare(m.messageId)).join(' '));
  });
});

describe('threading: references that name no message', () => {
  it("'<y>', '<n>', a list address and an id without '@' are ignored: four unrelated mails, four roots, no ghost parent", async () => {
    const ms = await load('thread-bogus-references.mbox');
    // the parser drops addresses; ids without '@' stay until the thread is built, where they name
    // a message only if one here carries them (none does)
    assert.ok(
      ms.every((m) => [...m.references, ...(m.inReplyTo ? [m.inReplyTo] : [])].every((r) => !r.slice(1, -1).includes('@'))),
      JSON.stringify(ms.map((m) => [m.inReplyTo, m.references])),
    );
    const t = buildThread(ms);
    assert.ok(t.nodes.every((n) => n.parentId === undefined && n.depth === 0));
    assert.equal(t.rootId, '<20240724060011.2201-1-marit.eklund@tamarack-soc.example>');
  });

  it("an id without '@' that a message of the thread does carry is a real reference (public-inbox's tests use such ids)", () => {
    const m = (id: string, refs: string[] = []) =>
      makeMessage({ messageId: `<${id}>`, subject: `topic ${id}`, references: refs.map((r) => `<${r}>`), inReplyTo: refs.length ? `<${refs.at(-1)}>` : undefined });
    const t = buildThread([m('a'), m('b', ['a']), m('c', ['y'])]);
    const parent = (id: string) => t.nodes.find((n) => n.messageId === `<${id}>`)?.parentId;
    assert.equal(parent('b'), '<a>');
    assert.equal(parent('c'), undefined, '<y> names no message here');
  });

  it("a reference equal to the sender's own address is dropped; a real id is kept", async () => {
    const m = await parseMail(
      raw(
        [
          'From: Olle Brandt <olle.brandt@corvid-soc.example>',
          'To: Stephen Quill <squill@clk-maint.example>',
          'Subject: Re: clk: corvid: which tree?',
          'Date: Wed, 24 Jul 2024 12:00:00 +0200',
          'Message-ID: <20240724100000.GC4410@corvid-soc.example>',
          'In-Reply-To: <squill@clk-maint.example>',
          'References: <20240724090203.GB4410@corvid-soc.example> <olle.brandt@corvid-soc.example>',
          '',
          'Ping.',
          '',
        ].join('\n'),
      ),
    );
    assert.deepEqual(m.references, ['<20240724090203.GB4410@corvid-soc.example>']);
    assert.equal(m.inReplyTo, '<20240724090203.GB4410@corvid-soc.example>');
  });
});

describe('threading: folded Message-IDs', () => {
  it('a Message-ID folded with a tab inside its brackets is unfolded, not replaced by an invented id; replies find it', async () => {
    const ms = await load('thread-folded-message-id.mbox');
    const id = '<20240729-tmk-pmu-author-v1-1-9b0c7d6e5f4a@tamarack-soc.example>';
    assert.equal(ms[0]!.messageId, id);
    assert.equal(ms[0]!.messageIdInferred, false);
    // the second reply's In-Reply-To and References are folded too
    assert.equal(ms[2]!.inReplyTo, id);
    assert.deepEqual(ms[2]!.references, [id]);
    const t = buildThread(ms);
    assert.equal(t.rootId, id);
    assert.deepEqual(
      t.nodes.map((n) => [bare(n.messageId), n.parentId && bare(n.parentId), n.depth]),
      [
        [bare(id), undefined, 0],
        ['ZqiKx3T0p9uV1wYz@soc-maint.example', bare(id), 1],
        ['4a1c9e2b-0d3f-4e5a-8b6c-7d8e9f0a1b2c@kernel-review.example', bare(id), 1],
      ],
    );
  });
});

describe('threading: bounded work', () => {
  it('5000 messages, each referencing every earlier one up to the References cap, thread in well under a second', () => {
    const ms = Array.from({ length: 5000 }, (_, i) => ({
      messageId: `<m${i}@flood.example>`,
      messageIdInferred: false,
      inReplyTo: i ? `<m${i - 1}@flood.example>` : undefined,
      references: Array.from({ length: Math.min(i, 128) }, (_, k) => `<m${i - Math.min(i, 128) + k}@flood.example>`),
      from: { name: 'F', address: 'f@flood.example' },
      to: [],
      cc: [],
      date: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
      subject: 'Re: x',
      subjectInfo: { isReply: true, isForward: false, prefixes: [], isPatch: false, isPull: false, isRfc: false, isResend: false, revision: 1, revisionInferred: true, topic: 'x' },
      body: '',
      origin: { kind: 'mbox' as const, path: 'flood.mbox' },
      notes: [],
    }));
    const t0 = performance.now();
    const t = buildThread(ms.reverse());
    const took = performance.now() - t0;
    assert.equal(t.rootId, '<m0@flood.example>');
    assert.equal(t.nodes.find((n) => n.messageId === '<m4999@flood.example>')!.depth, 4999);
    assert.ok(took < 1000, `${took.toFixed(0)} ms`);
  });
});

describe('threading: the root alone (threadRootId, for the store)', () => {
  it('names the root buildThread names, on every fixture, in every input order of the small ones', async () => {
    const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.mbox'));
    assert.ok(names.length >= 10);
    for (const name of names) {
      const ms = await load(name);
      const orders = ms.length <= 5 ? permutations(ms) : [ms, [...ms].reverse()];
      for (const order of orders) assert.equal(threadRootId(order), buildThread(order).rootId, name);
    }
  });

  it('a reused Message-ID, a missing parent, undated mail and a follow-up without "Re:": the same root as buildThread', () => {
    const m = (id: string, o: Partial<Message> = {}) => makeMessage({ messageId: `<${id}@example.org>`, subject: `[PATCH] quill: fix ${id}`, ...o });
    const sets: Message[][] = [
      // two mails under one id, different bodies; the earlier is the root only by date
      [
        m('b', { date: '2025-03-11T10:00:00.000Z', body: 'second' }),
        m('b', { date: '2025-03-11T09:00:00.000Z', body: 'first' }),
        m('c', { inReplyTo: '<b@example.org>', references: ['<b@example.org>'], date: '2025-03-11T11:00:00.000Z' }),
      ],
      // replies to a parent the input lacks: the missing id is the root
      [
        m('r1', { inReplyTo: '<gone@example.org>', references: ['<gone@example.org>'], date: '2025-03-11T09:00:00.000Z' }),
        m('r2', { inReplyTo: '<gone@example.org>', references: ['<gone@example.org>'] }),
      ],
      // a follow-up that kept the patch subject (markFollowUps marks it; the root does not move)
      [
        m('p', { date: '2025-03-11T09:00:00.000Z', body: 'diff --git a/x b/x\n' }),
        m('f', { inReplyTo: '<p@example.org>', references: ['<p@example.org>'], body: '> x\nReviewed-by: Ivo Petrak <ivo@example.net>\n', date: '2025-03-11T08:00:00.000Z' }),
      ],
    ];
    for (const set of sets) for (const order of permutations(set)) assert.equal(threadRootId(order), buildThread(order).rootId, order.map((x) => x.messageId).join(' '));
  });
});
