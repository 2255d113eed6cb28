// Each rule on small threads: it fires where its kernel fact or review
// convention applies, and stays quiet where it does not.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokenDependency } from '../../src/analyze/rules/broken-dependency.js';
import { guardExcludesConfig } from '../../src/analyze/rules/guard-excludes-config.js';
import { kconfigUnmetDependency } from '../../src/analyze/rules/kconfig-unmet-dependency.js';
import { exportScope } from '../../src/analyze/rules/conventions/export-scope.js';
import { referenceResolved } from '../../src/analyze/rules/reference-resolved.js';
import { refusedExport } from '../../src/analyze/rules/refused-export.js';
import { reviewOutcome } from '../../src/analyze/rules/review-outcome.js';
import { silencedDiagnostic } from '../../src/analyze/rules/silenced-diagnostic.js';
import { stopGap } from '../../src/analyze/rules/stop-gap.js';
import { decideThread } from '../../src/analyze/decide.js';
import { stubSemantics } from '../../src/analyze/rules/stub-semantics.js';
import { facts, patchBody, record, ruleInput, type MailSpec } from '../helpers/mail.js';

const REPORT: MailSpec = {
  id: '<report@x>',
  from: 'Build Bot <bot@example.org>',
  subject: 'linux-next: build failure after merge of the foo tree',
  body: `
Hi all,

After merging the foo tree, today's linux-next build (arm multi_v7_defconfig
with CONFIG_SMP disabled) failed like this:

arm-linux-gnueabihf-ld: drivers/foo/foo.o: in function \`foo_unmap':
foo.c:(.text+0x1c4): undefined reference to \`foo_flush_range'

Caused by commit

  0123456789ab ("foo: map pages instead of copying")
`,
};

const NARROWING = `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
index 1111111..2222222 100644
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -12,3 +12,3 @@
-#ifdef CONFIG_FOO_MAP
+#if defined(CONFIG_FOO_MAP) && defined(CONFIG_SMP)
 #define FOO_USE_MAP
 #endif
`;

function patchMail(id: string, subject: string, message: string, diff: string, extra: Partial<MailSpec> = {}): MailSpec {
  return { id, subject, from: 'Pat Author <pat@example.org>', inReplyTo: '<report@x>', body: patchBody(message, diff), ...extra };
}

describe('guard-excludes-config', () => {
  it('fires when the narrowed guard rules out the failing config (CONFIG_SMP=n)', async () => {
    const f = await facts([REPORT, patchMail('<p1@x>', '[PATCH] foo: only map pages on SMP', 'Only map on SMP.', NARROWING)]);
    const out = guardExcludesConfig.apply(ruleInput(f, '<p1@x>'));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.lean, 'hides');
    assert.match(out[0]!.reason, /CONFIG_SMP=n/);
    assert.match(out[0]!.evidence[0]!.cite, /^<p1@x>:L\d+$/);
  });

  it('does not fire on a widened guard', async () => {
    const widened = NARROWING.replace('&& defined(CONFIG_SMP)', '|| defined(CONFIG_COMPILE_TEST)');
    const f = await facts([REPORT, patchMail('<p2@x>', '[PATCH] foo: also build for compile tests', 'Widen.', widened)]);
    assert.deepEqual(guardExcludesConfig.apply(ruleInput(f, '<p2@x>')), []);
  });
});

describe('broken-dependency', () => {
  it('depends on BROKEN hides; an ordinary dependency does not trigger it', async () => {
    const diff = (line: string) => `
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
@@ -5,3 +5,4 @@ config FOO_DEBUG
 config FOO_DEBUG
 	bool "Foo debugging"
+	${line}
 	depends on FOO
`;
    const f = await facts([
      REPORT,
      patchMail('<b1@x>', '[PATCH] foo: mark debugging as broken', 'Mark it broken.', diff('depends on BROKEN')),
      patchMail('<b2@x>', '[PATCH] foo: debug needs NET', 'Needs NET.', diff('depends on NET')),
    ]);
    assert.equal(brokenDependency.apply(ruleInput(f, '<b1@x>'))[0]!.lean, 'hides');
    assert.deepEqual(brokenDependency.apply(ruleInput(f, '<b2@x>')), []);
  });
});

