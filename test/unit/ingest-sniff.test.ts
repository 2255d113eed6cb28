// src/ingest/sniff.ts: what an input is, from its content alone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binaryReason, isGzip, looksLikeRfc822, sniff } from '../../src/ingest/sniff.js';

const kindOf = (s: string | Buffer) => sniff(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));

describe('sniff', () => {
  it('empty and whitespace-only inputs are empty', () => {
    assert.deepEqual(kindOf(''), { kind: 'empty' });
    assert.deepEqual(kindOf(' \n\t\r\n  \n'), { kind: 'empty' });
  });

  it('NUL bytes make it binary', () => {
    const k = kindOf(Buffer.concat([Buffer.from('From: a@b\nSubject: x\n\n'), Buffer.from([0, 1, 2, 0])]));
    assert.equal(k.kind, 'binary');
    assert.match((k as { why: string }).why, /NUL/);
  });

  it('mostly control bytes make it binary; a stray control byte does not', () => {
    const junk = Buffer.alloc(400);
    for (let i = 0; i < junk.length; i++) junk[i] = i % 3 === 0 ? 0x01 + (i % 7) : 0x41 + (i % 26);
    const k = kindOf(junk);
    assert.equal(k.kind, 'binary');
    assert.match((k as { why: string }).why, /control/);
    const mail = 'From: a@example.org\nSubject: bell \x07 in it\nMessage-ID: <x@y>\n\nbody with a form feed \x0c and ESC \x1b[0m\n';
    assert.equal(kindOf(mail).kind, 'eml');
    assert.equal(binaryReason(Buffer.from(mail)), null);
  });

  it('an mbox, also after leading blank lines', () => {
    assert.deepEqual(kindOf('From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: a@b\nSubject: s\n\nx\n'), { kind: 'mbox' });
    assert.deepEqual(kindOf('\n\nFrom 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\nFrom: a@b\n\nx\n'), { kind: 'mbox' });
  });

  it('an RFC 822 message (.eml), with folded headers and unknown X- headers', () => {
    const eml = [
      'Return-Path: <ada@example.org>',
      'Received: from mail.example.org (mail.example.org [192.0.2.1])',
      '\tby smtp.example.net with ESMTPS id abc',
      'From: Ada Hacker <ada@example.org>',
      'X-Mailer: git-send-email 2.34.1',
      'Subject: [PATCH] mm: fix',
      'Message-ID: <1@example.org>',
      '',
      'body',
    ].join('\n');
    assert.deepEqual(kindOf(eml), { kind: 'eml' });
    assert.deepEqual(kindOf(eml.replace(/\n/g, '\r\n')), { kind: 'eml' });
  });

  it('HTML pages', () => {
    assert.deepEqual(kindOf('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<HTML><HEAD><TITLE>x</TITLE></HEAD>'), { kind: 'html' });
    assert.deepEqual(kindOf('<html><body><pre>From: a</pre></body></html>'), { kind: 'html' });
  });

  it('a lore thread page saved as text', () => {
    const page = [
      '* [PATCH] arm: fix the NOMMU build',
      '@ 2022-03-01 10:00 Ada Hacker',
      '  0 siblings, 1 reply; 2+ messages in thread',
      '',
      'From: Ada Hacker @ 2022-03-01 10:00 UTC (permalink / raw)',
      '  To: linux-arm-kernel',
      '',
      'body',
      '',
      '^ permalink raw reply\t[flat|nested] 2+ messages in thread',
    ].join('\n');
    assert.deepEqual(kindOf(page), { kind: 'page', flavour: 'lore' });
  });

  it('a lore message page (a header block carrying "[thread overview]" and "(raw)") is a page, not an eml', () => {
    const page = [
      'From: Ada Hacker <ada@example.org>',
      'To: linux-mm@kvack.org',
      'Subject: [PATCH] mm: x',
      'Date: Tue, 1 Mar 2022 10:00:00 +0000\t[thread overview]',
      'Message-ID: <20220301100000.1-1-ada@example.org> (raw)',
      '',
      'body',
    ].join('\n');
    assert.deepEqual(kindOf(page), { kind: 'page', flavour: 'lore' });
  });

  it('a pipermail page saved as text', () => {
    const page = [
      'Build failure in drivers/staging/foo on UP',
      '',
      'Ada Hacker ada at example.org',
      'Mon Feb  4 09:12:01 EST 2013',
      '',
      'Hi, it does not link.',
      '',
      '',
      'More information about the linux-arm-kernel mailing list',
    ].join('\n');
    assert.deepEqual(kindOf(page), { kind: 'page', flavour: 'pipermail' });
  });

  it('flat headerless kernel text (every newline lost)', () => {
    const flat =
      "Hi all, with CONFIG_SMP=n the build fails: arm-linux-gnueabi-ld: drivers/foo/bar.o: in function `bar_map': " +
      "bar.c:(.text+0x4c): undefined reference to `local_flush_tlb_kernel_range' Signed-off-by: Ada Hacker <ada@example.org>";
    assert.deepEqual(kindOf(flat), { kind: 'page', flavour: 'flat' });
  });

  it('prose and CSV that are not mail are unknown', () => {
    assert.deepEqual(kindOf('The quick brown fox jumps over the lazy dog.\nIt was a fine day in the park.\n'), { kind: 'unknown' });
    assert.deepEqual(kindOf('id,file,verdict\n1,a.mbox,fixes\n2,b.mbox,hides\n'), { kind: 'unknown' });
    // a single kernel word is not enough to call text a mail body
    assert.deepEqual(kindOf('We talked about CONFIG_SMP at lunch.\n'), { kind: 'unknown' });
  });
});

describe('looksLikeRfc822 / isGzip', () => {
  it('needs at least one known header before the blank line', () => {
    assert.equal(looksLikeRfc822('Foo: bar\nBaz: qux\n\nbody'), false);
    assert.equal(looksLikeRfc822('Subject: hi\nFoo: bar\n\nbody'), true);
    assert.equal(looksLikeRfc822('  continuation first\nSubject: x\n\n'), false);
    assert.equal(looksLikeRfc822('Subject: x\nthis is not a header line\n\n'), false);
  });
  it('isGzip reads the magic bytes only', () => {
    assert.equal(isGzip(Buffer.from([0x1f, 0x8b, 8, 0])), true);
    assert.equal(isGzip(Buffer.from([0x1f])), false);
    assert.equal(isGzip(Buffer.from('From ')), false);
  });
});

describe('sniff on hostile text', () => {
  it('stays fast on long blank runs and long words (no quadratic regexes)', () => {
    const shapes = ['\n'.repeat(64 * 1024 - 1) + 'x', ' \n'.repeat(32 * 1024) + 'x', 'a/'.repeat(32 * 1024), 'a.'.repeat(32 * 1024), '\t'.repeat(64 * 1024) + 'x'];
    for (const s of shapes) {
      const t0 = Date.now();
      const k = sniff(Buffer.from(s));
      assert.equal(k.kind, 'unknown');
      assert.ok(Date.now() - t0 < 1000, `${JSON.stringify(s.slice(0, 4))}…: ${Date.now() - t0} ms`);
    }
  });
});
