// src/mail/parse.ts (+ quirks.ts): RFC 822 bytes to Message.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMail } from '../../src/mail/parse.js';
import { cleanBody, QUIRK_FILTERS } from '../../src/mail/quirks.js';
import { raw } from '../helpers/unit.js';

const mail = (headers: string[], body: string) => parseMail(raw(headers.join('\n') + '\n\n' + body));

describe('parseMail: identity headers', () => {
  it('normalises Message-ID, In-Reply-To and References to <id>', async () => {
    const m = await mail(
      [
        'From: Ada Hacker <ada@example.org>',
        'Subject: Re: [PATCH] x',
        'Message-ID:   <20220301.ABC-1@Example.org>  ',
        'In-Reply-To: <parent@example.org> (Bob Reviewer\'s message of "Tue, 1 Mar 2022")',
        'References: <root@example.org>',
        ' <parent@example.org>',
      ],
      'body\n',
    );
    assert.equal(m.messageId, '<20220301.ABC-1@Example.org>');
    assert.equal(m.messageIdInferred, false);
    assert.equal(m.inReplyTo, '<parent@example.org>');
    assert.deepEqual(m.references, ['<root@example.org>', '<parent@example.org>']);
  });

  it('In-Reply-To falls back to the last reference; a self-reference is dropped', async () => {
    const m = await mail(['Subject: Re: x', 'Message-ID: <me@example.org>', 'References: <root@example.org> <me@example.org>'], 'b\n');
    assert.deepEqual(m.references, ['<root@example.org>']);
    assert.equal(m.inReplyTo, '<root@example.org>');
    const selfOnly = await mail(['Subject: x', 'Message-ID: <me@example.org>', 'In-Reply-To: <me@example.org>'], 'b\n');
    assert.equal(selfOnly.inReplyTo, undefined);
  });

  it('keeps only the newest 128 References', async () => {
    const refs = Array.from({ length: 300 }, (_, i) => `<r${i}@example.org>`);
    const m = await mail(['Subject: x', 'Message-ID: <me@example.org>', `References: ${refs.join('\n ')}`], 'b\n');
    assert.equal(m.references.length, 128);
    assert.equal(m.references[127], '<r299@example.org>');
    assert.equal(m.inReplyTo, '<r299@example.org>');
  });

  it('no Message-ID: one is derived from the content, flagged and noted, stable', async () => {
    const headers = ['From: ada@example.org', 'Subject: [PATCH] x'];
    const a = await mail(headers, 'same body\n');
    const b = await mail(headers, 'same body\n');
    const c = await mail(headers, 'other body\n');
    assert.match(a.messageId, /^<nomsgid-[0-9a-f]{20}@ktriage\.invalid>$/);
    assert.equal(a.messageIdInferred, true);
    assert.ok(a.notes.some((n) => /Message-ID/.test(n)));
    assert.equal(a.messageId, b.messageId);
    assert.notEqual(a.messageId, c.messageId);
  });

  it('a Message-ID that is garbage is treated as missing', async () => {
    const m = await mail(['Subject: x', 'Message-ID: not an id at all'], 'b\n');
    assert.equal(m.messageIdInferred, true);
  });

  it('a bare id without angle brackets is wrapped', async () => {
    const m = await mail(['Subject: x', 'Message-ID: bare-id@example.org'], 'b\n');
    assert.equal(m.messageId, '<bare-id@example.org>');
    assert.equal(m.messageIdInferred, false);
  });
});

describe('parseMail: from, date, list, subject', () => {
  it('from name and address; an archive-munged "user at host" is repaired', async () => {
    const a = await mail(['From: "Hacker, Ada" <ada@example.org>', 'Subject: x', 'Message-ID: <1@x>'], 'b\n');
    assert.deepEqual(a.from, { name: 'Hacker, Ada', address: 'ada@example.org' });
    const b = await mail(['From: Ada Hacker ada at example.org', 'Subject: x', 'Message-ID: <2@x>'], 'b\n');
    assert.deepEqual(b.from, { name: 'Ada Hacker', address: 'ada@example.org' });
  });

  it('date as ISO 8601 UTC; a broken date is undefined', async () => {
    const a = await mail(['Subject: x', 'Message-ID: <1@x>', 'Date: Mon, 21 Jan 2013 16:20:38 -0500'], 'b\n');
    assert.equal(a.date, '2013-01-21T21:20:38.000Z');
    const b = await mail(['Subject: x', 'Message-ID: <2@x>', 'Date: the day before yesterday'], 'b\n');
    assert.equal(b.date, undefined, 'not "now" (mailparser substitutes the current time)');
    const c = await mail(['Subject: x', 'Message-ID: <3@x>'], 'b\n');
    assert.equal(c.date, undefined);
    const d = await mail(['Subject: x', 'Message-ID: <4@x>', 'Date: Thu, 8 Mar 2012 08:18:56 -0500 (EST)'], 'b\n');
    assert.equal(d.date, '2012-03-08T13:18:56.000Z');
  });

  it('List-Id gives the list (the id inside <>, or the bare value)', async () => {
    const a = await mail(['Subject: x', 'Message-ID: <1@x>', 'List-Id: Linux ARM Kernel', ' <linux-arm-kernel.lists.infradead.org>'], 'b\n');
    assert.equal(a.list, 'linux-arm-kernel.lists.infradead.org');
    const b = await mail(['Subject: x', 'Message-ID: <2@x>', 'List-Id: linux-mm.kvack.org'], 'b\n');
    assert.equal(b.list, 'linux-mm.kvack.org');
    const c = await mail(['Subject: x', 'Message-ID: <3@x>'], 'b\n');
    assert.equal(c.list, undefined);
  });

  it('decodes RFC 2047 subjects (Q and B, folded) and parses the prefix', async () => {
    const q = await mail(['Subject: =?UTF-8?Q?Re:_[PATCH_v2_1/3]_caf=C3=A9:_fix_the_?=', ' =?UTF-8?Q?build?=', 'Message-ID: <1@x>'], 'b\n');
    assert.equal(q.subject, 'Re: [PATCH v2 1/3] café: fix the build');
    assert.equal(q.subjectInfo.isReply, true);
    assert.equal(q.subjectInfo.revision, 2);
    assert.equal(q.subjectInfo.counter, 1);
    const b64 = Buffer.from('[PATCH] über: fix', 'utf8').toString('base64');
    const b = await mail([`Subject: =?utf-8?B?${b64}?=`, 'Message-ID: <2@x>'], 'b\n');
    assert.equal(b.subject, '[PATCH] über: fix');
  });

  it('collapses whitespace in a folded subject', async () => {
    const m = await mail(['Subject: [PATCH] mm: a very long subject that', '\twas folded   twice', 'Message-ID: <1@x>'], 'b\n');
    assert.equal(m.subject, '[PATCH] mm: a very long subject that was folded twice');
  });
});

