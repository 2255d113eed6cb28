// src/ingest/mbox.ts: From_ splitting, >From unescaping, limits, truncation, streaming.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFromLine, looksLikeMbox, missingClosingBoundary, splitMbox, type MboxOptions } from '../../src/ingest/mbox.js';
import { chunksAt, chunksOf, collect, rejectsWithCode } from '../helpers/unit.js';

const split = (text: string | Buffer, opts?: MboxOptions) => collect(splitMbox(chunksOf(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'), 1 << 16), opts));

const texts = (bufs: Buffer[]) => bufs.map((b) => b.toString('latin1'));

// An mboxrd as lore's t.mbox.gz serves it: "From mboxrd@z" separators, one blank
// line between messages, every ^>*From line quoted with one more '>'.
const MBOXRD = [
  'From mboxrd@z Thu Jan  1 00:00:00 1970',
  'From: Ada Hacker <ada@example.org>',
  'Subject: [PATCH] mm: keep vmap off NOMMU',
  'Message-ID: <p1@example.org>',
  '',
  'First line.',
  '',
  '>From the start this was wrong.',
  '>>From here it was quoted already.',
  '',
  'From mboxrd@z Thu Jan  1 00:00:00 1970',
  'From: Bob Reviewer <bob@example.org>',
  'Subject: Re: [PATCH] mm: keep vmap off NOMMU',
  'Message-ID: <r1@example.org>',
  'In-Reply-To: <p1@example.org>',
  '',
  'Looks fine.',
  '',
].join('\n');

describe('isFromLine / looksLikeMbox', () => {
  it('accepts the From_ shapes of mboxrd, git format-patch and mutt', () => {
    assert.equal(isFromLine('From mboxrd@z Thu Jan  1 00:00:00 1970'), true);
    assert.equal(isFromLine('From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001'), true);
    assert.equal(isFromLine('From ada@example.org  Tue Nov 30 17:29:54 2021'), true);
  });
  it('rejects prose that starts with "From "', () => {
    assert.equal(isFromLine('From what I can see, this is broken.'), false);
    assert.equal(isFromLine('From: Ada <ada@example.org>'), false);
    assert.equal(isFromLine('>From mboxrd@z Thu Jan  1 00:00:00 1970'), false);
  });
  it('looksLikeMbox skips leading blank lines', () => {
    assert.equal(looksLikeMbox('\n\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: a\n'), true);
    assert.equal(looksLikeMbox('From: a@b\nSubject: x\n\nbody\n'), false);
  });
});

describe('splitMbox', () => {
  it('splits an mboxrd and drops the From_ line and the separator blank line', async () => {
    const msgs = texts(await split(MBOXRD));
    assert.equal(msgs.length, 2);
    assert.ok(msgs[0]!.startsWith('From: Ada Hacker'), msgs[0]);
    assert.ok(msgs[1]!.startsWith('From: Bob Reviewer'), msgs[1]);
    assert.ok(msgs[0]!.endsWith('>From here it was quoted already.\n'), JSON.stringify(msgs[0]!.slice(-60)));
    assert.ok(msgs[1]!.endsWith('Looks fine.\n'));
    assert.ok(!msgs[1]!.endsWith('\n\n'), 'exactly one separator blank line is removed');
  });

  it('unescapes >From and >>From by one level (mboxrd)', async () => {
    const [first] = texts(await split(MBOXRD));
    assert.match(first!, /^From the start this was wrong\.$/m);
    assert.match(first!, /^>From here it was quoted already\.$/m);
    assert.doesNotMatch(first!, /^>>From /m);
  });

  it('mboxo: an unescaped From_ line only splits after a blank line; escaped ones become body text', async () => {
    const mboxo = [
      'From ada@example.org Tue Nov 30 17:29:54 2021',
      'From: ada@example.org',
      'Subject: one',
      '',
      'body text',
      '>From ada@example.org Tue Nov 30 17:29:54 2021',
      'still one',
      '',
      'From bob@example.org Wed Dec  1 09:00:00 2021',
      'From: bob@example.org',
      'Subject: two',
      '',
      'second',
      '',
    ].join('\n');
    const msgs = texts(await split(mboxo));
    assert.equal(msgs.length, 2);
    assert.match(msgs[0]!, /^From ada@example\.org Tue Nov 30 17:29:54 2021$/m);
    assert.match(msgs[0]!, /still one/);
    assert.match(msgs[1]!, /Subject: two/);
  });

  it('a From_-shaped line not preceded by a blank line does not start a message', async () => {
    const text = [
      'From ada@example.org Tue Nov 30 17:29:54 2021',
      'From: ada@example.org',
      'Subject: one',
      '',
      'text right above',
      'From bob@example.org Wed Dec  1 09:00:00 2021',
      'more text',
      '',
    ].join('\n');
    const msgs = texts(await split(text));
    assert.equal(msgs.length, 1);
    assert.match(msgs[0]!, /more text/);
  });

  it('mail concatenated without the blank separator splits when a header follows the From_ line', async () => {
    const text = [
      'From ada@example.org Tue Nov 30 17:29:54 2021',
      'From: ada@example.org',
      'Subject: one',
      '',
      'last body line',
      'From bob@example.org Wed Dec  1 09:00:00 2021',
      'From: bob@example.org',
      'Subject: two',
      '',
      'second',
      '',
    ].join('\n');
    const msgs = texts(await split(text));
    assert.equal(msgs.length, 2);
    assert.ok(msgs[0]!.endsWith('last body line\n'));
    assert.ok(msgs[1]!.startsWith('From: bob@example.org\n'));
  });

  it('a git format-patch From <sha> line escaped inside a body stays in that body', async () => {
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const text = [
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'From: Ada Hacker <ada@example.org>',
      'Subject: Re: [PATCH] percpu: km: use for SMP+NOMMU',
      '',
      'Here is what I applied locally:',
      '',
      `>From ${sha} Mon Sep 17 00:00:00 2001`,
      'From: Ada Hacker <ada@example.org>',
      'Subject: [PATCH] percpu: km: use for SMP+NOMMU',
      '',
      '---',
      ' mm/Kconfig | 2 +-',
      '',
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'From: Bob <bob@example.org>',
      'Subject: Re: [PATCH] percpu: km: use for SMP+NOMMU',
      '',
      'ok',
      '',
    ].join('\n');
    const msgs = texts(await split(text));
    assert.equal(msgs.length, 2);
    assert.match(msgs[0]!, new RegExp(`^From ${sha} Mon Sep 17 00:00:00 2001$`, 'm'));
    assert.match(msgs[0]!, /mm\/Kconfig \| 2 \+-/);
    assert.match(msgs[1]!, /^ok$/m);
  });

  it('an unescaped git From <sha> line after a blank line does split (that is what mboxo means)', async () => {
    const text = ['From mboxrd@z Thu Jan  1 00:00:00 1970', 'Subject: a', '', 'x', '', 'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001', 'Subject: b', '', 'y', ''].join('\n');
    assert.equal((await split(text)).length, 2);
  });

  it('splits CRLF files and unescapes >From there too', async () => {
    const crlf = MBOXRD.replace(/\n/g, '\r\n');
    const msgs = texts(await split(crlf));
    assert.equal(msgs.length, 2);
    assert.ok(msgs[0]!.startsWith('From: Ada Hacker <ada@example.org>\r\n'));
    assert.match(msgs[0]!, /^From the start this was wrong\.\r$/m);
    assert.ok(msgs[1]!.startsWith('From: Bob Reviewer'));
    assert.ok(msgs[1]!.endsWith('Looks fine.\r\n'), 'the CRLF separator blank line is removed too');
    assert.ok(msgs[0]!.endsWith('quoted already.\r\n'));
  });

  it('keeps bytes as they were (latin1 round-trip of 8-bit bodies)', async () => {
    const body = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in latin1
    const buf = Buffer.concat([Buffer.from('From x@y Thu Jan  1 00:00:00 1970\nSubject: s\n\n'), body]);
    const [m] = await split(buf);
    assert.deepEqual(m!.subarray(m!.length - body.length), body);
  });

  it('refuses a message over maxMessageBytes with E_TOO_LARGE', async () => {
    const big = `From a@b Thu Jan  1 00:00:00 1970\nSubject: big\n\n${'x'.repeat(80) + '\n'}`.repeat(1) + ('y'.repeat(79) + '\n').repeat(20);
    const err = await rejectsWithCode(split(big, { maxMessageBytes: 500, label: 'big.mbox' }), 'E_TOO_LARGE');
    assert.match(err.message, /^big\.mbox: message 1 /);
  });

  it('refuses one endless line (no newline) larger than the limit', async () => {
    const text = 'From a@b Thu Jan  1 00:00:00 1970\nSubject: s\n\n' + 'z'.repeat(5000);
    await rejectsWithCode(collect(splitMbox(chunksOf(Buffer.from(text), 100), { maxMessageBytes: 1000 })), 'E_TOO_LARGE');
  });

  it('skipOversize skips the big message, reports it, and keeps the others', async () => {
    const small = (n: number) => `From a@b Thu Jan  1 00:00:00 1970\nSubject: small ${n}\n\nok\n\n`;
    const huge = `From a@b Thu Jan  1 00:00:00 1970\nSubject: huge\n\n${('h'.repeat(99) + '\n').repeat(30)}\n`;
    const skipped: [number, number][] = [];
    const msgs = texts(await split(small(1) + huge + small(2) + huge, { maxMessageBytes: 1000, skipOversize: true, onSkip: (i, b) => skipped.push([i, b]) }));
    assert.deepEqual(
      msgs.map((m) => /Subject: (.*)/.exec(m)![1]),
      ['small 1', 'small 2'],
    );
    assert.deepEqual(
      skipped.map(([i]) => i),
      [1, 3],
    );
    for (const [, bytes] of skipped) assert.ok(bytes > 1000, `reported size ${bytes}`);
  });

  it('E_TRUNCATED: the file stops mid-line (no final newline)', async () => {
    const cut = MBOXRD.slice(0, MBOXRD.indexOf('Looks fine.') + 5);
    const err = await rejectsWithCode(split(cut, { label: 'cut.mbox' }), 'E_TRUNCATED');
    assert.match(err.message, /cut\.mbox/);
    assert.match(err.message, /message 2/);
  });

  it('E_TRUNCATED: the file stops inside the headers of the last message', async () => {
    const cut = MBOXRD.slice(0, MBOXRD.indexOf('In-Reply-To:'));
    assert.ok(cut.endsWith('\n'));
    const err = await rejectsWithCode(split(cut), 'E_TRUNCATED');
    assert.match(err.message, /headers/);
  });

  it('E_TRUNCATED: a multipart message without its closing boundary', async () => {
    const mp = [
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'From: robot@example.org',
      'Subject: build error',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed;',
      '\tboundary="=_cut_here"',
      '',
      '--=_cut_here',
      'Content-Type: text/plain',
      '',
      'config attached',
      '--=_cut_here',
      'Content-Type: application/gzip',
      'Content-Transfer-Encoding: base64',
      '',
      'H4sIAAAAAAAAA+3OMQ',
      '',
    ].join('\n');
    const err = await rejectsWithCode(split(mp), 'E_TRUNCATED');
    assert.match(err.message, /=_cut_here--/);
    // the same message with its closing delimiter is fine
    const whole = mp.replace(/\n$/, '\n--=_cut_here--\n');
    assert.equal((await split(whole)).length, 1);
  });

  it('missingClosingBoundary: null without multipart or with the closing delimiter', () => {
    assert.equal(missingClosingBoundary(Buffer.from('Subject: x\n\nbody\n')), null);
    assert.equal(missingClosingBoundary(Buffer.from('Content-Type: multipart/alternative; boundary=b1\n\n--b1\n\nx\n--b1--\n')), null);
    assert.equal(missingClosingBoundary(Buffer.from('Content-Type: multipart/alternative; boundary=b1\n\n--b1\n\nx\n')), 'b1');
  });

  it('E_NOT_MAIL: text that does not start with a From_ line', async () => {
    await rejectsWithCode(split('Subject: not an mbox\n\nbody\n'), 'E_NOT_MAIL');
    await rejectsWithCode(split('id,verdict\n1,fixes\n'), 'E_NOT_MAIL');
  });

  it('E_EMPTY: nothing but blank lines', async () => {
    await rejectsWithCode(split('\n\n\n'), 'E_EMPTY');
    await rejectsWithCode(split(''), 'E_EMPTY');
  });

  it('gives the same messages whatever the chunk boundaries (every byte offset)', async () => {
    const whole = Buffer.from(MBOXRD.replace('First line.', 'First line with >From inside and 8-bit caf\u00e9.'), 'utf8');
    const expected = texts(await split(whole));
    assert.equal(expected.length, 2);
    for (let cut = 1; cut < whole.length; cut++) {
      const got = texts(await collect(splitMbox(chunksAt(whole, [cut]))));
      assert.deepEqual(got, expected, `split at byte ${cut}`);
    }
    for (const size of [1, 2, 3, 7, 13]) {
      const got = texts(await collect(splitMbox(chunksOf(whole, size))));
      assert.deepEqual(got, expected, `chunks of ${size}`);
    }
    // three-way splits around the separator line
    const sep = whole.indexOf('\nFrom mboxrd@z', 10);
    for (let a = sep - 3; a <= sep + 3; a++) {
      for (let b = a + 1; b <= sep + 8; b++) {
        const got = texts(await collect(splitMbox(chunksAt(whole, [a, b]))));
        assert.deepEqual(got, expected, `split at ${a},${b}`);
      }
    }
  });

  it('streaming a CRLF mbox in 1-byte chunks matches one chunk', async () => {
    const crlf = Buffer.from(MBOXRD.replace(/\n/g, '\r\n'));
    assert.deepEqual(texts(await collect(splitMbox(chunksOf(crlf, 1)))), texts(await split(crlf)));
  });
});
