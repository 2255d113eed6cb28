// src/extract/signals.ts: what reviewers and maintainers say, and who said it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SignalKind } from '../../src/core/types.js';
import { extractMessage } from '../../src/extract/message.js';
import { attributionName, findQuotedSignals, findSignals } from '../../src/extract/signals.js';
import { linesOf, makeMessage } from '../helpers/unit.js';

const signals = (text: string | string[], robot = false) => findSignals('<m@x>', 'Sender Person', linesOf(Array.isArray(text) ? text : [text]), new Set(), robot);
const kinds = (text: string | string[]) => [...new Set(signals(text).map((s) => s.kind))];

describe('negative signals', () => {
  const cases: [string, SignalKind][] = [
    ['NAK.', 'nak'],
    ['Nack, this is not how it should be done.', 'nak'],
    ['I will not accept a patch exporting that function.', 'nak'],
    ["I'm not taking this one.", 'nak'],
    ['This papers over the real problem.', 'papers-over'],
    ['Your patch just hides the misuse of a non-exported function.', 'papers-over'],
    ['That is the wrong fix.', 'papers-over'],
    ['This is not the right fix either.', 'papers-over'],
    ['This is a workaround at best.', 'workaround'],
    ['This is a hack fix to get the build going.', 'workaround'],
    ['Let us take this for now.', 'temporary'],
    ['The real fix is to stop using the local flush.', 'root-cause-elsewhere'],
    ['Please drop this patch, v2 is coming.', 'withdrawn'],
  ];
  for (const [text, kind] of cases) {
    it(`${JSON.stringify(text)} → ${kind}`, () => {
      const ss = signals(text);
      assert.ok(
        ss.some((s) => s.kind === kind && s.polarity === 'negative'),
        JSON.stringify(ss.map((s) => s.kind)),
      );
      assert.ok(ss.every((s) => s.speaker === 'Sender Person'));
      assert.equal(ss[0]!.cite.line, 1);
      assert.equal(ss[0]!.cite.messageId, '<m@x>');
    });
  }

  it('a config named *_WORKAROUNDS is not a workaround', () => {
    assert.deepEqual(kinds('select ARM_ERRATA_WORKAROUNDS'), []);
    assert.deepEqual(kinds('CONFIG_CPU_WORKAROUNDS=y is set in my config'), []);
    assert.deepEqual(kinds('Enable CONFIG_CPU_WORKAROUNDS to get it.'), []);
  });
});

describe('positive signals', () => {
  it('"Applied to foo-next" is applied; "being applied to both rx and tx" is not', () => {
    assert.deepEqual(kinds('Applied to mm-next, thanks.'), ['applied']);
    assert.deepEqual(kinds('Thanks, applied.'), ['applied']);
    assert.deepEqual(kinds('The same mask is being applied to both rx and tx.'), []);
    assert.deepEqual(kinds('This should not be applied.'), []);
  });

  it('conditionals are not events: "If this gets applied", "Once it is merged"', () => {
    assert.deepEqual(kinds('If this gets applied, please also fix the other caller.'), []);
    assert.deepEqual(kinds('Once it is merged, I will send a follow-up.'), []);
  });

  it('trailers: the speaker is the person the trailer names', () => {
    const ss = signals([
      'Tested-by: Dan Tester <dan@example.org>',
      'Acked-by: Bob Reviewer <bob@example.org> # for arm',
      'Reviewed-by: "Carol M." <carol@example.org>',
      'Nacked-by: Russell King <rmk@example.org>',
      'Signed-off-by: Ada Hacker <ada@example.org>',
    ]);
    assert.deepEqual(
      ss.map((s) => [s.kind, s.polarity, s.speaker]),
      [
        ['tested', 'positive', 'Dan Tester'],
        ['acked', 'positive', 'Bob Reviewer'],
        ['reviewed', 'positive', '"Carol M."'],
        ['nak', 'negative', 'Russell King'],
      ],
    );
  });

  it('"works for me" and "this fixes the build" are tested', () => {
    assert.deepEqual(kinds('It works for me.'), ['tested']);
    assert.deepEqual(kinds('Yes, this fixes the build on my board.'), ['tested']);
  });
});