describe('parseMail: bodies', () => {
  it('quoted-printable: =3D, soft line breaks, 8-bit', async () => {
    const m = await mail(
      ['Subject: x', 'Message-ID: <1@x>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'],
      '-\tif (x =3D=3D 1)\n+\tif (x =3D=3D 2 &&\n a very long line that was soft-=\nbroken by the mailer caf=C3=A9\n',
    );
    assert.match(m.body, /^-\tif \(x == 1\)$/m);
    assert.match(m.body, /^ a very long line that was soft-broken by the mailer café$/m);
  });

  it('base64 text/plain', async () => {
    const text = 'diff --git a/x.c b/x.c\n+\tfoo();\n';
    const m = await mail(
      ['Subject: x', 'Message-ID: <1@x>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      Buffer.from(text)
        .toString('base64')
        .replace(/(.{20})/g, '$1\n') + '\n',
    );
    assert.equal(m.body, text);
  });

  it('multipart/mixed with an attachment: the body is the text part', async () => {
    const m = await mail(
      ['From: kernel test robot <lkp@intel.com>', 'Subject: [linux-next:master] BUILD REGRESSION', 'Message-ID: <1@x>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="==b1=="'],
      [
        '--==b1==',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'tree: https://git.example.org/next.git master',
        'config: arm-randconfig-r031-20220301',
        '',
        '--==b1==',
        'Content-Type: application/gzip',
        'Content-Disposition: attachment; filename=".config.gz"',
        'Content-Transfer-Encoding: base64',
        '',
        'H4sICAAAAAAAAy5jb25maWcAS87PLShKLS5OTVEoSS0u0U1OzCsBAC7mWfMVAAAA',
        '',
        '--==b1==--',
        '',
      ].join('\n'),
    );
    assert.match(m.body, /^config: arm-randconfig-r031-20220301$/m);
    assert.doesNotMatch(m.body, /H4sI|Content-Type|\.config\.gz/);
  });

  it('multipart/alternative prefers text/plain over text/html', async () => {
    const m = await mail(
      ['Subject: x', 'Message-ID: <1@x>', 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary=alt'],
      '--alt\nContent-Type: text/plain\n\nplain words\n--alt\nContent-Type: text/html\n\n<p>html words</p>\n--alt--\n',
    );
    assert.equal(m.body, 'plain words\n');
  });

  it('HTML-only mail: text taken from the HTML, noted', async () => {
    const m = await mail(
      ['Subject: x', 'Message-ID: <1@x>', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8'],
      '<html><body><p>It fails with CONFIG_SMP=n:</p><pre>mm/percpu-vm.c:188: undefined reference to `flush_tlb_kernel_range&#39;</pre></body></html>\n',
    );
    assert.match(m.body, /^It fails with CONFIG_SMP=n:$/m);
    assert.match(m.body, /^mm\/percpu-vm\.c:188: undefined reference to `flush_tlb_kernel_range'$/m);
    assert.ok(m.notes.some((n) => /HTML/.test(n)));
  });

  it('CRLF bodies become LF; trailing blank lines go; the vger footer is cut', async () => {
    const m = await parseMail(
      raw(
        'Subject: x\r\nMessage-ID: <1@x>\r\n\r\nline one\r\nline two\r\n\r\n--\r\nTo unsubscribe from this list: send the line "unsubscribe linux-kernel" in\r\nthe body of a message to majordomo@vger.kernel.org\r\n\r\n\r\n',
      ),
    );
    assert.equal(m.body, 'line one\nline two\n');
  });

  it('a body with no text at all is an empty line, not undefined', async () => {
    const m = await mail(['Subject: only a subject', 'Message-ID: <1@x>'], '');
    assert.equal(typeof m.body, 'string');
    assert.equal(m.body.trim(), '');
  });
});

describe('quirks.cleanBody', () => {
  it('cuts list footers only near the end and keeps the text above', () => {
    assert.ok(QUIRK_FILTERS.includes('mailman-footer'));
    const body =
      'real text\n\n_______________________________________________\nlinux-arm-kernel mailing list\nlinux-arm-kernel@lists.infradead.org\nhttp://lists.infradead.org/mailman/listinfo/linux-arm-kernel\n';
    assert.equal(cleanBody(body), 'real text\n');
    const google = 'text\n\n-- \nYou received this message because you are subscribed to the Google Groups "Clang Built Linux" group.\nTo unsubscribe ...\n';
    assert.equal(cleanBody(google), 'text\n');
  });

  it('caps very long lines', () => {
    const out = cleanBody('x'.repeat(200_000) + '\n');
    assert.equal(out.length, 64 * 1024 + 1);
  });
});
