// src/mail/subject.ts: subject prefixes read the way b4 reads them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSubject, subjectKey } from '../../src/mail/subject.js';

describe('parseSubject', () => {
  it('[PATCH v2 3/7]', () => {
    const s = parseSubject('[PATCH v2 3/7] mm/percpu: use km for SMP+NOMMU');
    assert.deepEqual(s.prefixes, ['PATCH', 'v2', '3/7']);
    assert.equal(s.isPatch, true);
    assert.equal(s.isReply, false);
    assert.equal(s.revision, 2);
    assert.equal(s.revisionInferred, false);
    assert.equal(s.counter, 3);
    assert.equal(s.expected, 7);
    assert.equal(s.topic, 'mm/percpu: use km for SMP+NOMMU');
  });

  it('[RFC PATCH net-next 0/5]: an RFC cover letter', () => {
    const s = parseSubject('[RFC PATCH net-next 0/5] net: phy: rework the probe');
    assert.equal(s.isRfc, true);
    assert.equal(s.isPatch, true);
    assert.equal(s.counter, 0);
    assert.equal(s.expected, 5);
    assert.ok(s.prefixes.includes('net-next'));
    assert.equal(s.revision, 1);
    assert.equal(s.revisionInferred, true);
  });

  it('[PATCH RESEND] and [PATCH -next]', () => {
    const r = parseSubject('[PATCH RESEND] staging: zsmalloc: fix the !SMP build');
    assert.equal(r.isResend, true);
    assert.equal(r.isPatch, true);
    assert.equal(r.counter, undefined);
    assert.equal(r.topic, 'staging: zsmalloc: fix the !SMP build');
    const n = parseSubject('[PATCH -next] arm: export the symbol');
    assert.equal(n.isPatch, true);
    assert.deepEqual(n.prefixes, ['PATCH', '-next']);
    assert.equal(n.isResend, false);
  });

  it("patchwork's [net,v2,1/2]", () => {
    const s = parseSubject('[net,v2,1/2] net: fix the UP build');
    assert.deepEqual(s.prefixes, ['net', 'v2', '1/2']);
    assert.equal(s.isPatch, true);
    assert.equal(s.revision, 2);
    assert.equal(s.counter, 1);
    assert.equal(s.expected, 2);
  });

  it('[PATCH V2], [PATCHv3] and [PATCH v3 00/10]', () => {
    assert.equal(parseSubject('[PATCH V2] x').revision, 2);
    const v3 = parseSubject('[PATCHv3] x');
    assert.equal(v3.revision, 3);
    assert.equal(v3.isPatch, true);
    const c = parseSubject('[PATCH v3 00/10] series cover');
    assert.equal(c.counter, 0);
    assert.equal(c.expected, 10);
    assert.equal(c.revision, 3);
  });

  it('Re: Re: [PATCH], RE:, Aw:, Re[2]: are replies', () => {
    for (const subj of ['Re: Re: [PATCH] x: y', 'RE: [PATCH] x: y', 'Aw: [PATCH] x: y', 'Re[2]: [PATCH] x: y', 're:[PATCH] x: y']) {
      const s = parseSubject(subj);
      assert.equal(s.isReply, true, subj);
      assert.equal(s.isPatch, true, subj);
      assert.equal(s.topic, 'x: y', subj);
    }
  });

  it('Fwd: is a forward, not a reply; prefixes stack in any order', () => {
    const f = parseSubject('Fwd: [PATCH] x: y');
    assert.equal(f.isForward, true);
    assert.equal(f.isReply, false);
    const mixed = parseSubject('[PATCH 2/2] Re: Fwd: x: y');
    assert.equal(mixed.isReply, true);
    assert.equal(mixed.isForward, true);
    assert.equal(mixed.counter, 2);
    assert.equal(mixed.topic, 'x: y');
  });

  it('brackets later in the subject are part of the topic', () => {
    const s = parseSubject('[PATCH] arm: fix [regression] in flush_tlb_kernel_range [v2 of the idea]');
    assert.deepEqual(s.prefixes, ['PATCH']);
    assert.equal(s.topic, 'arm: fix [regression] in flush_tlb_kernel_range [v2 of the idea]');
    assert.equal(s.revision, 1);
  });

  it('non-patch subjects: a question, a pull request, an empty subject', () => {
    const q = parseSubject('Compilation problem with drivers/staging/zsmalloc when !SMP on ARM');
    assert.equal(q.isPatch, false);
    assert.deepEqual(q.prefixes, []);
    assert.equal(q.topic, 'Compilation problem with drivers/staging/zsmalloc when !SMP on ARM');
    assert.equal(parseSubject('[GIT PULL] arm fixes for 6.1').isPatch, false);
    const e = parseSubject('');
    assert.equal(e.topic, '');
    assert.equal(e.isReply, false);
  });

  it('an unclosed bracket is not a prefix; whitespace is folded', () => {
    const s = parseSubject('  [PATCH   x:\t  y  ');
    assert.deepEqual(s.prefixes, []);
    assert.equal(s.topic, '[PATCH x: y');
  });

  it('[PATCH1/8]: a counter glued to PATCH is read as PATCH 1/8', () => {
    const s = parseSubject('[PATCH1/8] soc: tamarack: pmu: use devm_clk_get_enabled()');
    assert.equal(s.isPatch, true);
    assert.deepEqual(s.prefixes, ['PATCH', '1/8']);
    assert.equal(s.counter, 1);
    assert.equal(s.expected, 8);
    const v = parseSubject('[PATCHv2 0/3] x: y');
    assert.deepEqual([v.revision, v.counter, v.expected], [2, 0, 3]);
    const rfc = parseSubject('[RFC/PATCH] x: y');
    assert.deepEqual([rfc.isRfc, rfc.isPatch], [true, true]);
  });

  it('[PATCH [net] 1/2]: an inner bracket does not end the prefix; an unbalanced one closes at the first ]', () => {
    const s = parseSubject('[PATCH [net] 1/2] net: phy: corvid: fix the UP build');
    assert.deepEqual(s.prefixes, ['PATCH', 'net', '1/2']);
    assert.equal(s.counter, 1);
    assert.equal(s.topic, 'net: phy: corvid: fix the UP build');
    const open = parseSubject('[PATCH [net 2/2] net: phy: corvid: two');
    assert.deepEqual(open.prefixes, ['PATCH', 'net', '2/2']);
    assert.equal(open.topic, 'net: phy: corvid: two');
  });

  it('[PATCH 3/2]: the subject is read as written (the series calls it an extra)', () => {
    const s = parseSubject('[PATCH 3/2] x: y');
    assert.deepEqual([s.counter, s.expected, s.isPatch], [3, 2, true]);
  });

  it('the usual zoo: RESEND with a version, RFC with a tree, -next, zero-padded counters, doubled prefixes', () => {
    const r = parseSubject('[PATCH v2 RESEND 3/7] mm: fix');
    assert.deepEqual([r.revision, r.isResend, r.counter, r.expected, r.topic], [2, true, 3, 7, 'mm: fix']);
    const rfc = parseSubject('[RFC PATCH net-next v3 0/5] net: rework');
    assert.deepEqual([rfc.isRfc, rfc.revision, rfc.counter, rfc.expected], [true, 3, 0, 5]);
    assert.ok(rfc.prefixes.includes('net-next'));
    const next = parseSubject('[PATCH -next] arm: export it');
    assert.deepEqual([next.isPatch, next.revision, next.counter], [true, 1, undefined]);
    const padded = parseSubject('[PATCH 01/17] x: y');
    assert.deepEqual([padded.counter, padded.expected], [1, 17]);
    const doubled = parseSubject('[PATCH v3][PATCH 2/3] x: y');
    assert.deepEqual([doubled.revision, doubled.revisionInferred, doubled.counter, doubled.expected, doubled.topic], [3, false, 2, 3, 'x: y']);
  });

  it('Sv:, AW:, Odp:, VS: replies in other languages are replies', () => {
    for (const subj of ['Sv: [PATCH] x: y', 'AW: [PATCH] x: y', 'Aw: Re: [PATCH] x: y', 'Odp: [PATCH] x: y', 'VS: [PATCH] x: y', 'SV: SV: [PATCH 2/3] x: y']) {
      const s = parseSubject(subj);
      assert.equal(s.isReply, true, subj);
      assert.equal(s.isPatch, true, subj);
      assert.equal(s.topic, 'x: y', subj);
    }
  });

  it('[GIT PULL] and its variants are pull requests, not patches', () => {
    for (const subj of ['[GIT PULL] soc: drivers for v6.11', '[GIT PULL v2] soc: drivers', '[PULL REQUEST] x', 'Re: [GIT PULL] x']) {
      const s = parseSubject(subj);
      assert.equal(s.isPull, true, subj);
      assert.equal(s.isPatch, false, subj);
    }
    assert.equal(parseSubject('[PATCH] x: pull the reset line low').isPull, false);
  });

  it('a long pathological subject parses quickly', () => {
    const t0 = Date.now();
    parseSubject('Re: '.repeat(5000) + '['.repeat(5000) + 'x');
    parseSubject('[' + 'a '.repeat(20000));
    assert.ok(Date.now() - t0 < 500);
  });
});

