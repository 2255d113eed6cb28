// The review's outcome: each person's latest word, weighed by standing; the
// latest word of a maintainer decides; one person under two name forms is one
// voice; a log posted after the patch is read as what its introduction says.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { nameKey, People } from '../../src/analyze/people.js';
import { facts, messages, patchBody, ruleInput, type MailSpec } from '../helpers/mail.js';

const REPORT: MailSpec = {
  id: '<rep@x>',
  from: 'Tess Tester <tess@example.org>',
  subject: 'build failure in foo without CONFIG_BAR',
  body: `
Building with CONFIG_BAR=n fails:

drivers/foo/foo.c:40:2: error: implicit declaration of function 'bar_sync' [-Werror=implicit-function-declaration]
`,
};

const DIFF = `
diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
index 1111111..2222222 100644
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -38,5 +38,7 @@ static int foo_resume(struct device *dev)
 {
 	struct foo *f = dev_get_drvdata(dev);
 
+#ifdef CONFIG_BAR
 	bar_sync(f->bar);
+#endif
 	return 0;
`;

const PATCH: MailSpec = {
  id: '<p1@x>',
  from: 'Pat Author <pat@example.org>',
  subject: '[PATCH] foo: fix build without CONFIG_BAR',
  inReplyTo: '<rep@x>',
  to: ['Mia Maintainer <mia@example.org>'],
  cc: ['Rob Reviewer <rob@example.org>', 'linux-foo@vger.kernel.org'],
  body: patchBody('Only sync when CONFIG_BAR is set.', DIFF),
};

const reply = (id: string, from: string, body: string, parent = '<p1@x>'): MailSpec => ({
  id,
  from,
  subject: 'Re: [PATCH] foo: fix build without CONFIG_BAR',
  inReplyTo: parent,
  references: ['<rep@x>', parent],
  body,
});

describe('standing: who speaks', () => {
  it('To: of the posting is a maintainer, Cc: a reviewer, a stranger is other, the author is author', async () => {
    const f = await facts([
      REPORT,
      PATCH,
      reply('<r1@x>', 'Mia Maintainer <mia@example.org>', 'Looks good to me.\n'),
      reply('<r2@x>', 'Rob Reviewer <rob@example.org>', 'Looks good to me.\n'),
      reply('<r3@x>', 'Sam Stranger <sam@example.org>', 'Looks good to me.\n'),
      reply('<r4@x>', 'Pat Author <pat@example.org>', 'Thanks for fixing this.\n'),
    ]);
    const roles = ruleInput(f, '<p1@x>').rec.signals.map((s) => [s.speaker, s.role]);
    assert.deepEqual(roles, [
      ['Mia Maintainer', 'maintainer'],
      ['Rob Reviewer', 'reviewer'],
      ['Sam Stranger', 'other'],
      ['Pat Author', 'author'],
    ]);
  });

  it('MAINTAINERS from the index outranks the headers; whoever applies is a maintainer', async () => {
    const { buildFacts } = await import('../../src/analyze/facts.js');
    const { buildThread } = await import('../../src/mail/thread.js');
    const { extractMessage } = await import('../../src/extract/message.js');
    const thread = buildThread(
      await messages([REPORT, { ...PATCH, to: [], cc: [] }, reply('<r1@x>', 'Owen Owner <owen@example.org>', 'NAK.\n'), reply('<r2@x>', 'Ada Applier <ada@example.org>', 'Applied, thanks.\n')]),
    );
    const f = buildFacts(thread, thread.messages.map(extractMessage), {
      maintainers: (paths) => (paths.some((p) => p.startsWith('drivers/foo/')) ? [{ name: 'Owen Owner', email: 'owen@example.org', role: 'maintainer' }] : []),
    });
    const roles = f.patches[0]!.signals.map((s) => [s.speaker, s.role]);
    assert.deepEqual(roles, [
      ['Owen Owner', 'maintainer'],
      ['Ada Applier', 'maintainer'],
    ]);
  });

  it('one person under two name forms is one voice', () => {
    assert.equal(nameKey('Bergmann, Arnd'), nameKey('Arnd Bergmann'));
    const people = new People([]);
    assert.equal(people.key('Arnd Bergmann', 'ARND@example.org'), 'arnd@example.org');
  });
});

