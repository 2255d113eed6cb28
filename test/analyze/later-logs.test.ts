// The sentence that introduces a log posted under a patch says what the log is:
// the failure the patch answers, one that persists with it, or one it causes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOG_INTROS } from '../../src/analyze/later-logs.js';

describe('log introductions', () => {
  for (const k of LOG_INTROS) {
    it(`${k.name} (${k.means}): "${k.example}"`, () => {
      // the first entry that matches decides, so each example must reach its own entry
      const first = LOG_INTROS.find((x) => x.re.test(k.example));
      assert.equal(first?.name, k.name);
    });
  }
  it('"this causes" needs a verb of causing: a plain mention of the patch is no regression', () => {
    const regression = LOG_INTROS.filter((k) => k.means === 'regression');
    assert.ok(!regression.some((k) => k.re.test('This patch looks fine to me, and this is the log I had before:')));
    assert.ok(regression.some((k) => k.re.test('Sadly this now breaks arm64 allmodconfig:')));
  });
});
