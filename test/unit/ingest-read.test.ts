// src/ingest/read.ts: files, gzip, Maildir and stdin to RawMail.

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readMails, type SkippedMessage } from '../../src/ingest/read.js';
import { parseMail } from '../../src/mail/parse.js';
import { collect, makeTempDir, rejectsWithCode } from '../helpers/unit.js';

const EML = [
  'From: Ada Hacker <ada@example.org>',
  'To: linux-mm@kvack.org',
  'Subject: [PATCH] mm: percpu: use km on NOMMU',
  'Date: Tue, 1 Mar 2022 10:00:00 +0000',
  'Message-ID: <p1@example.org>',
  '',
  'Patch body.',
  '',
].join('\n');

const REPLY = [
  'From: Bob Reviewer <bob@example.org>',
  'Subject: Re: [PATCH] mm: percpu: use km on NOMMU',
  'Date: Tue, 1 Mar 2022 12:00:00 +0000',
  'Message-ID: <r1@example.org>',
  'In-Reply-To: <p1@example.org>',
  '',
  '>From the look of it, fine.',
  '',
].join('\n');

const MBOX = `From mboxrd@z Thu Jan  1 00:00:00 1970\n${EML}\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n${REPLY}\n`;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;

before(async () => {
  tmp = await makeTempDir();
  await writeFile(tmp.path('one.eml'), EML);
  await writeFile(tmp.path('thread.mbox'), MBOX);
  await writeFile(tmp.path('thread.mbox.gz'), gzipSync(MBOX));
  await writeFile(tmp.path('no-extension'), gzipSync(MBOX)); // content decides, not the name
  await writeFile(tmp.path('corrupt.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('definitely not deflate data, just text and more text')]));
  await writeFile(tmp.path('cut.gz'), gzipSync(MBOX).subarray(0, 40));
  await writeFile(tmp.path('empty.txt'), '');
  await writeFile(tmp.path('binary.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0]));
  await writeFile(tmp.path('prose.txt'), 'Shopping list: apples, pears, bread.\nCall the plumber on Monday.\n');
  await mkdir(tmp.path('md', 'cur'), { recursive: true });
  await mkdir(tmp.path('md', 'new'), { recursive: true });
  await mkdir(tmp.path('md', 'tmp'), { recursive: true });
  await writeFile(tmp.path('md', 'cur', '1646128800.M1P1.host:2,S'), EML);
  await writeFile(tmp.path('md', 'new', '1646136000.M2P1.host'), REPLY);
  await writeFile(tmp.path('md', 'new', '.hidden'), 'not mail');
  await mkdir(tmp.path('md-empty', 'cur'), { recursive: true });
  await mkdir(tmp.path('plain-dir', 'sub'), { recursive: true });
  await writeFile(tmp.path('plain-dir', 'a.eml'), EML);
  await writeFile(tmp.path('page.html'), '<html><body><pre>From: Ada Hacker @ 2022-03-01 10:00 UTC (permalink / raw)\n  To: linux-mm\n\nbody text\n\n^ permalink raw reply</pre></body></html>');
  await writeFile(tmp.path('web.html'), '<html><body><p>Welcome to my homepage</p></body></html>');
});

after(async () => {
  await tmp.cleanup();
});

const subjects = async (spec: string, opts = {}) => {
  const out: string[] = [];
  for await (const r of readMails(spec, opts)) out.push((await parseMail(r)).subject);
  return out;
};

describe('readMails', () => {
  it('reads one .eml as one message with its origin', async () => {
    const mails = await collect(readMails(tmp.path('one.eml')));
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.bytes.toString(), EML);
    assert.deepEqual(mails[0]!.origin, { kind: 'eml', path: tmp.path('one.eml') });
  });

  it('reads an mbox message by message, numbering them, with >From unescaped', async () => {
    const mails = await collect(readMails(tmp.path('thread.mbox')));
    assert.equal(mails.length, 2);
    assert.deepEqual(
      mails.map((m) => [m.origin.kind, m.origin.index]),
      [
        ['mbox', 0],
        ['mbox', 1],
      ],
    );
    assert.match(mails[1]!.bytes.toString(), /^From the look of it, fine\.$/m);
  });

  it('reads .mbox.gz, and gzip by content whatever the file name', async () => {
    const expected = ['[PATCH] mm: percpu: use km on NOMMU', 'Re: [PATCH] mm: percpu: use km on NOMMU'];
    assert.deepEqual(await subjects(tmp.path('thread.mbox.gz')), expected);
    assert.deepEqual(await subjects(tmp.path('no-extension')), expected);
  });

  it('reads a Maildir (cur and new), in delivery order, skipping dot files', async () => {
    const mails = await collect(readMails(tmp.path('md')));
    assert.equal(mails.length, 2);
    assert.ok(mails.every((m) => m.origin.kind === 'maildir'));
    assert.match(mails[0]!.origin.path, /cur\/1646128800/);
    assert.match(mails[1]!.origin.path, /new\/1646136000/);
  });

  it('an empty Maildir is E_EMPTY; a directory without cur/new is E_NOT_MAIL', async () => {
    await rejectsWithCode(collect(readMails(tmp.path('md-empty'))), 'E_EMPTY');
    const err = await rejectsWithCode(collect(readMails(tmp.path('plain-dir'))), 'E_NOT_MAIL');
    assert.match(err.message, /not a Maildir/);
  });

  it('a Maildir message over the limit is skipped and counted; E_TOO_LARGE only when every one is', async () => {
    const skipped: SkippedMessage[] = [];
    const err = await rejectsWithCode(collect(readMails(tmp.path('md'), { maxMessageBytes: 100 })), 'E_TOO_LARGE');
    assert.match(err.message, /no message could be read: all 2 messages were skipped/);
    const [small, big] = [Buffer.byteLength(EML), Buffer.byteLength(REPLY)].sort((a, b) => a - b);
    assert.ok(small! < big!);
    const got = await collect(readMails(tmp.path('md'), { maxMessageBytes: small!, onSkip: (s) => skipped.push(s) }));
    assert.equal(got.length, 1);
    assert.deepEqual(
      skipped.map((s) => [s.reason, s.bytes]),
      [['too-large', big]],
    );
    assert.equal(got[0]!.bytes.length, small);
  });

  it('reads stdin through the stdin option ("-"), in small chunks', async () => {
    const chunks = MBOX.match(/[\s\S]{1,7}/g)!.map((s) => Buffer.from(s));
    const mails = await collect(readMails('-', { stdin: Readable.from(chunks) }));
    assert.equal(mails.length, 2);
    assert.deepEqual(mails[0]!.origin, { kind: 'stdin', path: '<stdin>', index: 0 });
    const one = await collect(readMails('-', { stdin: Readable.from([EML]) }));
    assert.equal(one.length, 1);
    assert.equal(one[0]!.origin.kind, 'stdin');
  });

  it('reads gzip on stdin', async () => {
    const mails = await collect(readMails('-', { stdin: Readable.from([gzipSync(MBOX)]) }));
    assert.equal(mails.length, 2);
  });

  it('reads an HTML archive page into page messages', async () => {
    const mails = await collect(readMails(tmp.path('page.html')));
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.origin.kind, 'page');
    assert.equal(mails[0]!.origin.page, 'lore');
    const m = await parseMail(mails[0]!);
    assert.equal(m.from.name, 'Ada Hacker');
    assert.equal(m.body, 'body text\n');
  });

  it('refuses what is not mail, each with its code and the path in the message', async () => {
    const cases: [string, string][] = [
      ['does-not-exist.mbox', 'E_NOT_FOUND'],
      ['empty.txt', 'E_EMPTY'],
      ['binary.bin', 'E_BINARY'],
      ['prose.txt', 'E_NOT_MAIL'],
      ['web.html', 'E_NOT_MAIL'],
      ['corrupt.gz', 'E_GZIP'],
      ['cut.gz', 'E_TRUNCATED'],
    ];
    for (const [name, code] of cases) {
      const err = await rejectsWithCode(collect(readMails(tmp.path(name))), code);
      assert.ok(err.message.includes(tmp.path(name)), `${name}: ${err.message}`);
      assert.doesNotMatch(err.message, /\n/, 'one line');
    }
  });

  it('maxInputBytes caps plain and gunzipped input', async () => {
    await rejectsWithCode(collect(readMails(tmp.path('thread.mbox'), { maxInputBytes: 100 })), 'E_TOO_LARGE');
    const err = await rejectsWithCode(collect(readMails(tmp.path('thread.mbox.gz'), { maxInputBytes: 100 })), 'E_TOO_LARGE');
    assert.match(err.message, /expands to/);
  });

  it('an .eml larger than maxMessageBytes is E_TOO_LARGE', async () => {
    await rejectsWithCode(collect(readMails(tmp.path('one.eml'), { maxMessageBytes: 50 })), 'E_TOO_LARGE');
  });
});