describe('kconfig-unmet-dependency', () => {
  const WARN: MailSpec = {
    id: '<kw@x>',
    subject: '[PATCH] drivers/bar: fix Kconfig warning',
    from: 'Pat Author <pat@example.org>',
    body: patchBody(
      `With GPIOLIB disabled:

WARNING: unmet direct dependencies detected for GPIO_BAR
  Depends on [n]: GPIOLIB [=n] && HAS_IOMEM [=y]
  Selected by [y]:
  - BAR_BOARD [=y] && X86 [=y]

Add the dependency.`,
      `
diff --git a/drivers/bar/Kconfig b/drivers/bar/Kconfig
--- a/drivers/bar/Kconfig
+++ b/drivers/bar/Kconfig
@@ -1,3 +1,4 @@
 config BAR_BOARD
 	tristate "Bar board"
+	depends on GPIOLIB
 	select GPIO_BAR
`,
    ),
  };
  it('the selector gaining the missing dependency fixes it', async () => {
    const f = await facts([WARN]);
    const out = kconfigUnmetDependency.apply(ruleInput(f, '<kw@x>'));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.lean, 'fixes');
    assert.match(out[0]!.reason, /GPIOLIB/);
  });

  it('a select made conditional hides it', async () => {
    const conditional = {
      ...WARN,
      id: '<kc@x>',
      body: WARN.body.replace('+\tdepends on GPIOLIB\n \tselect GPIO_BAR', '-\tselect GPIO_BAR\n+\tselect GPIO_BAR if GPIOLIB').replace('@@ -1,3 +1,4 @@', '@@ -1,3 +1,3 @@'),
    };
    const f = await facts([conditional]);
    const out = kconfigUnmetDependency.apply(ruleInput(f, '<kc@x>'));
    assert.equal(out[0]?.lean, 'hides');
  });

  it('stays quiet without a Kconfig warning', async () => {
    const f = await facts([
      REPORT,
      patchMail(
        '<k3@x>',
        '[PATCH] foo: depend on GPIOLIB',
        'x',
        `
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
@@ -1,2 +1,3 @@
 config FOO
 	tristate "foo"
+	depends on GPIOLIB
`,
      ),
    ]);
    assert.deepEqual(kconfigUnmetDependency.apply(ruleInput(f, '<k3@x>')), []);
  });
});

describe('silenced-diagnostic and stub-semantics', () => {
  it('a zero initialiser for a maybe-uninitialized warning hides; a WARN_ON stub hides; an empty stub leans fixes', async () => {
    const init = patchMail(
      '<s1@x>',
      '[PATCH] qq: fix a warning',
      'Fix the smatch warning about data being uninitialized.',
      `
diff --git a/drivers/qq/qq.c b/drivers/qq/qq.c
--- a/drivers/qq/qq.c
+++ b/drivers/qq/qq.c
@@ -40,4 +40,4 @@ static void qq_rx(struct qq *q)
 {
-	u64 data;
+	u64 data = 0;
 	void *addr;
`,
      { inReplyTo: undefined },
    );
    const stubs = patchMail(
      '<s2@x>',
      '[PATCH] bar: fix link errors when BAR is disabled',
      'Add stubs.',
      `
diff --git a/include/linux/bar.h b/include/linux/bar.h
--- a/include/linux/bar.h
+++ b/include/linux/bar.h
@@ -10,3 +10,13 @@
 #ifdef CONFIG_BAR
 int bar_register(struct bar *b);
 void bar_claim(struct bar *b);
+#else
+static inline int bar_register(struct bar *b)
+{
+	return 0;
+}
+static inline void bar_claim(struct bar *b)
+{
+	WARN_ON(1);
+}
 #endif
`,
      { inReplyTo: undefined },
    );
    const f = await facts([init, stubs]);
    assert.equal(silencedDiagnostic.apply(ruleInput(f, '<s1@x>'))[0]?.lean, 'hides');
    assert.deepEqual(silencedDiagnostic.apply(ruleInput(f, '<s2@x>')), []);
    const st = stubSemantics.apply(ruleInput(f, '<s2@x>'));
    assert.deepEqual(st.map((x) => x.lean).sort(), ['fixes', 'hides']);
  });
});

