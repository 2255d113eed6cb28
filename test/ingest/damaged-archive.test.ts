// A damaged message in an archive is skipped and counted, the rest is read;
// only a file that is binary (or not mail) as a whole is refused.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadInput } from '../../src/cli/load.js';
import { readMails, type SkippedMessage } from '../../src/ingest/read.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { collect, makeTempDir, rejectsWithCode } from '../helpers/unit.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mail', 'ingest');
const NUL_MBOX = join(FIXTURES, 'nul-bytes-in-one-message.mbox');
const HEADERLESS_MBOX = join(FIXTURES, 'headerless-message-in-archive.mbox');

const SEP = 'From mboxrd@z Thu Jan  1 00:00:00 1970\n';
const mail = (n: number, body = `Reply number ${n}.\n`) =>
  [
    `From: Reviewer ${n} <rev${n}@example.org>`,
    'Subject: Re: [PATCH] gpio: kestrel: select PINMUX_KESTREL',
    `Date: Thu, 6 Jun 2024 1${n % 10}:00:00 +0200`,
    `Message-ID: <reply-${n}@example.org>`,
    'In-Reply-To: <20240606073002.41822-1-mira@tamarack.example>',
    '',
    body,
  ].join('\n');

let tmp: Awaited<ReturnType<typeof makeTempDir>>;

before(async () => {
  ensureDist();
  tmp = await makeTempDir('ktriage-damaged-');
});

after(async () => {
  await tmp?.cleanup();
});

