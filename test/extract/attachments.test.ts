// Patches sent as attachments (src/mail/attachments.ts reads them, src/extract/attachments.ts
// takes the diffs out): postings of the message that carries them, cited in the attachment.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { loadMessages } from '../../src/cli/load.js';
import { LIMITS } from '../../src/core/limits.js';
import { extractMessage } from '../../src/extract/message.js';
import { readAttachments } from '../../src/mail/attachments.js';
import { parseMail } from '../../src/mail/parse.js';
import { makeMessage, raw } from '../helpers/unit.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'mail', 'extract');
const load = (name: string) => parseMail(raw(readFileSync(join(fixtures, name)), name));

describe('patches sent as attachments', () => {
  it("a git format-patch file attached to a reply is that reply's patch, with its own subject and commit message (attached-format-patch-answers-report.mbox)", async () => {
    const msgs = await loadMessages(join(fixtures, 'attached-format-patch-answers-report.mbox'));
    const reply = msgs[1]!;
    // the OpenPGP signature part is not text: not an attachment to read
    assert.deepEqual(
      reply.attachments?.map((a) => [a.name, a.type]),
      [['0001-irqchip-corvid-select-ARM_GIC-instead-of-calling-it.patch', 'text/x-patch']],
    );
    const [p, ...rest] = extractMessage(reply).patches;
    assert.equal(rest.length, 0);
    assert.equal(p!.messageId, reply.messageId);
    assert.equal(p!.source, 'inline');
    assert.equal(p!.author, 'Ilse Marquardt');
    assert.equal(p!.attachment, '0001-irqchip-corvid-select-ARM_GIC-instead-of-calling-it.patch');
    assert.equal(p!.subject, '[PATCH] irqchip/corvid: select ARM_GIC instead of calling it unconditionally');
    assert.match(p!.description, /^gic_of_init\(\) only exists with CONFIG_ARM_GIC=y;[\s\S]*Signed-off-by: Ilse Marquardt/);
    // cited in the attachment: its line 25 is the added select
    const added = p!.files[0]!.hunks[0]!.lines.find((l) => l.kind === 'add')!;
    assert.equal(reply.attachments![0]!.text.split('\n')[added.mailLine - 1], '+\tselect ARM_GIC');
    assert.deepEqual([p!.firstLine, p!.lastLine], [17, 28]);
  });

  it('the attached patch is judged against the failure it answers', async () => {
    const msgs = await loadMessages(join(fixtures, 'attached-format-patch-answers-report.mbox'));
    const v = triageMessages(msgs);
    const judged = v.patches.find((p) => p.messageId === msgs[1]!.messageId);
    assert.ok(judged, 'the reply carrying the attachment has a patch verdict');
    assert.equal(v.failures[judged.answers[0]!]?.symbol, 'gic_of_init');
    assert.ok(
      judged.effects.some((e) => e.kind === 'select-added' && e.symbols.includes('ARM_GIC')),
      judged.effects.map((e) => e.kind).join(', '),
    );
  });

  it('a bare diff as a latin-1 text/plain "p.diff.txt" takes the mail as its description (attached-diff-txt-latin1.eml)', async () => {
    const msg = await load('attached-diff-txt-latin1.eml');
    assert.deepEqual(
      msg.attachments?.map((a) => [a.name, a.type]),
      [['p.diff.txt', 'text/plain']],
    );
    const [p] = extractMessage(msg).patches;
    assert.equal(p!.attachment, 'p.diff.txt');
    assert.equal(p!.subject, msg.subject);
    assert.match(p!.description, /^ethtool strings are ASCII by convention/);
    assert.deepEqual(
      p!.files[0]!.hunks[0]!.lines.filter((l) => l.kind === 'del').map((l) => l.text),
      ['\t"rx_dropped (réseau)",'],
    );
  });

  it('two format-patch files in one application/octet-stream attachment with CRLF lines are two patches (attached-series-octet-stream.eml)', async () => {
    const msg = await load('attached-series-octet-stream.eml');
    const ps = extractMessage(msg).patches;
    assert.deepEqual(
      ps.map((p) => [p.subject, p.attachment, p.files.map((f) => f.newPath), p.firstLine, p.lastLine]),
      [
        ['[PATCH 1/2] hwmon: tamarack: add the missing MODULE_LICENSE', 'tamarack-fixes.patch', ['drivers/hwmon/tamarack-hwmon.c'], 11, 18],
        ['[PATCH 2/2] hwmon: tamarack: depend on HAS_IOMEM', 'tamarack-fixes.patch', ['drivers/hwmon/Kconfig'], 32, 40],
      ],
    );
    assert.ok(ps.every((p) => p.files.every((f) => f.hunks.every((h) => h.lines.every((l) => !l.text.includes('\r'))))));
    assert.deepEqual(
      ps.map((p) => p.subjectInfo.counter),
      [1, 2],
    );
  });

  it('a patch sent inline and attached as well is one posting', () => {
    const diff = [
      'diff --git a/drivers/hwmon/Kconfig b/drivers/hwmon/Kconfig',
      '--- a/drivers/hwmon/Kconfig',
      '+++ b/drivers/hwmon/Kconfig',
      '@@ -1,2 +1,3 @@',
      ' config SENSORS_TAMARACK',
      '+\tdepends on HAS_IOMEM',
      ' \thelp',
      '',
    ].join('\n');
    const msg = makeMessage({ body: `Depend on HAS_IOMEM.\n\n---\n${diff}`, attachments: [{ name: 'iomem.patch', type: 'text/x-patch', text: diff }] });
    const ps = extractMessage(msg).patches;
    assert.equal(ps.length, 1);
    assert.equal(ps[0]!.attachment, undefined);
  });

  it('a text attachment without a diff (a build log) is kept on the message and gives no patch', () => {
    const msg = makeMessage({
      subject: '[PATCH] hwmon: tamarack: fix',
      body: 'Log attached.\n',
      attachments: [{ name: 'build.log', type: 'text/plain', text: 'make[2]: *** [scripts/Makefile.build:243: drivers/hwmon/tamarack-hwmon.o] Error 1\n' }],
    });
    assert.deepEqual(extractMessage(msg).patches, []);
  });
});

