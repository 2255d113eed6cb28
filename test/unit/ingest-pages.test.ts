// src/ingest/pages.ts and src/mail/html-text.ts: archive pages (pipermail, lore,
// flat text), as text and as saved HTML, back to RFC 822 mail.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectPageFlavour, looksLikeKernelMailText, pageMessageToRfc822, parsePage, type PageMessage } from '../../src/ingest/pages.js';
import { decodeEntities, htmlToText, looksLikeHtml } from '../../src/mail/html-text.js';
import { parseMail } from '../../src/mail/parse.js';
import type { Message } from '../../src/core/types.js';

const header = (pm: PageMessage, name: string) => pm.headers.find((h) => h.name === name)?.value;

async function toMessages(pms: PageMessage[]): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < pms.length; i++) {
    out.push(await parseMail({ bytes: pageMessageToRfc822(pms[i]!, 'saved.html', i), origin: { kind: 'page', path: 'saved.html', index: i } }));
  }
  return out;
}

// A pipermail message page saved as text: subject, "Name user at host", date, body, footer.
const PIPERMAIL_TXT = [
  'Build failure in drivers/staging/foo on UP',
  '',
  'Ada Hacker ada at example.org',
  'Mon Feb  4 09:12:01 EST 2013',
  '',
  '',
  'Hi,',
  '',
  'with CONFIG_SMP=n the module does not link:',
  '',
  'ERROR: "local_flush_tlb_kernel_range" [drivers/staging/foo/foo.ko] undefined!',
  '',
  '',
  '',
  'More information about the linux-arm-kernel mailing list',
  '',
].join('\n');

// The sender line cut after " at ", the name and address split over two lines, UTC.
const PIPERMAIL_CUT = [
  'Re: tlb flushing on Power',
  '',
  'Bob',
  'Reviewer bobr at',
  'Thu Mar  8 08:18:56 UTC 2012',
  '',
  'On 03/06/2012 11:28 PM, Ada Hacker wrote:',
  '> Could you take a look at it?',
  '',
  'Sure.',
].join('\n');

const PIPERMAIL_HTML = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
 <HEAD>
   <TITLE> Build failure in drivers/staging/foo on UP
   </TITLE>
   <LINK REL="Index" HREF="index.html" >
   <LINK REL="made" HREF="mailto:linux-arm-kernel%40lists.example.org?Subject=Re%3A%20Build%20failure%20in%20drivers/staging/foo%20on%20UP&In-Reply-To=%3C20130204141201.GA1234%40example.org%3E">
   <META NAME="robots" CONTENT="index,nofollow">
   <META http-equiv="Content-Type" content="text/html; charset=us-ascii">
 </HEAD>
 <BODY BGCOLOR="#ffffff">
   <H1>Build failure in drivers/staging/foo on UP</H1>
    <B>Bob Reviewer</B> 
    <A HREF="mailto:linux-arm-kernel%40lists.example.org?Subject=Re%3A%20Build%20failure%20in%20drivers/staging/foo%20on%20UP&In-Reply-To=%3C20130204141201.GA1234%40example.org%3E"
       TITLE="Build failure in drivers/staging/foo on UP">bob at example.org
       </A><BR>
    <I>Mon Feb  4 09:12:01 EST 2013</I>
    <P><UL>
        <LI>Previous message: <A HREF="141000.html">[PATCH] foo: bar
</A></li>
        <LI>Next message: <A HREF="141002.html">Build failure in drivers/staging/foo on UP
</A></li>
         <LI> <B>Messages sorted by:</B> 
              <a href="date.html#141001">[ date ]</a>
              <a href="thread.html#141001">[ thread ]</a>
              <a href="subject.html#141001">[ subject ]</a>
              <a href="author.html#141001">[ author ]</a>
         </LI>
       </UL>
    <HR>  
<!--beginarticle-->
<PRE>On Mon, Feb 04, 2013 at 02:12:01PM +0000, Ada Hacker wrote:
&gt;<i> drivers/staging/foo/foo.c:12:3: error: implicit declaration of function 'bar'
</I>
Does it build with CONFIG_SMP=y?

</PRE>