describe('subjectKey', () => {
  it('the same key for a patch and its replies, whatever the case and spacing', () => {
    const k = subjectKey(parseSubject('[PATCH v2 1/3] MM: Fix  It'));
    assert.equal(k, 'mm: fix it');
    assert.equal(subjectKey(parseSubject('Re: [PATCH v2 1/3] mm: fix it')), k);
    assert.notEqual(subjectKey(parseSubject('[PATCH] mm: fix it again')), k);
  });
});

describe('subjects of other tools', () => {
  it('Mercurial\'s "[PATCH 1 of 2]" and "[PATCH 0 of 2]", and "[RFCv2 PATCH]"', async () => {
    const { parseSubject } = await import('../../src/mail/subject.js');
    const hg = parseSubject('[PATCH 1 of 2] foo: bar');
    assert.deepEqual([hg.isPatch, hg.counter, hg.expected, hg.topic], [true, 1, 2, 'foo: bar']);
    const cover = parseSubject('[PATCH 0 of 2] foo series');
    assert.deepEqual([cover.counter, cover.expected], [0, 2]);
    const glued = parseSubject('[PATCH1 of 8] x');
    assert.deepEqual([glued.isPatch, glued.counter, glued.expected], [true, 1, 8]);
    const rfc = parseSubject('[RFCv2 PATCH] x');
    assert.deepEqual([rfc.isRfc, rfc.revision, rfc.isPatch], [true, 2, true]);
    assert.equal(parseSubject('[PATCH] one of the two').counter, undefined, 'words in the topic are not a counter');
  });
});

describe('Message-IDs that lost a bracket', () => {
  it('"5899@host>" is read as <5899@host>', async () => {
    const { readMessageId } = await import('../../src/mail/msgid.js');
    assert.equal(readMessageId('5899ab@mail.example.com>'), '<5899ab@mail.example.com>');
    assert.equal(readMessageId('<5899ab@mail.example.com'), '<5899ab@mail.example.com>');
  });
});