describe('review outcome: the latest word', () => {
  it('a maintainer NAK outweighs a passer-by\'s "looks good"', async () => {
    const v = triageMessages(
      await messages([
        REPORT,
        PATCH,
        reply('<r1@x>', 'Sam Stranger <sam@example.org>', 'Looks good to me.\n'),
        reply('<r2@x>', 'Mia Maintainer <mia@example.org>', 'NAK. The sync is needed on resume; please add a stub for bar_sync() instead.\n'),
      ]),
    );
    assert.equal(v.patches[0]!.verdict, 'hides');
    assert.match(v.patches[0]!.reason, /Mia Maintainer \(maintainer\) refuses it, the last word of a maintainer/);
  });

  it('an objection the maintainer answers by applying is over: fixes', async () => {
    // a diff no rule leans on, so the review alone decides
    const neutral = {
      ...PATCH,
      body: patchBody(
        'Sync through the helper.',
        DIFF.replace('+#ifdef CONFIG_BAR\n', '').replace('+#endif\n', '').replace(' \tbar_sync(f->bar);', '-\tbar_sync(f->bar);\n+\tbar_sync(f->bar); /* sync on resume */'),
      ),
    };
    const v = triageMessages(
      await messages([
        REPORT,
        neutral,
        reply('<r1@x>', 'Rob Reviewer <rob@example.org>', "I'm not convinced this is correct.\n"),
        reply('<r2@x>', 'Mia Maintainer <mia@example.org>', 'It is what we do elsewhere. Applied to foo-fixes, thanks.\n'),
      ]),
    );
    assert.equal(v.patches[0]!.verdict, 'fixes');
  });

  it('an "Applied" disputed later by "this papers over the problem" is not the last word', async () => {
    const v = triageMessages(
      await messages([
        REPORT,
        PATCH,
        reply('<r1@x>', 'Mia Maintainer <mia@example.org>', 'Applied, thanks.\n'),
        reply('<r2@x>', 'Sam Stranger <sam@example.org>', 'That is the wrong fix: it papers over the missing stub in bar.h.\n'),
      ]),
    );
    assert.equal(v.patches[0]!.verdict, 'hides');
  });

  it('a counter-proposal and the author conceding: hides; the same words without review: unclear', async () => {
    const v = triageMessages(
      await messages([
        REPORT,
        PATCH,
        reply('<r1@x>', 'Mia Maintainer <mia@example.org>', "Thanks for the patch, but I think it's not the right\napproach. Could we instead provide a stub for bar_sync()?\n"),
        reply('<r2@x>', 'Pat Author <pat@example.org>', "You're right, I'll send a v2 with the stub.\n", '<r1@x>'),
      ]),
    );
    assert.equal(v.patches[0]!.verdict, 'hides');
    assert.match(v.patches[0]!.reason, /objects to it/);
    // a diff no rule leans on, and no review: nothing decides
    const elsewhere =
      '\ndiff --git a/drivers/foo/foo-core.c b/drivers/foo/foo-core.c\n--- a/drivers/foo/foo-core.c\n+++ b/drivers/foo/foo-core.c\n@@ -10,2 +10,2 @@\n-#define FOO_RETRIES 3\n+#define FOO_RETRIES 5\n';
    const quiet = triageMessages(await messages([REPORT, { ...PATCH, body: patchBody('Retry more.', elsewhere) }]));
    assert.equal(quiet.patches[0]!.verdict, 'unclear', quiet.patches[0]!.reason);
  });

  it('"for now" from the author, applied by the maintainer as the fix: fixes', async () => {
    const v = triageMessages(
      await messages([
        REPORT,
        {
          ...PATCH,
          body: patchBody(
            'Add a stub for now; long term we should split bar.',
            DIFF.replace('+#ifdef CONFIG_BAR\n', '').replace('+#endif\n', '').replace(' \tbar_sync(f->bar);', '-\tbar_sync(f->bar);\n+\tbar_sync_if_present(f->bar);'),
          ),
        },
        reply('<r1@x>', 'Mia Maintainer <mia@example.org>', 'Applied to foo-fixes, thanks.\n'),
      ]),
    );
    assert.equal(v.patches[0]!.verdict, 'fixes', v.patches[0]!.reason);
  });
});

