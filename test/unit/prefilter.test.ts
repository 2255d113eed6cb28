// The prefilter of the sentence vocabularies: a hint set never rules out a
// sentence its pattern matches. Checked on the tables' own examples, on
// hand-written cases, and over every sentence of the labeled corpus when
// ../shared is present (real mail, read in place).

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMessages } from '../../src/cli/load.js';
import { bodyLines } from '../../src/extract/lines.js';
import { literalHints, mayMatch } from '../../src/extract/prefilter.js';
import { proseSentences } from '../../src/extract/prose.js';
import { FAILURE_PHRASES } from '../../src/extract/vocab/failure-phrases.js';
import { REVIEW_PHRASES } from '../../src/extract/vocab/review-phrases.js';

const patterns = [...REVIEW_PHRASES.map((p) => ({ name: p.name, re: p.re })), ...FAILURE_PHRASES.map((p) => ({ name: p.name, re: p.pattern }))];

function check(text: string): string[] {
  const lower = text.toLowerCase();
  const bad: string[] = [];
  for (const p of patterns) {
    const re = new RegExp(p.re.source, p.re.flags.replace('g', ''));
    if (re.test(text) && !mayMatch(literalHints(p.re), lower)) bad.push(`${p.name}: "${text.slice(0, 120)}" hints ${literalHints(p.re).join(',')}`);
  }
  return bad;
}

describe('prefilter hints', () => {
  it('reads required words: sequences, alternations, optional parts, lookarounds, quantifiers', () => {
    assert.deepEqual(literalHints(/\bpaper(?:s|ed|ing)? over\b/i), ['paper']);
    assert.deepEqual(literalHints(/\b(?:NAK|NACK)\b(?!-)/).sort(), ['nack', 'nak']);
    assert.deepEqual(literalHints(/\bhides?\b/), ['hide']);
    assert.deepEqual(literalHints(/(?:foo)?bar/), ['bar']);
    // eslint-disable-next-line regexp/no-super-linear-move -- data for literalHints, never run on text
    assert.deepEqual(literalHints(/\w+\s+\d/), []);
    assert.deepEqual(literalHints(/(?=applied)x|y/), []);
    assert.ok(mayMatch([], 'anything'));
  });

  it('never rules out a table example or near miss that its pattern matches', () => {
    const texts = [...REVIEW_PHRASES.flatMap((p) => [p.example, p.nearMiss ?? '']), ...FAILURE_PHRASES.flatMap((p) => [String((p as { example?: unknown }).example ?? '')])].filter(Boolean);
    assert.deepEqual(texts.flatMap(check), []);
  });

  const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'threads');
  it('never rules out a corpus sentence its pattern matches', { skip: existsSync(corpus) ? false : '../shared/corpus not present' }, async () => {
    const bad: string[] = [];
    let sentences = 0;
    for (const f of readdirSync(corpus).filter((x) => x.endsWith('.mbox'))) {
      for (const m of await loadMessages(join(corpus, f))) {
        for (const s of proseSentences(bodyLines(m.body))) {
          sentences++;
          bad.push(...check(s.text));
        }
      }
    }
    assert.ok(sentences > 1000, `${sentences} sentences`);
    assert.deepEqual(bad.slice(0, 10), []);
  });
});
