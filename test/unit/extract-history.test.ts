// Version notes are history: a failure named there was an earlier revision's.
// An error message the patch itself adds is its new behaviour, not a report.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMessage } from '../../src/extract/message.js';
import { VERSION_NOTE_HEADINGS, versionNoteLines } from '../../src/extract/history.js';
import { linesOf, makeMessage } from '../helpers/unit.js';

describe('version notes', () => {
  for (const h of VERSION_NOTE_HEADINGS) {
    it(`${h.name}: "${h.example}" opens version notes`, () => {
      assert.ok(h.re.test(h.example));
    });
  }

  it('a list under a heading is notes; the prose after a blank line is not', () => {
    const lines = linesOf(['Intro text.', '', 'Changes in v2:', '- fix the build error on arm', '  reported by the robot', '', 'v1 -> v2:', '- rebased', '', 'Thanks for looking.']);
    assert.deepEqual([...versionNoteLines(lines, new Set())], [3, 4, 5, 7, 8]);
  });

  it('a failure in the notes is not a report of this posting; the same words in the changelog are', () => {
    const notes = extractMessage(
      makeMessage({
        subject: '[PATCH v2] foo: add the frobnicator',
        body: 'Add the frobnicator.\n\nSigned-off-by: Pat <pat@example.org>\n---\nChanges in v2:\n- fix a build failure on arm64 reported by the robot\n\n drivers/foo/foo.c | 2 ++\n',
      }),
    );
    assert.deepEqual(
      notes.failures.map((f) => f.message),
      [],
    );
    const changelog = extractMessage(
      makeMessage({ subject: '[PATCH] foo: fix the arm64 build', body: 'The driver fails to build on arm64 since the rework.\n\nSigned-off-by: Pat <pat@example.org>\n' }),
    );
    assert.ok(changelog.failures.length > 0);
  });

  it('an error message the patch adds is not the failure it answers', () => {
    const body = [
      'Refuse an unknown mode. With this, the kernel prints:',
      '',
      '  foo: error: unknown frobnication mode 7',
      '',
      'Signed-off-by: Pat <pat@example.org>',
      '---',
      'diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c',
      '--- a/drivers/foo/foo.c',
      '+++ b/drivers/foo/foo.c',
      '@@ -10,2 +10,4 @@',
      ' \tswitch (mode) {',
      '+\tdefault:',
      '+\t\tpr_err("foo: error: unknown frobnication mode %d\\n", mode);',
      ' \t}',
    ].join('\n');
    const x = extractMessage(makeMessage({ subject: '[PATCH] foo: refuse unknown modes', body }));
    assert.deepEqual(
      x.failures.filter((f) => /unknown frobnication/.test(f.message)),
      [],
    );
  });
});

describe('confidence of a verdict whose failure is only prose', () => {
  it('stays under posting confidence; a quoted diagnostic does not cap it', async () => {
    const { isConcreteFailure, PROSE_FAILURE_CAP } = await import('../../src/analyze/decide.js');
    assert.ok(PROSE_FAILURE_CAP < 0.8);
    const base = { configs: [], fromRobot: false, cite: { messageId: '<m>', line: 1 }, quoteDepth: 0 };
    assert.equal(isConcreteFailure({ ...base, kind: 'build-prose', message: 'fails to build' }), false);
    assert.equal(isConcreteFailure({ ...base, kind: 'warning', message: 'fix a warning' }), false);
    assert.equal(isConcreteFailure({ ...base, kind: 'warning', message: 'x.c:1:2: warning: y [-Wz]', file: 'x.c', flag: '-Wz' }), true);
    assert.equal(isConcreteFailure({ ...base, kind: 'undefined-reference', message: "undefined reference to `x'", symbol: 'x' }), true);
  });
});

describe('version-note headings on hostile lines', () => {
  it('a line of 30,000 blanks is read in linear time', () => {
    const line = ' '.repeat(30_000) + 'x';
    const t = performance.now();
    versionNoteLines(linesOf([line, line, line]), new Set());
    assert.ok(performance.now() - t < 200, `${(performance.now() - t).toFixed(0)} ms`);
  });
});
