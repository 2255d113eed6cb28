// The author's own words that are not an admission (src/analyze/rules/stop-gap.ts):
// each entry's example carries a stop-gap phrase and is read as not about the
// change; each near miss carries one too and still counts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSignals } from '../../src/extract/signals.js';
import { ADMISSION_KINDS, NOT_AN_ADMISSION, notAnAdmission } from '../../src/analyze/rules/stop-gap.js';
import { linesOf } from '../helpers/unit.js';

const stopGapSignals = (text: string) => findSignals('<m@x>', 'Pat Author', linesOf([text]), new Set(), false, 'pat@example.org').filter((s) => ADMISSION_KINDS.has(s.kind));

describe("stop-gap: the author's words that are not about the change", () => {
  for (const n of NOT_AN_ADMISSION) {
    it(`${n.name}: "${n.example}" is not an admission`, () => {
      const got = stopGapSignals(n.example).filter((s) => n.kinds.has(s.kind));
      assert.ok(got.length, 'the example must carry a stop-gap phrase, or the entry tests nothing');
      for (const s of got) assert.equal(notAnAdmission(s)?.name, n.name, `${s.kind} (${s.phrase})`);
    });
    if (n.nearMiss) {
      it(`${n.name}: near miss "${n.nearMiss}" still counts`, () => {
        const got = stopGapSignals(n.nearMiss!);
        assert.ok(got.length, 'the near miss must carry a stop-gap phrase');
        assert.ok(
          got.some((s) => !notAnAdmission(s)),
          JSON.stringify(got.map((s) => [s.kind, notAnAdmission(s)?.name])),
        );
      });
    }
  }
  // admissions near each entry's edge: none of the entries may take them
  for (const sentence of [
    'Please drop this patch.',
    'This is a workaround for now; a proper fix will replace it.',
    'The proper fix is to rework the locking in the core.',
    'Since we could not find the root cause, add a workaround for now.',
    'Without a proper fix available, add a workaround for now.',
    'The compiler has a bug, so disable the check for now.',
  ]) {
    it(`"${sentence}" still counts`, () => {
      const got = stopGapSignals(sentence);
      assert.ok(got.length, 'it must carry a stop-gap phrase');
      assert.ok(
        got.some((s) => !notAnAdmission(s)),
        JSON.stringify(got.map((s) => [s.kind, notAnAdmission(s)?.name])),
      );
    });
  }

  it('first person keeps an admission even with "have"', () => {
    const got = stopGapSignals('We have added a workaround for now, until the firmware is fixed.');
    assert.ok(got.length && got.every((s) => !notAnAdmission(s)));
  });
});
