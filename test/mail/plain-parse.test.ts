// parse.ts reads a single-part plain-text mail without simpleParser's streams: the
// Message must be the one simpleParser gives, and anything else must still go through it.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { splitMbox } from '../../src/ingest/mbox.js';
import { parseMail, readsPlain } from '../../src/mail/parse.js';
import { chunksAt, collect, raw } from '../helpers/unit.js';

const both = async (bytes: Buffer) => ({
  plain: JSON.stringify(await parseMail(raw(bytes))),
  simple: JSON.stringify(await parseMail(raw(bytes), { viaSimpleParser: true })),
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(eml|mbox)$/.test(name) ? [p] : [];
  });
}

const header = (lines: string[], body: string, eol = '\n') => Buffer.from(lines.join(eol) + eol + eol + body.replace(/\n/g, eol), 'utf8');
const base = ['From: Ada Hacker <ada@example.org>', 'To: list@vger.example.org', 'Subject: [PATCH] x', 'Date: Tue, 1 Mar 2022 10:00:00 +0000', 'Message-ID: <a@example.org>'];

// each: a mail shape, whether the plain path takes it, and (always) the same Message either way
const SHAPES: { name: string; bytes: Buffer; plain: boolean }[] = [
  { name: 'no Content-Type (text/plain by default)', bytes: header(base, 'hello\n'), plain: true },
  { name: 'CRLF line ends', bytes: header([...base, 'Content-Type: text/plain; charset=utf-8'], 'a\nb\n', '\r\n'), plain: true },
  {
    name: 'quoted-printable: soft breaks, =XX UTF-8, trailing blanks',
    bytes: header([...base, 'Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: quoted-printable'], 'caf=C3=A9 long=\nline   \n=3D end\n'),
    plain: true,
  },
  {
    name: 'encoded words in a folded Subject and in names',
    bytes: header(
      [
        'From: =?UTF-8?B?SsO2cmc=?= <j@example.org>',
        'To: =?iso-8859-1?q?Ren=E9?= <r@example.org>, b@example.org',
        'To: second@example.org',
        'Cc: team: x@example.org, y@example.org;',
        'Subject: =?UTF-8?Q?[PATCH]_f=C3=BCr?=',
        ' =?UTF-8?Q?_etwas?=',
        'Message-ID: <b@example.org>',
        'Content-Type: text/plain; charset=us-ascii',
        'Content-Transfer-Encoding: 7bit',
      ],
      'x\n',
    ),
    plain: true,
  },
  { name: 'an empty body', bytes: header(base, ''), plain: true },
  { name: 'two Subject headers (the last counts)', bytes: header([...base, 'Subject: second'], 'x\n'), plain: true },
  { name: 'an unparseable Date', bytes: header([...base.slice(0, 3), 'Date: sometime soon', 'Message-ID: <c@example.org>'], 'x\n'), plain: true },
  { name: 'raw 8-bit UTF-8 with no charset', bytes: header([...base, 'Content-Transfer-Encoding: 8bit'], 'naïve ☃\n'), plain: true },
  { name: 'a header with no empty line after it', bytes: Buffer.from(base.join('\n')), plain: false },
  {
    name: 'latin-1',
    bytes: Buffer.concat([header([...base, 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: 8bit'], ''), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]),
    plain: true,
  },
  { name: 'format=flowed', bytes: header([...base, 'Content-Type: text/plain; charset=utf-8; format=flowed'], 'a \nb\n'), plain: true },
  { name: 'base64', bytes: header([...base, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], Buffer.from('hi\n').toString('base64') + '\n'), plain: false },
  { name: 'Content-Disposition: inline', bytes: header([...base, 'Content-Disposition: inline'], 'x\n'), plain: true },
  { name: 'Content-Disposition: attachment', bytes: header([...base, 'Content-Disposition: attachment; filename="fix.patch"'], 'x\n'), plain: false },
  { name: 'a one-byte charset other than latin-1', bytes: Buffer.concat([header([...base, 'Content-Type: text/plain; charset=koi8-r'], ''), Buffer.from([0xf0, 0xd2, 0xc9, 0x0a])]), plain: true },
  { name: 'a multi-byte charset', bytes: Buffer.concat([header([...base, 'Content-Type: text/plain; charset=gb2312'], ''), Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a])]), plain: false },
  { name: 'format=flowed with DelSp', bytes: header([...base, 'Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes'], 'a \nb\n> q \n> r\n'), plain: true },
  { name: 'text/html', bytes: header([...base, 'Content-Type: text/html; charset=utf-8'], '<p>x</p>\n'), plain: false },
  {
    name: 'multipart',
    bytes: header([...base, 'Content-Type: multipart/mixed; boundary="b"'], '--b\nContent-Type: text/plain\n\nx\n--b--\n'),
    plain: false,
  },
];

describe('parseMail without simpleParser for a plain single-part mail', () => {
  for (const s of SHAPES) {
    it(`${s.name}: ${s.plain ? 'read plain' : 'through simpleParser'}, the same Message`, async () => {
      assert.equal(readsPlain(s.bytes), s.plain);
      const { plain, simple } = await both(s.bytes);
      assert.equal(plain, simple);
    });
  }

  it('every fixture mail gives the same Message either way, and most are read plain', async () => {
    let mails = 0;
    let plainCount = 0;
    for (const file of filesUnder(join(import.meta.dirname, '..', 'fixtures'))) {
      const bytes = readFileSync(file);
      const messages = file.endsWith('.mbox') ? await collect(splitMbox(chunksAt(bytes, []), { maxMessageBytes: 8 << 20, skipOversize: true, label: file })) : [bytes];
      for (const m of messages) {
        mails++;
        if (readsPlain(m)) plainCount++;
        const { plain, simple } = await both(m);
        assert.equal(plain, simple, `${file}: message ${mails}`);
      }
    }
    assert.ok(mails > 200, `${mails} fixture mails`);
    assert.ok(plainCount > mails / 2, `${plainCount} of ${mails} read plain`);
  });
});
