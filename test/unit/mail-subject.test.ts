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
