// build-rules: a failure of the build itself (options refused, a recipe) with
// no source line, answered by a Makefile edit alone, leans fixes weakly; a
// diagnostic in a source file answered by a Makefile edit gets no lean; and a
// weak lean alone now decides, at a confidence below any posting threshold,
// while two weak leans that disagree still do not.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildFacts } from '../../src/analyze/facts.js';
import { decideThread, DECIDES } from '../../src/analyze/decide.js';
import { buildRules, inSource } from '../../src/analyze/rules/conventions/build-rules.js';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { buildThread } from '../../src/mail/thread.js';
import { facts, patchBody, ruleInput, type MailSpec } from '../helpers/mail.js';

async function fixtureFacts(name: string) {
  const path = `test/fixtures/blind/${name}`;
  const raw = readFileSync(path, 'utf8').replace(/^From mboxrd@z .*\n/, '');
  const thread = buildThread([await parseMail({ bytes: Buffer.from(raw), origin: { kind: 'mbox', path } })]);
  return buildFacts(thread, thread.messages.map(extractMessage));
}

const makefileFix = (id: string, line: string, path = 'arch/foo/Makefile'): MailSpec => ({
  id,
  subject: '[PATCH] foo: fix the build',
  from: 'Ada Mender <ada@example.org>',
  body: patchBody(
    "Building stops with:\n\n  cc1: error: '-mfoo-vec' must be used with '-mhard-float'\n",
    `\ndiff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -120,3 +120,3 @@\n ifdef CONFIG_CPU_FOO_VEC\n-cflags-y += -mfoo-vec\n+${line}\n endif\n`,
  ),
});

describe('build-rules', () => {
  it('an option error with no source line, answered in the Makefile, leans fixes at 0.75', async () => {
    const f = await facts([makefileFix('<a@x>', 'cflags-y += -mfoo-vec -mhard-float')]);
    assert.deepEqual(
      buildRules.apply(ruleInput(f, '<a@x>', true)).map((x) => [x.lean, x.weight]),
      [['fixes', 0.75]],
    );
  });
  it('a -Wno- in the same Makefile is silencing, judged elsewhere: no lean here', async () => {
    const f = await facts([makefileFix('<b@x>', 'cflags-y += -mfoo-vec -Wno-error')]);
    assert.deepEqual(buildRules.apply(ruleInput(f, '<b@x>', true)), []);
  });
  it('a patch that also changes code is not a build-rules answer', async () => {
    const spec = makefileFix('<c@x>', 'cflags-y += -mfoo-vec -mhard-float');
    spec.body = spec.body.replace(
      '-- \n',
      'diff --git a/arch/foo/kernel/setup.c b/arch/foo/kernel/setup.c\n--- a/arch/foo/kernel/setup.c\n+++ b/arch/foo/kernel/setup.c\n@@ -10,1 +10,1 @@\n-\tfoo_init(0);\n+\tfoo_init(1);\n-- \n',
    );
    assert.deepEqual(buildRules.apply(ruleInput(await facts([spec]), '<c@x>', true)), []);
  });
  it('a diagnostic in a source file is not the rules’ to fix: inSource', () => {
    const base = { kind: 'compile-error' as const, message: 'x', configs: [], fromRobot: false, cite: { messageId: '<m@x>', line: 1 }, quoteDepth: 0 };
    assert.equal(inSource({ ...base, file: 'usr/include/linux/frobnicator.h', line: 14 }), true);
    assert.equal(inSource({ ...base, file: 'drivers/foo/foo.c' }), true);
    assert.equal(inSource({ ...base, file: 'scripts/Makefile.build' }), false);
    assert.equal(inSource(base), false);
  });
});

describe('blind verdicts from the fixtures', () => {
  it('flags refused, Makefile answers: fixes, at a confidence that says it is a lean', async () => {
    const v = decideThread(await fixtureFacts('flags-rejected-makefile.mbox'), { blind: true });
    assert.equal(v.verdict, 'fixes');
    assert.ok(v.confidence < 0.65, `confidence ${v.confidence}`);
  });
  it('a source diagnostic taken out of the header test by the Makefile: never fixes', async () => {
    const v = decideThread(await fixtureFacts('source-error-makefile.mbox'), { blind: true });
    assert.notEqual(v.verdict, 'fixes');
  });
});

describe('DECIDES', () => {
  it('one weak finding decides; two weak ones that disagree do not (the margin)', () => {
    assert.ok(0.75 >= DECIDES.weight);
    assert.ok(0.75 < 0.75 + DECIDES.margin);
  });
});
