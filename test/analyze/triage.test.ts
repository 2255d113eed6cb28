// Thread verdicts, --blind, and eval scoring.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blindCuts, scoreLabel } from '../../src/analyze/score.js';
import { triageMessages } from '../../src/analyze/triage.js';
import { messages, patchBody, type MailSpec } from '../helpers/mail.js';

const report: MailSpec = {
  id: '<r@x>',
  subject: 'modpost error in bar with CONFIG_BAR=m',
  from: 'Reporter <rep@example.org>',
  body: 'Hi,\n\nERROR: modpost: "baz_get" [drivers/bar/bar.ko] undefined!\n\nThanks\n',
};
const exportPatch: MailSpec = {
  id: '<p@x>',
  subject: '[PATCH] baz: export baz_get',
  from: 'Pat Author <pat@example.org>',
  inReplyTo: '<r@x>',
  body: patchBody(
    'bar calls baz_get() from a module; export it.',
    `
diff --git a/drivers/baz/core.c b/drivers/baz/core.c
--- a/drivers/baz/core.c
+++ b/drivers/baz/core.c
@@ -40,2 +40,3 @@ struct baz *baz_get(struct device *dev)
 	return dev->baz;
 }
+EXPORT_SYMBOL_GPL(baz_get);
`,
  ),
};
const nak: MailSpec = {
  id: '<n@x>',
  subject: 'Re: [PATCH] baz: export baz_get',
  from: 'Baz Owner <owner@example.org>',
  inReplyTo: '<p@x>',
  references: ['<r@x>', '<p@x>'],
  body: 'NAK. baz_get() is internal; I will not accept a patch exporting it. bar must use the public API.\n',
};