describe('who said it', () => {
  it("quoted lines never count as the sender's", () => {
    assert.deepEqual(signals(['> NAK', '> Applied, thanks', '>> This papers over it']), []);
    const x = extractMessage(makeMessage({ subject: 'Re: [PATCH] x', from: { name: 'Ada Hacker', address: 'ada@example.org' }, body: '> NAK, I will not accept that.\n> Applied.\n\nOk, I see.\n' }));
    assert.ok(!x.signals.some((s) => s.speaker === 'Ada Hacker'), JSON.stringify(x.signals));
    assert.ok(x.signals.every((s) => s.quoted === true));
  });

  it('quoted signals are attributed to the "... wrote:" line, marked quoted', () => {
    const lines = linesOf(['On Fri, Jan 18, 2013 at 3:08 PM, Russell King <rmk@example.org> wrote:', '> NAK, I will not accept that.', '', 'Fine by me.', '> > Applied, thanks.']);
    const ss = findQuotedSignals('<m@x>', lines, new Set(), false);
    assert.ok(ss.length > 0);
    assert.ok(
      ss.every((s) => s.speaker === 'Russell King' && s.quoted === true && s.cite.line === 2),
      JSON.stringify(ss),
    );
  });

  it('the attribution may be wrapped over two lines', () => {
    const lines = linesOf(['On Fri, Jan 18, 2013 at 07:11:32PM -0600, Matt', 'Hacker wrote:', '> This only hides the problem.']);
    const ss = findQuotedSignals('<m@x>', lines, new Set(), false);
    assert.deepEqual(
      ss.map((s) => [s.kind, s.speaker]),
      [['papers-over', 'Matt Hacker']],
    );
  });

  it('attributionName', () => {
    assert.equal(attributionName('On Tue, Mar 01, 2022 at 10:00:00AM +0000, Ada Hacker wrote:'), 'Ada Hacker');
    assert.equal(attributionName('Bob Reviewer <bob@example.org> writes:'), 'Bob Reviewer');
    assert.equal(attributionName('Nothing here'), undefined);
    assert.equal(attributionName('On Tue, Mar 01, 2022 at 10:00 AM, someone wrote:'), undefined);
  });

  it('robot mail produces no signals', () => {
    assert.deepEqual(signals(['NAK', 'Applied, thanks', 'Tested-by: x <x@y>'], true), []);
    assert.deepEqual(findQuotedSignals('<m@x>', linesOf(['Ada wrote:', '> NAK']), new Set(), true), []);
    const x = extractMessage(
      makeMessage({
        subject: '[linux-next:master] BUILD REGRESSION',
        from: { name: 'kernel test robot', address: 'lkp@intel.com' },
        body: 'If you fix the issue, kindly add following tag\nReported-by: kernel test robot <lkp@intel.com>\n\nThis is a workaround for now.\n',
      }),
    );
    assert.deepEqual(x.signals, []);
  });

  it('lines inside a diff are code, not opinions', () => {
    const ss = findSignals('<m@x>', 'S', linesOf(['+\t/* NAK: this is a hack for now */', 'NAK']), new Set([1]), false);
    assert.deepEqual(
      ss.map((s) => s.cite.line),
      [2],
    );
  });
});

describe('export refusals are refusals, not facts', () => {
  it('"a function that is not exported" states a fact; "I won\'t accept a patch exporting it" refuses', async () => {
    const { findSignals } = await import('../../src/extract/signals.js');
    const line = (text: string) => ({ n: 1, depth: 0, text, raw: text });
    const fact = findSignals('<m@x>', 'Dev', [line('the flush resolves to a CPU-specific function that is not exported.')], new Set(), false);
    assert.ok(!fact.some((s) => s.kind === 'refuse-export'));
    const refusal = findSignals('<m@x>', 'Owner', [line("I won't accept a patch exporting it, drivers must not call it.")], new Set(), false);
    assert.ok(refusal.some((s) => s.kind === 'refuse-export'));
  });
});