describe('reading attachments within limits', () => {
  it('more text attachments than maxAttachments: the rest are noted, not read', () => {
    const notes: string[] = [];
    const parts = Array.from({ length: LIMITS.maxAttachments + 2 }, (_, i) => ({ filename: `${String(i).padStart(4, '0')}-x.patch`, contentType: 'text/x-patch', content: Buffer.from('x\n') }));
    assert.equal(readAttachments(parts, notes).length, LIMITS.maxAttachments);
    assert.equal(notes.length, 2);
    assert.match(notes[0]!, /more than 32 text attachments/);
  });

  it('an attachment over maxAttachmentBytes keeps its head and says so; binary content and non-text types are skipped', () => {
    const notes: string[] = [];
    const big = Buffer.alloc(LIMITS.maxAttachmentBytes + 10, 'a');
    const got = readAttachments(
      [
        { filename: 'huge.diff', contentType: 'text/x-diff', content: big },
        { filename: 'fw.bin.patch', contentType: 'application/octet-stream', content: Buffer.from([0x47, 0x00, 0x01]) },
        { filename: 'signature.asc', contentType: 'application/pgp-signature', content: Buffer.from('-----BEGIN PGP SIGNATURE-----\n') },
        { contentType: 'text/plain', charset: 'no-such-charset', content: Buffer.from('d\u00e9j\u00e0 vu\r\n') },
      ],
      notes,
    );
    assert.deepEqual(
      got.map((a) => [a.name, a.type, a.text.length]),
      [
        ['huge.diff', 'text/x-diff', LIMITS.maxLineChars],
        ['', 'text/plain', 8],
      ],
    );
    assert.equal(got[1]!.text, 'déjà vu\n');
    assert.deepEqual(notes, [
      `attachment "huge.diff" (text/x-diff) cut to its first ${LIMITS.maxAttachmentBytes} bytes`,
      'attachment "fw.bin.patch" (application/octet-stream) not read: binary content',
    ]);
  });
});

describe('citations of a patch read from an attachment', () => {
  it('name the attachment, so the line can be found', async () => {
    const { mailCite } = await import('../../src/analyze/rules/types.js');
    assert.equal(mailCite('<m@x>', 12), '<m@x>:L12');
    assert.equal(mailCite('<m@x>', 12, '0001-foo.patch'), '<m@x>:0001-foo.patch:L12');
  });
});