describe('silenced-diagnostic: a diagnostic that names a function points into its body', () => {
  // the hunk: git's header names `fn`; `above` is what the hunk shows before the initialiser
  const init = (id: string, fn: string, above = ' {') =>
    patchMail(
      id,
      '[PATCH] qq: fix a warning message',
      'This fixes the smatch warning in qq_rxtx_word() which complains data not initialized at line 634.',
      `
diff --git a/drivers/qq/qq.c b/drivers/qq/qq.c
--- a/drivers/qq/qq.c
+++ b/drivers/qq/qq.c
@@ -620,${above.split('\n').length + 2} +620,${above.split('\n').length + 2} @@ static void ${fn}(struct qq *q, bool rx)
${above}
-	u64 data;
+	u64 data = 0;
 	void *addr;
`,
      { inReplyTo: undefined },
    );
  it('the initialiser inside the named function hides; the same one in another function says nothing', async () => {
    const f = await facts([init('<w1@x>', 'qq_rxtx_word'), init('<w2@x>', 'qq_setup')]);
    assert.equal(silencedDiagnostic.apply(ruleInput(f, '<w1@x>'))[0]?.lean, 'hides');
    assert.deepEqual(silencedDiagnostic.apply(ruleInput(f, '<w2@x>')), []);
  });

  it("git's hunk header names the function above the hunk: a definition inside the hunk before the line wins", async () => {
    const f = await facts([init('<w3@x>', 'qq_rxtx_word', ' }\n \n static void qq_other(struct qq *q)\n {')]);
    assert.deepEqual(silencedDiagnostic.apply(ruleInput(f, '<w3@x>')), []);
  });
});

describe('silenced-diagnostic needs a diagnostic', () => {
  const flags = (id: string, subject: string, message: string) =>
    patchMail(
      id,
      subject,
      message,
      `
diff --git a/kernel/qq/Makefile b/kernel/qq/Makefile
--- a/kernel/qq/Makefile
+++ b/kernel/qq/Makefile
@@ -3,2 +3,2 @@
-CFLAGS_qq.o += -O2
+CFLAGS_qq.o += -O2 -fno-tree-loop-im
`,
      { inReplyTo: undefined },
    );
  it('a compiler flag against a crash silences nothing that was reported; against a warning it may', async () => {
    const crash = flags('<c1@x>', '[PATCH] qq: fix a crash on concurrent access', 'Concurrent updates crash:\n\n  BUG: unable to handle page fault for address: ffff888100000000\n');
    const warning = flags('<c2@x>', '[PATCH] qq: avoid a warning', 'Building qq gives:\n\n  kernel/qq/qq.c:40:7: warning: loop variable may be used uninitialized [-Wmaybe-uninitialized]\n');
    const f = await facts([crash, warning]);
    assert.ok(record(f, '<c1@x>').answers.length > 0, 'the crash is the failure the patch answers');
    assert.deepEqual(silencedDiagnostic.apply(ruleInput(f, '<c1@x>')), []);
    assert.equal(silencedDiagnostic.apply(ruleInput(f, '<c2@x>'))[0]?.lean, 'hides');
  });
});

describe('reference-resolved', () => {
  // exports moved to conventions/export-scope.ts, which judges whose symbol it is
  it('an export (export-scope), a moved definition, or a replaced call lean fixes; a Makefile tweak does not', async () => {
    const exp = patchMail(
      '<r1@x>',
      '[PATCH] foo: export foo_flush_range',
      'Export it.',
      `
diff --git a/drivers/foo/core.c b/drivers/foo/core.c
--- a/drivers/foo/core.c
+++ b/drivers/foo/core.c
@@ -80,2 +80,3 @@ void foo_flush_range(unsigned long s, unsigned long e)
 	__foo_flush(s, e);
 }
+EXPORT_SYMBOL_GPL(foo_flush_range);
`,
    );
    const mk = patchMail(
      '<r2@x>',
      '[PATCH] foo: build core.o always',
      'Hmm.',
      `
diff --git a/drivers/foo/Makefile b/drivers/foo/Makefile
--- a/drivers/foo/Makefile
+++ b/drivers/foo/Makefile
@@ -1,2 +1,2 @@
-obj-$(CONFIG_FOO_MAP) += core.o
+obj-y += core.o
`,
    );
    const f = await facts([REPORT, exp, mk]);
    assert.deepEqual(referenceResolved.apply(ruleInput(f, '<r1@x>')), []);
    const out = exportScope.apply(ruleInput(f, '<r1@x>'));
    assert.equal(out[0]?.lean, 'fixes');
    assert.match(out[0]!.reason, /exported/);
    assert.deepEqual(referenceResolved.apply(ruleInput(f, '<r2@x>')), []);
  });
});