describe('thread verdicts', () => {
  it('no patch: no-patch; a patch answering nothing: no-failure; nothing at all: unclear', async () => {
    assert.equal(triageMessages(await messages([report])).verdict, 'no-patch');
    const cleanup: MailSpec = {
      id: '<c@x>',
      subject: '[PATCH] baz: rename a local variable',
      body: patchBody(
        'Rename tmp to count for readability.',
        `
diff --git a/drivers/baz/core.c b/drivers/baz/core.c
--- a/drivers/baz/core.c
+++ b/drivers/baz/core.c
@@ -10,3 +10,3 @@ static int baz_count(struct baz *b)
-	int tmp = b->n;
+	int count = b->n;
 	return 0;
`,
      ),
    };
    assert.equal(triageMessages(await messages([cleanup])).verdict, 'no-failure');
    assert.equal(triageMessages(await messages([{ id: '<h@x>', subject: 'hello', body: 'Just saying hello to the list.\n' }])).verdict, 'unclear');
  });

  it("full thread: the owner's NAK makes the export a hide; blind: the same patch judged before the NAK", async () => {
    const all = await messages([report, exportPatch, nak]);
    const full = triageMessages(all);
    assert.equal(full.verdict, 'hides');
    assert.equal(full.patches[0]!.messageId, '<p@x>');
    const blind = triageMessages(all, { blind: true });
    assert.equal(blind.blindCutAfter, '<p@x>');
    assert.equal(blind.messages, 2);
    assert.equal(blind.verdict, 'fixes');
  });

  it('a changelog that answers a boot failure and, on the way, a warning: the summary names both', async () => {
    const v = triageMessages(
      await messages([
        {
          id: '<b@x>',
          subject: '[PATCH] foo: put the entry code back at the head of the image',
          from: 'Pat Author <pat@example.org>',
          body: patchBody(
            'Since the linker script change the entry code is no longer first in the image,\nwhich causes a boot failure.\n\nAdditionally, annotate foo_entry to suppress the following warning:\n\n  WARNING: modpost: vmlinux: section mismatch in reference: foo_start (section: .text) -> foo_entry (section: .init.text)\n',
            `
diff --git a/arch/foo/kernel/head.S b/arch/foo/kernel/head.S
--- a/arch/foo/kernel/head.S
+++ b/arch/foo/kernel/head.S
@@ -10,2 +10,2 @@
-__HEAD
+__INIT
 ENTRY(foo_entry)
`,
          ),
        },
      ]),
    );
    assert.match(v.summary, /^Failure: .*section mismatch/);
    assert.match(v.summary, /It also answers a run-time problem: "which causes a boot failure\."/);
  });

  it('JSON-relevant fields: failures carry kind, symbol, module and cite; patches their messageId', async () => {
    const v = triageMessages(await messages([report, exportPatch]));
    const f = v.failures[0]!;
    assert.equal(f.kind, 'modpost-undefined');
    assert.equal(f.symbol, 'baz_get');
    assert.equal(f.module, 'drivers/bar/bar.ko');
    assert.deepEqual(f.cite, { messageId: '<r@x>', line: 3 });
    assert.match(v.summary, /baz_get/);
  });

  it('one dependency added to several Kconfig blocks is one finding: its weight and its reason count once', async () => {
    const block = (dir: string, sym: string) => `
diff --git a/drivers/${dir}/Kconfig b/drivers/${dir}/Kconfig
--- a/drivers/${dir}/Kconfig
+++ b/drivers/${dir}/Kconfig
@@ -1,3 +1,4 @@
 config ${sym}
 	tristate "${sym}"
+	depends on SPI
 	help
`;
    const patch: MailSpec = {
      id: '<d@x>',
      subject: '[PATCH] codecs: add SPI dependency',
      from: 'Pat Author <pat@example.org>',
      inReplyTo: '<s@x>',
      body: patchBody('Building with CONFIG_SPI=n fails; add the dependency.', block('codec', 'FOO_CODEC') + block('board', 'FOO_BOARD') + block('mach', 'FOO_MACH')),
    };
    const failure: MailSpec = { id: '<s@x>', subject: 'link error with CONFIG_SPI=n', body: 'With CONFIG_SPI=n:\n\nERROR: modpost: "foo_spi_write" [sound/soc/codecs/foo.ko] undefined!\n' };
    const v = triageMessages(await messages([failure, patch]));
    const p = v.patches.find((x) => x.messageId === '<d@x>')!;
    assert.equal(p.verdict, 'hides');
    const reason = 'the failing configuration (CONFIG_SPI=n) simply stops compiling the code';
    assert.equal(p.reason.split(reason).length - 1, 1, `the reason repeats itself: ${p.reason}`);
    // a single finding of weight 1.5: 0.5 + 1.5 / 8 = 0.69, where three copies gave 0.95
    assert.ok(p.confidence < 0.8, `confidence ${p.confidence}`);
  });
});

describe('eval scoring', () => {
  it('a label naming a patch judges that patch; a missing patch is a miss', async () => {
    const v = triageMessages(await messages([report, exportPatch, nak]));
    assert.equal(scoreLabel({ id: '1', file: 'f', verdict: 'hides', patch: '<p@x>' }, [v]).correct, true);
    assert.equal(scoreLabel({ id: '1', file: 'f', verdict: 'hides', patch: 'p@x' }, [v]).correct, true, 'angle brackets are optional');
    const miss = scoreLabel({ id: '1', file: 'f', verdict: 'fixes', patch: '<nope@x>' }, [v]);
    assert.equal(miss.correct, false);
    assert.equal(miss.got, 'missing');
  });

  it('mixed labels: several patches must all match; a single-patch mixed label is not counted', async () => {
    const v = triageMessages(await messages([report, exportPatch, nak]));
    const single = scoreLabel({ id: '2', file: 'f', verdict: 'mixed', patches_msgid: [{ messageId: '<p@x>', verdict: 'mixed' }] }, [v]);
    assert.equal(single.counted, false);
    const two = {
      id: '3',
      file: 'f',
      verdict: 'mixed',
      patches_msgid: [
        { messageId: '<p@x>', verdict: 'hides' },
        { messageId: '<q@x>', verdict: 'fixes' },
      ],
    };
    assert.deepEqual(blindCuts(two), ['<p@x>', '<q@x>']);
    assert.equal(scoreLabel(two, [v, v]).correct, false);
  });
});
