// eval's calibration figures: the split by id parity, per-verdict precision and
// recall, accuracy per confidence band, and what a bot posting only above a
// threshold would say (unclear never speaks).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atThreshold, byConfidence, calibrationReport, perVerdict, splitOf, type Score } from '../../src/analyze/score.js';

const s = (id: string, expected: string, got: string, confidence: number, counted = true): Score => ({ id, expected, got, counted, correct: expected === got, why: '', confidence });

const scores: Score[] = [
  s('001', 'hides', 'hides', 0.95),
  s('002', 'hides', 'fixes', 0.7),
  s('003', 'fixes', 'fixes', 0.85),
  s('004', 'fixes', 'hides', 0.82),
  s('005', 'fixes', 'unclear', 0.3),
  s('006', 'mixed', 'hides', 0.9, false),
];

describe('eval calibration', () => {
  it('splits numeric ids by parity and other ids stably', () => {
    assert.equal(splitOf('001'), 'odd');
    assert.equal(splitOf('130'), 'even');
    assert.equal(splitOf('thread-17'), 'odd');
    assert.equal(splitOf('abc'), splitOf('abc'));
  });

  it('per verdict: precision over verdicts given, recall over labels due; uncounted labels ignored', () => {
    const byName = new Map(perVerdict(scores).map((v) => [v.verdict, v]));
    assert.deepEqual({ ...byName.get('hides') }, { verdict: 'hides', expected: 2, given: 2, right: 1, precision: 0.5, recall: 0.5 });
    assert.equal(byName.get('fixes')!.recall, 1 / 3);
    assert.equal(byName.get('unclear')!.precision, 0);
    assert.equal(byName.get('unclear')!.recall, null);
  });

  it('confidence bands hold every counted verdict once', () => {
    const bands = byConfidence(scores);
    assert.equal(
      bands.reduce((a, b) => a + b.n, 0),
      5,
    );
    const top = bands.find((b) => b.lo === 0.9)!;
    assert.deepEqual([top.n, top.right], [1, 1]);
    const high = bands.find((b) => b.lo === 0.8)!;
    assert.deepEqual([high.n, high.right], [2, 1]);
  });

  it('at a threshold: coverage, precision, and hides precision; unclear never speaks', () => {
    assert.deepEqual(atThreshold(scores, 0.8), { min: 0.8, counted: 5, spoken: 3, right: 2, hides: 2, hidesRight: 1 });
    assert.equal(atThreshold(scores, 0).spoken, 4, 'unclear is silent whatever its confidence');
    assert.match(calibrationReport(scores, 0.8), /at --min-confidence 0\.80: speaks on 3\/5 \(coverage 60%\), right 67%; hides 2, right 50%   <- chosen/);
  });
});
