// located-change: a code change at the place the diagnostic names is a lean
// towards fixing; a guard or an attribute there is not a code change, and a
// change elsewhere says nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locatedChange } from '../../../src/analyze/rules/conventions/located-change.js';
import { facts, patchBody, ruleInput, type MailSpec } from '../../helpers/mail.js';

const report: MailSpec = { id: '<r@x>', subject: 'build error in foo', from: 'Tess Tester <tess@example.org>', body: "drivers/foo/foo.c:120:9: error: 'struct foo' has no member named 'lock'\n" };
const patch = (hunk: string, path = 'drivers/foo/foo.c'): MailSpec => ({
  id: '<p@x>',
  subject: '[PATCH] foo: fix the build',
  from: 'Pat Author <pat@example.org>',
  inReplyTo: '<r@x>',
  body: patchBody('Use the new field.', `\ndiff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n${hunk}`),
});

async function judged(p: MailSpec) {
  return locatedChange.apply(ruleInput(await facts([report, p]), '<p@x>')).map((f) => [f.lean, f.weight]);
}

describe('located-change', () => {
  it('a code line changed near the reported line leans fixes', async () => {
    assert.deepEqual(await judged(patch('@@ -118,3 +118,3 @@ static int foo_start(struct foo *f)\n \tint ret;\n-\tspin_lock(&f->lock);\n+\tspin_lock(&f->base.lock);\n')), [['fixes', 1.25]]);
  });
  it('a guard or an attribute at that place is not a code change', async () => {
    assert.deepEqual(await judged(patch('@@ -118,3 +118,5 @@ static int foo_start(struct foo *f)\n \tint ret;\n+#ifdef CONFIG_FOO_LOCK\n \tspin_lock(&f->lock);\n+#endif\n')), []);
  });
  it('a change far from the line, or in another file, says nothing', async () => {
    assert.deepEqual(await judged(patch('@@ -10,2 +10,2 @@\n-#define FOO_MAX 4\n+#define FOO_MAX 8\n')), []);
    assert.deepEqual(await judged(patch('@@ -118,2 +118,2 @@\n-\tspin_lock(&f->lock);\n+\tspin_lock(&f->base.lock);\n', 'drivers/bar/bar.c')), []);
  });
});

describe('reference-resolved: the tool that printed the diagnostic is what changes', () => {
  it('a modpost warning answered by a change to scripts/mod leans fixes at 1.5; an unrelated script at 0.75', async () => {
    const { referenceResolved } = await import('../../../src/analyze/rules/reference-resolved.js');
    const rep: MailSpec = {
      id: '<r2@x>',
      subject: 'modpost warning',
      from: 'Tess Tester <tess@example.org>',
      body: 'WARNING: modpost: vmlinux.o: section mismatch in reference: foo (section: .text) -> bar (section: .init.text)\n',
    };
    const fix = (path: string): MailSpec => ({
      id: '<p2@x>',
      subject: '[PATCH] modpost: fix a false section mismatch',
      from: 'Pat Author <pat@example.org>',
      inReplyTo: '<r2@x>',
      body: patchBody(
        'Teach modpost about the new section.',
        `\ndiff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -10,2 +10,2 @@\n-\tstatic const char *const sections[] = { ".text" };\n+\tstatic const char *const sections[] = { ".text", ".noinstr.text" };\n`,
      ),
    });
    const at = referenceResolved.apply(ruleInput(await facts([rep, fix('scripts/mod/modpost.c')]), '<p2@x>')).filter((f) => /build tool/.test(f.reason));
    assert.deepEqual(
      at.map((f) => f.weight),
      [1.5],
    );
    const away = referenceResolved.apply(ruleInput(await facts([rep, fix('scripts/package/mkdebian')]), '<p2@x>')).filter((f) => /build tool/.test(f.reason));
    assert.deepEqual(
      away.map((f) => f.weight),
      [0.75],
    );
  });
});

describe('silencing a warning by name in the build flags', () => {
  const makefilePatch = (line: string): MailSpec => ({
    id: '<p3@x>',
    subject: '[PATCH] kbuild: quiet a clang warning',
    from: 'Pat Author <pat@example.org>',
    inReplyTo: '<r3@x>',
    body: patchBody(
      'These are false positives.',
      `\ndiff --git a/scripts/Makefile.extrawarn b/scripts/Makefile.extrawarn\n--- a/scripts/Makefile.extrawarn\n+++ b/scripts/Makefile.extrawarn\n@@ -37,2 +37,3 @@\n KBUILD_CFLAGS += -Wno-gnu\n+${line}\n`,
    ),
  });
  const warn = (tail: string): MailSpec => ({
    id: '<r3@x>',
    subject: 'clang warnings',
    from: 'Tess Tester <tess@example.org>',
    body: `Building with clang 21:\n\n  crypto/walk.c:66:22: error: default initialization of an object of type 'struct walk' with const member leaves the object uninitialized ${tail}\n`,
  });

  it("clang's [-Werror,-Wflag] names the flag; switching it off by name weighs 4", async () => {
    const { silencedDiagnostic } = await import('../../../src/analyze/rules/silenced-diagnostic.js');
    const f = await facts([warn('[-Werror,-Wdefault-const-init-field-unsafe]'), makefilePatch('KBUILD_CFLAGS += $(call cc-disable-warning, default-const-init-field-unsafe)')]);
    assert.equal(f.failures[0]!.failure.flag, '-Wdefault-const-init-field-unsafe');
    assert.deepEqual(
      silencedDiagnostic.apply(ruleInput(f, '<p3@x>')).map((x) => [x.lean, x.weight]),
      [['hides', 4]],
    );
  });

  it('a flag the log cut short still names it when enough of it is left; another warning is elsewhere', async () => {
    const { silencedDiagnostic } = await import('../../../src/analyze/rules/silenced-diagnostic.js');
    const cut = await facts([warn('[-Werror,-Wdefault-const-init-fi'), makefilePatch('KBUILD_CFLAGS += $(call cc-disable-warning, default-const-init-field-unsafe)')]);
    assert.deepEqual(
      silencedDiagnostic.apply(ruleInput(cut, '<p3@x>')).map((x) => x.weight),
      [4],
    );
    const other = await facts([warn('[-Werror,-Wdefault-const-init-field-unsafe]'), makefilePatch('KBUILD_CFLAGS += $(call cc-disable-warning, format-truncation)')]);
    assert.deepEqual(silencedDiagnostic.apply(ruleInput(other, '<p3@x>')), []);
  });
});