describe('review rules', () => {
  const patch = patchMail('<v1@x>', '[PATCH] foo: only map pages on SMP', 'Only map on SMP.', NARROWING);
  const reply = (id: string, from: string, body: string): MailSpec => ({
    id,
    from,
    subject: 'Re: [PATCH] foo: only map pages on SMP',
    inReplyTo: '<v1@x>',
    references: ['<report@x>', '<v1@x>'],
    body,
  });

  it('a reviewer saying it papers over the problem is an objection; the author saying so is an admission', async () => {
    const f = await facts([
      REPORT,
      patch,
      reply('<v2@x>', 'Rita Reviewer <rita@example.org>', '> -#ifdef CONFIG_FOO_MAP\n\nThis just papers over the real bug.\n'),
      reply('<v3@x>', 'Pat Author <pat@example.org>', 'Fair enough, maybe this is not the correct fix.\n'),
    ]);
    const obj = reviewOutcome.apply(ruleInput(f, '<v1@x>')).filter((x) => x.lean === 'hides');
    assert.ok(
      obj.some((x) => /Rita Reviewer says it papers over/.test(x.reason)),
      JSON.stringify(obj),
    );
    assert.ok(
      obj.some((x) => /its author concedes/.test(x.reason)),
      'the author gives in after the objection',
    );
    const adm = stopGap.apply(ruleInput(f, '<v1@x>'));
    assert.ok(adm.some((x) => /author doubts/.test(x.reason)));
  });

  it('a stop-gap in the author\'s own words counts even blind; someone else\'s "my workaround" does not', async () => {
    const own = patchMail('<w1@x>', '[PATCH] foo: disable mapping for now', 'Disable the mapping path for now, as a temporary workaround until the flush is fixed.', NARROWING);
    const f = await facts([
      REPORT,
      own,
      {
        id: '<w2@x>',
        from: 'Other Maintainer <om@example.org>',
        subject: 'Re: [PATCH] foo: disable mapping for now',
        inReplyTo: '<w1@x>',
        body: 'Once this lands I can drop my workaround in foo-next.\n',
      },
    ]);
    const blind = stopGap.apply(ruleInput(f, '<w1@x>', true));
    assert.ok(blind.length >= 1);
    const full = stopGap.apply(ruleInput(f, '<w1@x>'));
    assert.ok(!full.some((x) => /Other Maintainer/.test(x.reason)));
  });

  it("the author's stop-gap words add to what the diff shows; alone they do not make it hides", async () => {
    const words = 'Disable the mapping path for now, as a temporary workaround until the flush is fixed.';
    const unrelated = `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -40,3 +40,3 @@ static int foo_probe(struct device *dev)
 \tint ret;
-\tret = foo_setup(dev, 1);
+\tret = foo_setup(dev, 2);
 \treturn ret;
`;
    const alone = await facts([REPORT, patchMail('<g1@x>', '[PATCH] foo: set up twice', words, unrelated)]);
    assert.ok(stopGap.apply(ruleInput(alone, '<g1@x>', true)).length, 'the rule still finds the words');
    const v1 = decideThread(alone, { blind: true }).patches[0]!;
    assert.notEqual(v1.verdict, 'hides', v1.reason);
    const narrowed = await facts([REPORT, patchMail('<g2@x>', '[PATCH] foo: only map pages on SMP', words, NARROWING)]);
    const plain = await facts([REPORT, patchMail('<g3@x>', '[PATCH] foo: only map pages on SMP', 'Only map on SMP.', NARROWING)]);
    const v2 = decideThread(narrowed, { blind: true }).patches[0]!;
    const v3 = decideThread(plain, { blind: true }).patches[0]!;
    assert.equal(v2.verdict, 'hides');
    assert.match(v2.reason, /stop-gap/);
    assert.ok(v2.confidence > v3.confidence, `${v2.confidence} > ${v3.confidence}: the words add to the diff's finding`);
  });

  it('acceptance: Applied and Tested-by from others count, "applied the fix from someone else" counts against', async () => {
    const f = await facts([
      REPORT,
      patch,
      reply('<a1@x>', 'Mo Maintainer <mo@example.org>', 'Applied to foo-next, thanks.\n'),
      reply('<a2@x>', 'Build Bot <bot@example.org>', 'Tested-by: Build Bot <bot@example.org>\n'),
    ]);
    const out = reviewOutcome.apply(ruleInput(f, '<v1@x>'));
    assert.deepEqual(
      out.map((x) => x.lean),
      ['fixes', 'fixes'],
    );
    const g = await facts([REPORT, patch, reply('<a3@x>', 'Mo Maintainer <mo@example.org>', 'Thanks, I have applied the fix from Xavier Other instead.\n')]);
    assert.equal(reviewOutcome.apply(ruleInput(g, '<v1@x>'))[0]?.lean, 'hides');
  });

  it('a refused export hides a patch that adds it', async () => {
    const exp = patchMail(
      '<e1@x>',
      '[PATCH] mm: export foo_flush_range',
      'Export it for the module.',
      `
diff --git a/mm/foo.c b/mm/foo.c
--- a/mm/foo.c
+++ b/mm/foo.c
@@ -80,2 +80,3 @@ void foo_flush_range(unsigned long s, unsigned long e)
 	__foo_flush(s, e);
 }
+EXPORT_SYMBOL(foo_flush_range);
`,
    );
    const f = await facts([
      REPORT,
      exp,
      {
        id: '<e2@x>',
        from: 'Mm Owner <mmo@example.org>',
        subject: 'Re: [PATCH] mm: export foo_flush_range',
        inReplyTo: '<e1@x>',
        body: 'No. I will not accept a patch to export this, drivers have no business calling it.\n',
      },
    ]);
    const out = refusedExport.apply(ruleInput(f, '<e1@x>'));
    assert.equal(out[0]?.lean, 'hides');
    assert.equal(out[0]?.weight, 3);
  });
});

