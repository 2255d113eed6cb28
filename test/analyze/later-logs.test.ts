// The sentence that introduces a log posted under a patch says what the log is:
// the failure the patch answers, one that persists with it, one it causes, or one
// its poster says has nothing to do with the patch.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bodyLines } from '../../src/extract/lines.js';
import { classifyLaterLog, LOG_INTROS } from '../../src/analyze/later-logs.js';
import { triageMessages } from '../../src/analyze/triage.js';
import { loadMessages } from '../../src/cli/load.js';
import { messages } from '../helpers/mail.js';

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
  it('"unrelated" needs the words: a different config or a second error is no disclaimer', () => {
    const unrelated = LOG_INTROS.filter((k) => k.means === 'unrelated');
    for (const t of ['With a different config I get this error:', 'Without this patch the build fails like this:', 'The same error happens on arm64 with your patch:'])
      assert.ok(!unrelated.some((k) => k.re.test(t)), t);
    for (const t of ['This is unrelated to your patch, but I see it too:', 'It is a pre-existing issue, see:', 'That is a separate problem:'])
      assert.ok(
        unrelated.some((k) => k.re.test(t)),
        t,
      );
  });
});

describe('the sentence before a log, not the command that made it', () => {
  it("a shell prompt and kbuild's progress lines between the words and the error do not hide the words", async () => {
    const body = [
      'Thanks, v2 will use srctree.',
      '',
      'This is a completely different problem, there before my change.',
      'I will look at it later.',
      '',
      '$ make xconfig',
      '  HOSTCXX scripts/kconfig/qconf.o',
      'scripts/kconfig/qconf.cc:7:10: fatal error: QAction: No such file or directory',
    ].join('\n');
    const [m] = await messages([{ id: '<r1@example.net>', subject: 'Re: [PATCH] kconfig: tweak', body }]);
    const errorLine = bodyLines(m!.body).find((l) => l.text.includes('fatal error'))!.n;
    const said = classifyLaterLog(m!, errorLine);
    assert.equal(said.means, 'unrelated');
    assert.match(said.intro ?? '', /completely different problem/);
  });
});

describe('a log its poster calls unrelated, under a feature patch and its v2', () => {
  const DIR = join(import.meta.dirname, '..', 'fixtures', 'series');
  it('is answered by neither posting, and the summary says what its poster said', async () => {
    const v = await triageMessages(await loadMessages(join(DIR, 'unrelated-log-then-v2.mbox')));
    assert.ok(v.failures.some((f) => f.kind === 'compile-error' && /ncursesw\/menu\.h/.test(f.message)));
    assert.deepEqual(
      v.patches.map((p) => [p.verdict, p.answers.length]),
      [
        ['no-failure', 0],
        ['no-failure', 0],
      ],
    );
    assert.match(v.summary, /says it has nothing to do with the patch/);
  });
  it('the same thread with the log introduced as what breaks without the patch: v2 answers it', async () => {
    const raw = readFileSync(join(DIR, 'unrelated-log-then-v2.mbox'), 'utf8');
    const told = raw.replace(
      'BTW with ncurses 6.5 from my distribution nconf fails to compile, but\nthis is a completely different problem that existed even before my\nchanges. I will look at it later.',
      'And here is the error the colour table is for, without this patch:',
    );
    assert.notEqual(told, raw);
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-later-'));
    writeFileSync(join(dir, 'told.mbox'), told);
    const v = await triageMessages(await loadMessages(join(dir, 'told.mbox')));
    rmSync(dir, { recursive: true });
    const v2 = v.patches.find((p) => p.subject.includes('v2'))!;
    assert.ok(v2.answers.length > 0, 'v2 answers the log posted above it');
  });
});