describe('a log posted after the patch', () => {
  const exportPatch: MailSpec = {
    id: '<e1@x>',
    from: 'Pat Author <pat@example.org>',
    subject: '[PATCH] foo: make FOO_IORT depend on PCI',
    body: patchBody(
      'The IORT code calls into PCI.',
      `
diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig
--- a/drivers/foo/Kconfig
+++ b/drivers/foo/Kconfig
@@ -3,3 +3,3 @@ config FOO
 	bool "Foo"
-	select FOO_IORT if ACPI
+	select FOO_IORT if (ACPI && PCI)
`,
    ),
  };
  const log = "foo.c:(.init.text+0x47c): undefined reference to `pci_enable_acs_quirk'\n";

  it('the author showing "what breaks without this patch" is the failure it answers', async () => {
    const f = await facts([
      exportPatch,
      reply('<q@x>', 'Rob Reviewer <rob@example.org>', 'What breaks without this patch?\n', '<e1@x>'),
      { ...reply('<l@x>', 'Pat Author <pat@example.org>', `Without this patch the build fails:\n\n${log}`, '<q@x>'), references: ['<e1@x>', '<q@x>'] },
    ]);
    assert.deepEqual(f.patches[0]!.answers, [0]);
  });

  it('a tester\'s "with your patch I still get" is not the failure it answers', async () => {
    const f = await facts([exportPatch, reply('<l@x>', 'Tess Tester <tess@example.org>', `With your patch applied I still get this on arm64:\n\n${log}`, '<e1@x>')]);
    assert.deepEqual(f.patches[0]!.answers, []);
  });
});

describe('which posting a reply is about', () => {
  const v2: MailSpec = { ...PATCH, id: '<p2@x>', subject: '[PATCH v2] foo: fix build without CONFIG_BAR', inReplyTo: '<p1@x>', references: ['<rep@x>', '<p1@x>'] };
  const quoting = (id: string, parent: string, from: string, words: string): MailSpec => ({
    id,
    from,
    subject: `Re: ${parent === '<p2@x>' ? '[PATCH v2]' : '[PATCH]'} foo: fix build without CONFIG_BAR`,
    inReplyTo: parent,
    references: ['<rep@x>', parent],
    body: `On Mon, 4 Mar 2024, Pat Author wrote:\n${DIFF.split('\n')
      .filter(Boolean)
      .map((l) => `> ${l}`)
      .join('\n')}\n\n${words}\n`,
  });

  it('a reply quoting v2 is about v2, even when v1 had the same diff', async () => {
    const f = await facts([REPORT, PATCH, v2, quoting('<a@x>', '<p2@x>', 'Mia Maintainer <mia@example.org>', 'Applied, thanks.')]);
    const [r1, r2] = [f.patches.find((r) => r.patch.messageId === '<p1@x>')!, f.patches.find((r) => r.patch.messageId === '<p2@x>')!];
    assert.ok(
      r2.signals.some((s) => s.kind === 'applied'),
      'v2 was applied',
    );
    // v1 carries the same diff: what is said of one re-posting is said of the other
    assert.ok(r1.signals.some((s) => s.kind === 'applied'));
  });

  it("a different v2 does not inherit v1's review", async () => {
    const other = { ...v2, body: patchBody('Provide a stub instead.', DIFF.replace('+#ifdef CONFIG_BAR', '+#if IS_ENABLED(CONFIG_BAR)')) };
    const f = await facts([REPORT, PATCH, quoting('<n@x>', '<p1@x>', 'Mia Maintainer <mia@example.org>', 'NAK.'), other]);
    const r2 = f.patches.find((r) => r.patch.messageId === '<p2@x>')!;
    assert.deepEqual(r2.signals, []);
  });
});

describe('no verdict without a failure', () => {
  it('a patch that silences a warning nobody reported answers no failure: no-failure, never hides', async () => {
    const quiet: MailSpec = {
      id: '<q@x>',
      from: 'Pat Author <pat@example.org>',
      subject: '[PATCH] foo: tidy up the probe path',
      body: patchBody(
        'Tidy up.',
        '\ndiff --git a/drivers/foo/foo.c b/drivers/foo/foo.c\n--- a/drivers/foo/foo.c\n+++ b/drivers/foo/foo.c\n@@ -10,2 +10,2 @@\n-static int foo_ready;\n+static int __maybe_unused foo_ready;\n',
      ),
    };
    const v = triageMessages(await messages([quiet, reply('<r@x>', 'Mia Maintainer <mia@example.org>', 'This only hides the problem.', '<q@x>')]));
    assert.equal(v.patches[0]!.verdict, 'no-failure');
  });
});