describe('nul-bytes-in-one-message.mbox: one damaged message does not refuse the archive', () => {
  it('the message with NUL bytes is skipped and counted; the report and the patch are read', async () => {
    const skipped: SkippedMessage[] = [];
    const mails = await collect(readMails(NUL_MBOX, { onSkip: (s) => skipped.push(s) }));
    assert.deepEqual(
      mails.map((m) => m.origin.index),
      [0, 1],
    );
    assert.deepEqual(
      skipped.map((s) => [s.index, s.reason, s.detail]),
      [[2, 'binary', 'contains NUL bytes']],
    );
  });

  it('loadInput returns the skipped messages as data (the field the CLI reports)', async () => {
    const r = await loadInput(NUL_MBOX);
    assert.deepEqual(
      r.messages.map((m) => m.messageId),
      ['<202406060412.kR3x9Qa-lkp@intel.com>', '<20240606073002.41822-1-mira@tamarack.example>'],
    );
    assert.equal(r.skipped.length, 1);
    assert.equal(r.skipped[0]!.reason, 'binary');
  });

  it('the CLI gives its verdict and says on stderr, in one line, what it skipped', () => {
    const r = runCli(['thread', NUL_MBOX, '--no-index']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /undefined reference to `kestrel_pinmux_set'/);
    assert.equal(r.stderr, `ktriage: warning: ${NUL_MBOX}: 1 of 3 messages skipped, the rest read (message 3 contains NUL bytes)\n`);
  });

  it('the same archive gzipped, and on stdin', async () => {
    const gz = tmp.path('nul.mbox.gz');
    await writeFile(gz, gzipSync(readFileSync(NUL_MBOX)));
    assert.equal((await loadInput(gz)).skipped.length, 1);
    const { Readable } = await import('node:stream');
    const r = await loadInput('-', { stdin: Readable.from([readFileSync(NUL_MBOX)]) });
    assert.equal(r.messages.length, 2);
    assert.equal(r.skipped[0]!.index, 2);
  });
});

describe('headerless-message-in-archive.mbox: a message that is not RFC 822 is skipped', () => {
  it('the pasted build log between two mails is skipped and counted', async () => {
    const r = await loadInput(HEADERLESS_MBOX);
    assert.equal(r.messages.length, 2);
    assert.deepEqual(
      r.skipped.map((s) => [s.index, s.reason]),
      [[1, 'not-mail']],
    );
  });
});

describe('damaged messages of every kind, counted in input order', () => {
  it('an oversized message in the middle of an mbox is skipped, numbered after the ones before it', async () => {
    const big = mail(2, 'x'.repeat(99) + '\n'.repeat(1) + ('y'.repeat(99) + '\n').repeat(40));
    const bytes = [mail(1), big, mail(3), Buffer.from(mail(4)).toString('latin1').replace('Reply', 'Re\0ply'), mail(5)].map((m) => SEP + m + '\n').join('');
    const path = tmp.path('mixed.mbox');
    await writeFile(path, Buffer.from(bytes, 'latin1'));
    const r = await loadInput(path, { maxMessageBytes: 1000 });
    assert.deepEqual(
      r.messages.map((m) => m.messageId),
      ['<reply-1@example.org>', '<reply-3@example.org>', '<reply-5@example.org>'],
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.index, s.reason]),
      [
        [1, 'too-large'],
        [3, 'binary'],
      ],
    );
    assert.equal(r.skipped[0]!.detail, 'is larger than the 1000 bytes limit per message');
  });

  it('a message mailparser gives up on (1,200 MIME parts) is skipped as unparseable; alone, it is refused', async () => {
    const parts = Array.from({ length: 1200 }, (_, i) => `--b\nContent-Type: text/plain\n\npart ${i}\n`).join('');
    const bomb = mail(2).replace('\n\n', '\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n') + parts + '--b--\n';
    const path = tmp.path('parts.mbox');
    await writeFile(path, [mail(1), bomb, mail(3)].map((m) => SEP + m + '\n').join(''));
    const r = await loadInput(path);
    assert.equal(r.messages.length, 2);
    assert.deepEqual(
      r.skipped.map((s) => [s.index, s.reason]),
      [[1, 'unparseable']],
    );
    const eml = tmp.path('parts.eml');
    await writeFile(eml, bomb);
    await rejectsWithCode(loadInput(eml), 'E_NOT_MAIL');
  });

  it('an mbox whose every message is damaged is refused in one line, with the reasons', async () => {
    const path = tmp.path('all-nul.mbox');
    await writeFile(path, Buffer.concat([Buffer.from(SEP + mail(1)), Buffer.alloc(64), Buffer.from('\n\n' + SEP + mail(2)), Buffer.alloc(64), Buffer.from('\n')]));
    const err = await rejectsWithCode(loadInput(path), 'E_BINARY');
    assert.match(err.message, /no message could be read: all 2 messages were skipped \(message 1 contains NUL bytes; message 2 contains NUL bytes\)/);
    const r = runCli(['thread', path, '--no-index']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2, r.stderr); // one line and its newline
  });

  it('a file that is binary as a whole is still refused as binary', async () => {
    const path = tmp.path('elf.bin');
    const elf = Buffer.alloc(4096);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(elf);
    await writeFile(path, elf);
    await rejectsWithCode(loadInput(path), 'E_BINARY');
  });

  it('a Maildir with one binary file: that file is skipped, the others read', async () => {
    const md = tmp.path('md');
    await mkdir(join(md, 'cur'), { recursive: true });
    await mkdir(join(md, 'new'), { recursive: true });
    await writeFile(join(md, 'cur', '1717660800.M1P1.host:2,S'), mail(1));
    await writeFile(join(md, 'cur', '1717660900.M2P1.host:2,S'), Buffer.concat([Buffer.from(mail(2)), Buffer.alloc(300)]));
    await writeFile(join(md, 'new', '1717661000.M3P1.host'), mail(3));
    const r = await loadInput(md);
    assert.deepEqual(
      r.messages.map((m) => m.messageId),
      ['<reply-1@example.org>', '<reply-3@example.org>'],
    );
    assert.equal(r.skipped.length, 1);
    assert.equal(r.skipped[0]!.reason, 'binary');
    assert.match(r.skipped[0]!.detail, /1717660900\.M2P1/);
  });

  it('a thousand damaged messages still make one warning line, naming the first few', async () => {
    const parts: Buffer[] = [];
    for (let n = 0; n < 1000; n++) parts.push(Buffer.from(SEP + mail(n)), n ? Buffer.from([0]) : Buffer.alloc(0), Buffer.from('\n'));
    const path = tmp.path('many-damaged.mbox');
    await writeFile(path, Buffer.concat(parts));
    const r = runCli(['thread', path, '--no-index']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /999 of 1000 messages skipped, the rest read \(message 2 contains NUL bytes; message 3 .*; message 4 .*; and 996 more\)$/);
  });
});
