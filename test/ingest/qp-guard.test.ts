// Quoted-printable with a long run of blanks: libqp's /[\t ]+$/gm made
// mailparser quadratic in the run (50 KB: 6 s, 1 MB: about 40 minutes) before
// any ktriage limit applied. src/mail/qp-guard.ts decodes in linear time and
// must give exactly libqp's bytes.

import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseMail } from '../../src/mail/parse.js';
import { decodeQuotedPrintable, guardQuotedPrintable, QuotedPrintableDecoder } from '../../src/mail/qp-guard.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { raw } from '../helpers/unit.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mail', 'ingest', 'quoted-printable-patch.eml');
const require = createRequire(import.meta.url);
// the libqp mailparser's mailsplit uses (2.1.1), and its original decode() to compare against
const fromMailsplit = createRequire(createRequire(require.resolve('mailparser')).resolve('@zone-eu/mailsplit'));
const libqp = fromMailsplit('libqp') as { decode: (b: Buffer) => Buffer; Decoder: unknown };

const qpMail = (body: string) =>
  raw(
    [
      'From: Ada Hacker <ada@example.org>',
      'Subject: [PATCH] gpio: kestrel: spaces',
      'Message-ID: <qp-blanks@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      body,
    ].join('\n'),
  );

/** A small deterministic generator (xorshift), so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

describe('decodeQuotedPrintable gives exactly the bytes libqp gives (7-bit input, as RFC 2045 has it)', () => {
  it('on the corner cases of RFC 2045 6.7', () => {
    const cases = [
      '',
      '=',
      '==',
      '=4',
      '=41',
      '=4g',
      '=\n',
      '=\r\n',
      '=\r',
      'a=\nb',
      'a=\r\nb',
      'soft =  \nbreak',
      'trail \t \nnext',
      'trail \t \r\nnext',
      'cr only  \rnext',
      'end blanks   ',
      'x' + ' '.repeat(20) + 'y',
      '=3D=3d=C3=A9',
      '=4=41',
      '=\n=\n=\n',
      '  \n  \n',
    ];
    for (const c of cases) {
      const b = Buffer.from(c, 'latin1');
      assert.deepEqual(decodeQuotedPrintable(b), libqp.decode(b), JSON.stringify(c));
    }
  });

  it('on 20,000 random strings over the bytes that matter', () => {
    const alphabet = [' ', '\t', '=', '\r', '\n', 'A', '4', 'f', 'F', 'g', '0', 'x'];
    const next = rng(20240607);
    for (let n = 0; n < 20_000; n++) {
      const len = Math.floor(next() * 24);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      const b = Buffer.from(s, 'latin1');
      assert.deepEqual(decodeQuotedPrintable(b), libqp.decode(b), JSON.stringify(s));
    }
  });

  it('quoted-printable-patch.eml: a git send-email patch reads the same as with libqp', async () => {
    const bytes = readFileSync(FIXTURE);
    const m = await parseMail(raw(bytes));
    const body = bytes.subarray(bytes.indexOf('\n\n') + 2);
    const expected = libqp.decode(body).toString('utf8');
    assert.ok(m.body.includes("+\treturn kg->base + bank * 0x40;\t/* KESTREL_BANK_STRIDE, see the manual's register map for the details */\n"));
    assert.ok(m.body.includes('Signed-off-by: Jörg Bräuer <joerg@corvid.example>'));
    assert.ok(expected.startsWith(m.body.slice(0, 200)));
    // the trailing blank of the removed line is gone either way (=20 keeps it: it is encoded)
    assert.ok(m.body.includes('for the details */ \n+'));
  });
});

describe('raw 8-bit bytes in a quoted-printable body', () => {
  it('are copied unchanged (as libqp 2.1.2 does): raw UTF-8 reads as written, where libqp 2.1.1 turned it into U+FFFD', async () => {
    const m = await parseMail(qpMail('Signed-off-by: Jörg Bräuer <joerg@corvid.example>\nTested-by: =C3=96sten <o@example.org>\n'));
    assert.ok(m.body.includes('Jörg Bräuer'), m.body);
    assert.ok(m.body.includes('Östen'), m.body);
    assert.deepEqual(decodeQuotedPrintable(Buffer.from('\xe9 \xff', 'latin1')), Buffer.from('\xe9 \xff', 'latin1'));
  });
});

describe('the guard is in place', () => {
  it("mailsplit's libqp.Decoder is ours once parse.ts is loaded, and installing again is harmless", () => {
    assert.equal(libqp.Decoder, QuotedPrintableDecoder);
    assert.equal(guardQuotedPrintable(require), true);
    assert.equal(libqp.Decoder, QuotedPrintableDecoder);
  });
});

describe('a long run of blanks in quoted-printable is read in linear time', () => {
  it('1 MB of blanks inside a line: under 2 s (was about 40 minutes), the text kept', async () => {
    const t0 = Date.now();
    const m = await parseMail(qpMail('before' + ' '.repeat(1 << 20) + 'after =3D done\nnext line\n'));
    const ms = Date.now() - t0;
    assert.ok(ms < 2_000, `took ${ms} ms`);
    assert.ok(m.body.startsWith('before   '));
    assert.ok(m.body.endsWith('\nnext line\n'));
  });

  it('the CLI gives a verdict on a patch mail holding a 200 KB run of blanks, in seconds', () => {
    ensureDist();
    const text = readFileSync(FIXTURE, 'latin1');
    const at = text.indexOf('The register block');
    const path = join(tmpdir(), `ktriage-qp-blanks-${process.pid}.eml`);
    writeFileSync(path, text.slice(0, at) + 'Spaces:' + ' '.repeat(200_000) + 'end\n' + text.slice(at), 'latin1');
    try {
      const t0 = Date.now();
      const r = runCli(['thread', path, '--no-index']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
      assert.match(r.stdout, /gpio-kestrel\.c/);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
