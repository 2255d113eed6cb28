// The review vocabulary (src/extract/vocab/review-phrases.ts): every entry's
// example is read as its stance, every near miss is not, and a phrase wrapped
// over two lines, or sitting in code, is handled as a reader would.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findQuotedSignals, findSignals } from '../../src/extract/signals.js';
import { proseSentences } from '../../src/extract/prose.js';
import { REVIEW_PHRASES } from '../../src/extract/vocab/review-phrases.js';
import { linesOf } from '../helpers/unit.js';

const signalsOf = (text: string[]) => findSignals('<m@x>', 'Rita Reviewer', linesOf(text), new Set(), false, 'rita@example.org');

describe('review phrases: each entry against its example and near miss', () => {
  for (const p of REVIEW_PHRASES) {
    it(`${p.name}: "${p.example}" → ${p.kind}`, () => {
      const got = signalsOf([p.example]);
      const hit = got.find((s) => s.kind === p.kind);
      assert.ok(hit, `no ${p.kind} in ${JSON.stringify(got.map((s) => s.kind))}`);
      assert.equal(hit!.speakerAddress, 'rita@example.org');
      assert.ok(
        got.some((s) => s.phrase === p.name),
        `the entry named is ${JSON.stringify(got.map((s) => s.phrase))}`,
      );
    });
    if (p.nearMiss) {
      it(`${p.name}: near miss "${p.nearMiss}" is not ${p.kind}`, () => {
        const got = signalsOf([p.nearMiss!]);
        assert.ok(!got.some((s) => s.phrase === p.name), JSON.stringify(got));
      });
    }
  }
  it('every entry has a distinct name', () => {
    assert.equal(new Set(REVIEW_PHRASES.map((p) => p.name)).size, REVIEW_PHRASES.length);
  });
});

describe('review phrases across lines and around code', () => {
  it('a phrase wrapped by the mailer still matches, cited at the sentence start', () => {
    const got = signalsOf(['Thanks for the patch, but I think this is not the right', 'approach. Basically we need to move the helpers out of the #ifdef.']);
    const obj = got.find((s) => s.kind === 'objection');
    assert.ok(obj, JSON.stringify(got));
    assert.equal(obj!.cite.line, 1);
    assert.ok(
      got.some((s) => s.kind === 'counter'),
      'the counter-proposal in the second sentence',
    );
  });

  it('a paragraph break ends a sentence: no match across it', () => {
    assert.deepEqual(
      signalsOf(['It is not the right', '', 'approach to lunch that worries me']).filter((s) => s.kind === 'objection'),
      [],
    );
  });

  it('code and logs are not prose', () => {
    assert.deepEqual(signalsOf(['\t/* NAK: temporary hack */', 'static int hack = 1; /* for now */']), []);
    const s = proseSentences(linesOf(['Applied, thanks.', '\tdepends on FOO # for now', 'drivers/x.c:12:3: error: this is a workaround']));
    assert.deepEqual(
      s.map((x) => x.text),
      ['Applied, thanks.'],
    );
  });

  it('questions are not verdicts, but a counter-proposal may be a question', () => {
    assert.deepEqual(
      signalsOf(['Is this the wrong fix?']).map((s) => s.kind),
      [],
    );
    assert.deepEqual(
      signalsOf(['Applied?']).map((s) => s.kind),
      [],
    );
    assert.deepEqual(
      signalsOf(["What's wrong with a stub in the header?"]).map((s) => s.kind),
      ['counter'],
    );
  });

  it('negations and conditionals', () => {
    assert.deepEqual(
      signalsOf(['This is not a hack.']).map((s) => s.kind),
      [],
    );
    assert.deepEqual(
      signalsOf(["I don't think it looks good."]).filter((s) => s.kind === 'acked'),
      [],
    );
    assert.deepEqual(
      signalsOf(['If you want, I will send a v2.']).map((s) => s.kind),
      [],
    );
    assert.deepEqual(
      signalsOf(['Once this is applied, the stubs can go.']).map((s) => s.kind),
      [],
    );
  });

  it('sentences split at ends, not at "e.g." or a version number', () => {
    const s = proseSentences(linesOf(['Use a stub, e.g. in the header. Since v5.17. it is the norm! Really?']));
    assert.deepEqual(
      s.map((x) => [x.text, x.question]),
      [
        ['Use a stub, e.g. in the header.', false],
        ['Since v5.17. it is the norm!', false],
        ['Really?', true],
      ],
    );
  });

  it('quoted phrases wrapped over lines are attributed to the quoted speaker', () => {
    const got = findQuotedSignals('<m@x>', linesOf(['On Mon, 3 Jan 2022, Mia Maintainer wrote:', '> That sounds a bit', '> drastic to me.', '', 'I disagree.']), new Set(), false);
    assert.deepEqual(
      got.map((s) => [s.kind, s.speaker, s.cite.line, s.quoted]),
      [['objection', 'Mia Maintainer', 2, true]],
    );
  });
});

describe('acceptance said without the word "applied"', () => {
  it('"These two changes are correct. I will squash." accepts; "I will squash the fixup into v3 if you agree?" asks', () => {
    const kinds = (t: string[]) => signalsOf(t).map((s) => s.kind);
    assert.ok(kinds(['These two changes  are correct.', '', 'I will squash.']).includes('applied'));
    assert.ok(kinds(['These two changes are correct.']).includes('acked'));
    assert.deepEqual(kinds(['I will squash the fixup into v3 if you agree?']), []);
    assert.deepEqual(kinds(['The changes are in the wrong file.']), []);
  });
});
