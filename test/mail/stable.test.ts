// A stable backport is told by its subject's tree ("[PATCH 6.1 12/34]") or by the
// changelog line the stable rules ask for ("commit <sha> upstream."); a mainline
// patch, a revision like v2.1, a version named in prose are none.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STABLE_BODY_MARKERS, stableBackport } from '../../src/mail/stable.js';
import { parseSubject } from '../../src/mail/subject.js';

const mail = (subject: string, body = 'Fix the thing.\n\nSigned-off-by: A <a@example.org>\n') => ({ subjectInfo: parseSubject(subject), body });

describe('stable body markers', () => {
  for (const k of STABLE_BODY_MARKERS) {
    it(`${k.name}: "${k.example}"`, () => {
      assert.ok(k.re.test(k.example));
      assert.equal(stableBackport(mail('[PATCH] foo: fix bar', `${k.example}\n\nFix the thing.\n`)), 'stable');
    });
  }
  it('a commit named in prose is no marker', () => {
    assert.equal(stableBackport(mail('[PATCH] foo: fix bar', 'Since commit 0123456789ab upstream moved the call, the build fails.\n')), undefined);
    assert.equal(stableBackport(mail('[PATCH] foo: fix bar', 'This was fixed upstream in commit 0123456789abcdef.\n')), undefined);
  });
});

describe('the stable tree in the subject', () => {
  const cases: [string, string | undefined][] = [
    ['[PATCH 6.1 12/34] net: fix a leak', '6.1'],
    ['[PATCH 5.15.y] drm/amd: fix the build', '5.15.y'],
    ['[PATCH 6.6-stable] mm: fix a warning', '6.6'],
    ['[PATCH stable 6.12 v2] x86: fix a link error', '6.12'],
    ['[PATCH v2 3/5] net: fix a leak', undefined],
    ['[PATCH v2.1] net: fix a leak', undefined],
    ['[PATCH 1/2] net: fix a leak', undefined],
    ['Re: [PATCH 6.1 12/34] net: fix a leak', '6.1'],
    ['linux-next: build failure after merge of the net tree', undefined],
    ['[PATCH] kbuild: require gcc 8.1 or newer', undefined],
  ];
  for (const [subject, tree] of cases) it(`${subject} → ${tree ?? 'mainline'}`, () => assert.equal(stableBackport(mail(subject)), tree));
});