<!--endarticle-->
    <HR>
    <P><UL>
        <!--threads-->
	<LI>Previous message: <A HREF="141000.html">[PATCH] foo: bar
</A></li>
	<LI>Next message: <A HREF="141002.html">Build failure in drivers/staging/foo on UP
</A></li>
         <LI> <B>Messages sorted by:</B> 
              <a href="date.html#141001">[ date ]</a>
              <a href="thread.html#141001">[ thread ]</a>
         </LI>
       </UL>

<hr>
<a href="http://lists.example.org/mailman/listinfo/linux-arm-kernel">More information about the linux-arm-kernel
mailing list</a><br>
</body></html>
`;

const LORE_TXT = `* [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU
@ 2022-03-01 10:00 Ada Hacker
  2022-03-01 12:30 \` Bob Reviewer
  0 siblings, 1 reply; 2+ messages in thread
From: Ada Hacker @ 2022-03-01 10:00 UTC (permalink / raw)
  To: linux-arm-kernel
  Cc: Bob Reviewer, Carol Maintainer, linux-mm,
	linux-kernel

NOMMU declares flush_tlb_kernel_range() but nothing defines it.

Signed-off-by: Ada Hacker <ada@example.org>
---
 arch/arm/mm/nommu.c | 4 ++++

^ permalink raw reply related	[flat|nested] 2+ messages in thread

* Re: [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU
  2022-03-01 10:00 [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU Ada Hacker
@ 2022-03-01 12:30 \` Bob Reviewer
  0 siblings, 0 replies; 2+ messages in thread
From: Bob Reviewer @ 2022-03-01 12:30 UTC (permalink / raw)
  To: Ada Hacker; +Cc: linux-arm-kernel

On Tue, Mar 01, 2022 at 10:00:00AM +0000, Ada Hacker wrote:
> NOMMU declares flush_tlb_kernel_range() but nothing defines it.

Acked-by: Bob Reviewer <bob@example.org>

^ permalink raw reply	[flat|nested] 2+ messages in thread
`;

const LORE_HTML = `<!DOCTYPE html><html><head><title>[PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU</title><link rel=alternate title="Atom feed" href="../new.atom" type="application/atom+xml"/><style>pre{white-space:pre-wrap}</style></head><body><form action="../"><pre><a href="../?t=20220301123000">latest</a> <input name=q type=text /><input type=submit value=search /></pre></form><pre><a href="#e1" id="m1">*</a> <b>[PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU</b>
@ 2022-03-01 10:00 Ada Hacker
  2022-03-01 12:30 \` Bob Reviewer
  0 siblings, 1 reply; 2+ messages in thread
</pre><pre>From: Ada Hacker @ 2022-03-01 10:00 UTC (<a href="https://lore.kernel.org/linux-arm-kernel/20220301100000.1-1-ada@example.org/">permalink</a> / <a href="https://lore.kernel.org/linux-arm-kernel/20220301100000.1-1-ada@example.org/raw">raw</a>)
  To: linux-arm-kernel
  Cc: Bob Reviewer, linux-mm

NOMMU declares flush_tlb_kernel_range() but nothing defines it:

	if (a &lt; b &amp;&amp; c &gt; d)
		flush_tlb_kernel_range(a, b);

Ada&#39;s patch &#x2019;s fine.
Signed-off-by: Ada Hacker &lt;ada@example.org&gt;
</pre><a href="#m1" id="e1">^</a> <a href="https://lore.kernel.org/linux-arm-kernel/20220301100000.1-1-ada@example.org/">permalink</a> <a href="https://lore.kernel.org/linux-arm-kernel/20220301100000.1-1-ada@example.org/raw">raw</a> <a href="https://lore.kernel.org/linux-arm-kernel/20220301100000.1-1-ada@example.org/#R">reply</a>	[<a href="../20220301100000.1-1-ada@example.org/T/#u">flat</a>|<a href="../20220301100000.1-1-ada@example.org/t/#u">nested</a>] 2+ messages in thread
<hr><pre><a href="#e2" id="m2">*</a> <b>Re: [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU</b>
  2022-03-01 10:00 [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU Ada Hacker
@ 2022-03-01 12:30 \` Bob Reviewer
  0 siblings, 0 replies; 2+ messages in thread
</pre><pre>From: Bob Reviewer @ 2022-03-01 12:30 UTC (<a href="https://lore.kernel.org/linux-arm-kernel/YkA%2Bbob%40example.org/">permalink</a> / <a href="https://lore.kernel.org/linux-arm-kernel/YkA%2Bbob%40example.org/raw">raw</a>)
  To: Ada Hacker; +Cc: linux-arm-kernel

On Tue, Mar 01, 2022 at 10:00:00AM +0000, Ada Hacker wrote:
&gt; NOMMU declares flush_tlb_kernel_range() but nothing defines it.

Acked-by: Bob Reviewer &lt;bob@example.org&gt;
</pre><a href="#m2" id="e2">^</a> <a href="https://lore.kernel.org/linux-arm-kernel/YkA%2Bbob%40example.org/">permalink</a> <a href="https://lore.kernel.org/linux-arm-kernel/YkA%2Bbob%40example.org/raw">raw</a> <a href="https://lore.kernel.org/linux-arm-kernel/YkA%2Bbob%40example.org/#R">reply</a>	[<a href="#">flat</a>|<a href="#">nested</a>] 2+ messages in thread
<hr><pre>end of thread, other threads:[~2022-03-01 12:30 UTC | newest]

Thread overview: 2+ messages (download: <a href="../T.mbox.gz">mbox.gz</a>)
-- links below jump to the message on this page --
2022-03-01 10:00 [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU Ada Hacker
2022-03-01 12:30 \` Bob Reviewer
</pre></body></html>
`;

describe('detectPageFlavour', () => {
  it('tells lore, pipermail and flat text apart', () => {
    assert.equal(detectPageFlavour(LORE_TXT), 'lore');
    assert.equal(detectPageFlavour(PIPERMAIL_TXT), 'pipermail');
    assert.equal(detectPageFlavour(PIPERMAIL_CUT), 'pipermail');
    assert.equal(detectPageFlavour('[PATCH] x: y Signed-off-by: A <a@b> diff --git a/x.c b/x.c'), 'flat');
    assert.equal(detectPageFlavour('Dear all, lunch is at noon on Friday.'), null);
  });
  it('looksLikeKernelMailText needs two distinct markers', () => {
    assert.equal(looksLikeKernelMailText('Signed-off-by: Ada <a@b>'), false);
    assert.equal(looksLikeKernelMailText('Signed-off-by: Ada <a@b> and CONFIG_SMP'), true);
  });
});

describe('pipermail pages', () => {
  it('text: subject, "user at host" sender, EST date, footer list, body without the footer', async () => {
    const [pm, ...rest] = parsePage(PIPERMAIL_TXT, 'pipermail');
    assert.equal(rest.length, 0);
    assert.equal(header(pm!, 'Subject'), 'Build failure in drivers/staging/foo on UP');
    assert.equal(header(pm!, 'From'), '"Ada Hacker" <ada@example.org>');
    assert.equal(header(pm!, 'Date'), 'Mon, 4 Feb 2013 09:12:01 -0500');
    assert.equal(header(pm!, 'List-Id'), '<linux-arm-kernel>');
    assert.ok(pm!.body.startsWith('Hi,\n'), JSON.stringify(pm!.body));
    assert.doesNotMatch(pm!.body, /More information/);
    const [m] = await toMessages([pm!]);
    assert.equal(m!.from.address, 'ada@example.org');
    assert.equal(m!.from.name, 'Ada Hacker');
    assert.equal(m!.date, '2013-02-04T14:12:01.000Z');
    assert.equal(m!.list, 'linux-arm-kernel');
    assert.equal(m!.messageIdInferred, true);
    assert.match(m!.messageId, /^<page-[0-9a-f]{20}@ktriage\.invalid>$/);
    assert.match(m!.body, /^ERROR: "local_flush_tlb_kernel_range"/m);
  });

  it('text: a sender cut after " at " is kept with a placeholder host and noted; UTC date', async () => {
    const [pm] = parsePage(PIPERMAIL_CUT, 'pipermail');
    assert.equal(header(pm!, 'From'), '"Bob Reviewer" <bobr@unknown.invalid>');
    assert.ok(
      pm!.notes.some((n) => /cut/.test(n)),
      pm!.notes.join('; '),
    );
    assert.equal(header(pm!, 'Date'), 'Thu, 8 Mar 2012 08:18:56 +0000');
    assert.equal(header(pm!, 'List-Id'), undefined);
    const [m] = await toMessages([pm!]);
    assert.equal(m!.date, '2012-03-08T08:18:56.000Z');
    assert.equal(m!.subjectInfo.isReply, true);
    assert.ok(
      m!.notes.some((n) => /cut/.test(n)),
      'the note survives into the Message',
    );
    assert.match(m!.body, /^> Could you take a look at it\?$/m);
  });

  it('the same page yields the same made-up Message-ID', async () => {
    const a = await toMessages(parsePage(PIPERMAIL_TXT, 'pipermail'));
    const b = await toMessages(parsePage(PIPERMAIL_TXT, 'pipermail'));
    assert.equal(a[0]!.messageId, b[0]!.messageId);
    const c = await toMessages(parsePage(PIPERMAIL_TXT.replace('Hi,', 'Hello,'), 'pipermail'));
    assert.notEqual(a[0]!.messageId, c[0]!.messageId);
  });

  it('HTML: the mailto link gives In-Reply-To; navigation and footer are dropped; entities decoded', async () => {
    assert.equal(looksLikeHtml(PIPERMAIL_HTML), true);
    const { text, hints } = htmlToText(PIPERMAIL_HTML);
    assert.equal(hints.inReplyTo, '<20130204141201.GA1234@example.org>');
    assert.deepEqual(hints.rawMessageIds, []);
    assert.equal(detectPageFlavour(text), 'pipermail');
    const pms = parsePage(text, 'pipermail', hints);
    assert.equal(pms.length, 1);
    const pm = pms[0]!;
    assert.equal(header(pm, 'In-Reply-To'), '<20130204141201.GA1234@example.org>');
    assert.equal(header(pm, 'From'), '"Bob Reviewer" <bob@example.org>');
    assert.equal(header(pm, 'List-Id'), '<linux-arm-kernel>');
    assert.doesNotMatch(pm.body, /Previous message|Next message|Messages sorted by/);
    assert.match(pm.body, /^> drivers\/staging\/foo\/foo\.c:12:3: error: implicit declaration of function 'bar'$/m);
    const [m] = await toMessages(pms);
    assert.equal(m!.inReplyTo, '<20130204141201.GA1234@example.org>');
    assert.equal(m!.date, '2013-02-04T14:12:01.000Z');
  });
});

describe('lore / public-inbox pages', () => {
  it('text thread page: two sections split at "^ permalink raw reply", subjects from the "* " lines', async () => {
    const pms = parsePage(LORE_TXT, 'lore');
    assert.equal(pms.length, 2);
    const [a, b] = pms;
    assert.equal(header(a!, 'From'), 'Ada Hacker');
    assert.equal(header(a!, 'Date'), '2022-03-01 10:00:00 +0000');
    assert.equal(header(a!, 'Subject'), '[PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU');
    assert.equal(header(a!, 'To'), 'linux-arm-kernel');
    assert.equal(header(a!, 'Cc'), 'Bob Reviewer, Carol Maintainer, linux-mm, linux-kernel', 'continuation line joined');
    assert.ok(a!.body.startsWith('NOMMU declares'), JSON.stringify(a!.body.slice(0, 40)));
    assert.doesNotMatch(a!.body, /permalink|siblings|^\* /m);
    assert.match(a!.body, /^ arch\/arm\/mm\/nommu\.c \| 4 \+\+\+\+$/m);
    assert.equal(header(b!, 'From'), 'Bob Reviewer');
    assert.equal(header(b!, 'Subject'), 'Re: [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU');
    assert.ok(b!.body.startsWith('On Tue, Mar 01, 2022'), JSON.stringify(b!.body.slice(0, 40)));
    assert.match(b!.body, /Acked-by: Bob Reviewer/);
    assert.doesNotMatch(b!.body, /Thread overview|permalink/);
    const ms = await toMessages(pms);
    assert.equal(ms[0]!.date, '2022-03-01T10:00:00.000Z');
    assert.equal(ms[1]!.date, '2022-03-01T12:30:00.000Z');
    assert.ok(ms.every((m) => m.messageIdInferred));
    assert.notEqual(ms[0]!.messageId, ms[1]!.messageId);
  });

  it('a space-padded hour (strftime %k: "2020-08-25  9:12") still starts a message', async () => {
    const page =
      LORE_TXT +
      [
        '',
        '* Re: [PATCH v2] arm: mm: provide flush_tlb_kernel_range on NOMMU',
        'From: Carol Maintainer @ 2022-03-02  9:05 UTC (permalink / raw)',
        '  To: Ada Hacker',
        '',
        'Picked up for 5.18, thanks.',
        '',
        '^ permalink raw reply\t[flat|nested] 3+ messages in thread',
        '',
      ].join('\n');
    const pms = parsePage(page, 'lore');
    assert.equal(pms.length, 3);
    assert.equal(header(pms[2]!, 'From'), 'Carol Maintainer');
    assert.equal(header(pms[2]!, 'Date'), '2022-03-02 09:05:00 +0000');
    assert.equal(pms[2]!.body, 'Picked up for 5.18, thanks.\n');
    const ms = await toMessages(pms);
    assert.equal(ms[2]!.date, '2022-03-02T09:05:00.000Z');
  });

  it('HTML thread page: Message-IDs from the ".../raw" links, in order, percent-decoded', async () => {
    const { text, hints } = htmlToText(LORE_HTML);
    assert.deepEqual(hints.rawMessageIds, ['<20220301100000.1-1-ada@example.org>', '<YkA+bob@example.org>']);
    assert.equal(detectPageFlavour(text), 'lore');
    const pms = parsePage(text, 'lore', hints);
    assert.equal(pms.length, 2);
    assert.equal(header(pms[0]!, 'Message-ID'), '<20220301100000.1-1-ada@example.org>');
    assert.equal(header(pms[1]!, 'Message-ID'), '<YkA+bob@example.org>');
    // entities decoded inside <pre>, its whitespace kept
    assert.match(pms[0]!.body, /^\tif \(a < b && c > d\)$/m);
    assert.match(pms[0]!.body, /^\t\tflush_tlb_kernel_range\(a, b\);$/m);
    assert.match(pms[1]!.body, /^> NOMMU declares/m);
    const ms = await toMessages(pms);
    assert.equal(ms[0]!.messageId, '<20220301100000.1-1-ada@example.org>');
    assert.equal(ms[0]!.messageIdInferred, false);
    assert.equal(ms[1]!.subjectInfo.isReply, true);
  });

  it('a message page (/m/): full header block with "[thread overview]" and "(raw)" cleaned off', async () => {
    const page = [
      'From: Ada Hacker <ada@example.org>',
      'To: linux-mm@kvack.org',
      'Cc: Bob Reviewer <bob@example.org>,',
      '\tlinux-kernel@vger.kernel.org',
      'Subject: [PATCH] mm: percpu: fix the NOMMU build',
      'Date: Tue, 1 Mar 2022 10:00:00 +0000\t[thread overview]',
      'Message-ID: <20220301100000.1-1-ada@example.org> (raw)',
      '',
      'Body of the patch mail.',
      '',
      '^ permalink raw reply\t[flat|nested] 3+ messages in thread',
    ].join('\n');
    const pms = parsePage(page, 'lore');
    assert.equal(pms.length, 1);
    assert.equal(header(pms[0]!, 'Date'), 'Tue, 1 Mar 2022 10:00:00 +0000');
    assert.equal(header(pms[0]!, 'Message-ID'), '<20220301100000.1-1-ada@example.org>');
    assert.equal(header(pms[0]!, 'Cc'), 'Bob Reviewer <bob@example.org>, linux-kernel@vger.kernel.org');
    assert.equal(pms[0]!.body, 'Body of the patch mail.\n');
    const [m] = await toMessages(pms);
    assert.equal(m!.messageId, '<20220301100000.1-1-ada@example.org>');
    assert.equal(m!.from.address, 'ada@example.org');
    assert.equal(m!.date, '2022-03-01T10:00:00.000Z');
  });
});

describe('flat text', () => {
  it('one line without headers becomes one message, flagged', async () => {
    const flat =
      '[PATCH] arm: nommu: define flush_tlb_kernel_range Building with CONFIG_SMP=y and CONFIG_MMU=n fails: ' +
      "arm-none-linux-gnueabihf-ld: mm/percpu.o: in function `pcpu_unmap': mm/percpu-vm.c:190: undefined reference to `flush_tlb_kernel_range' " +
      'Signed-off-by: Ada Hacker <ada@example.org>';
    assert.equal(detectPageFlavour(flat), 'flat');
    const pms = parsePage(flat, 'flat');
    assert.equal(pms.length, 1);
    assert.deepEqual(pms[0]!.headers, []);
    assert.ok(pms[0]!.notes.some((n) => /line break/.test(n)));
    const rfc = pageMessageToRfc822(pms[0]!, 'flat.txt', 0).toString('utf8');
    assert.match(rfc, /^X-Ktriage-Inferred: subject$/m);
    assert.match(rfc, /^X-Ktriage-Inferred: message-id$/m);
    const [m] = await toMessages(pms);
    assert.equal(m!.subject, '');
    assert.equal(m!.messageIdInferred, true);
    assert.equal(m!.body, flat + '\n');
  });

  it('header values cannot inject lines into the rebuilt mail', () => {
    const rfc = pageMessageToRfc822({ headers: [{ name: 'Subject', value: 'x\r\nBcc: evil@example.org' }], body: 'b\n', notes: ['a\nb'] }, 'p\nq', 0).toString();
    assert.doesNotMatch(rfc, /^Bcc:/m);
    assert.match(rfc, /^Subject: x Bcc: evil@example\.org$/m);
    assert.match(rfc, /^X-Ktriage-Note: a b$/m);
  });
});

describe('html-text', () => {
  it('decodes the entities archives use, once', () => {
    assert.equal(decodeEntities('&lt;a&gt; &amp; &#39;b&#39; it&#x2019;s &quot;q&quot;&nbsp;'), '<a> & \'b\' it\u2019s "q" ');
    assert.equal(decodeEntities('&amp;lt;'), '&lt;');
    assert.equal(decodeEntities('&bogus; &#0; &#x110000;'), '&bogus; &#0; &#x110000;');
  });

  it('keeps whitespace inside <pre>, flattens it elsewhere, drops script/style/head', () => {
    const html = '<html><head><title>T</title><style>p{}</style></head><body><p>a   b\n  c</p><script>var x = "<pre>";</script><pre>  x\n\ty  &lt;z&gt;\n</pre><p>after</p></body></html>';
    const { text } = htmlToText(html);
    assert.match(text, /^a b c$/m);
    assert.match(text, /^  x$/m);
    assert.match(text, /^\ty  <z>$/m);
    assert.match(text, /^after$/m);
    assert.doesNotMatch(text, /var x|p\{\}|^T$/m);
  });

  it('looksLikeHtml only looks at real tags', () => {
    assert.equal(looksLikeHtml('<pre>x</pre>'), true);
    assert.equal(looksLikeHtml('if (a <b> c) html'), false);
  });
});

describe('pages on hostile text', () => {
  it('detecting and parsing stay fast on long blank runs and long words', () => {
    const big = ['\n'.repeat(200_000) + 'x', 'a/'.repeat(120_000), ' '.repeat(200_000) + 'x', 'From: a @ 2022-03-01 10:00 UTC (permalink / raw)\n  To: ' + ' '.repeat(100_000) + 'x\n\nbody\n'];
    for (const s of big) {
      const t0 = Date.now();
      const f = detectPageFlavour(s);
      parsePage(s, f ?? 'flat');
      parsePage(s, 'pipermail');
      parsePage(s, 'lore');
      htmlToText('<pre>' + s + '</pre>');
      assert.ok(Date.now() - t0 < 1500, `${JSON.stringify(s.slice(0, 6))}…: ${Date.now() - t0} ms`);
    }
  });
});