describe('still-failing', () => {
  it('a tester still seeing the failure with the patch applied makes it partial', async () => {
    const { stillFailing } = await import('../../src/analyze/rules/still-failing.js');
    const { triageMessages } = await import('../../src/analyze/triage.js');
    const { messages } = await import('../helpers/mail.js');
    const exp = patchMail(
      '<sf1@x>',
      '[PATCH] foo: export foo_flush_range',
      'Export it.',
      `
diff --git a/drivers/foo/core.c b/drivers/foo/core.c
--- a/drivers/foo/core.c
+++ b/drivers/foo/core.c
@@ -80,2 +80,3 @@ void foo_flush_range(unsigned long s, unsigned long e)
 	__foo_flush(s, e);
 }
+EXPORT_SYMBOL_GPL(foo_flush_range);
`,
    );
    const still: MailSpec = {
      id: '<sf2@x>',
      from: 'Tess Tester <tess@example.org>',
      subject: 'Re: [PATCH] foo: export foo_flush_range',
      inReplyTo: '<sf1@x>',
      body: 'With this applied arm is fine, but powerpc still fails with the same link error.\n',
    };
    const f = await facts([REPORT, exp, still]);
    assert.equal(stillFailing.apply(ruleInput(f, '<sf1@x>'))[0]?.lean, 'partial');
    const v = triageMessages(await messages([REPORT, exp, still]));
    assert.equal(v.patches[0]!.verdict, 'partial');
    const ok = await facts([REPORT, exp]);
    assert.deepEqual(stillFailing.apply(ruleInput(ok, '<sf1@x>')), []);
  });
});
