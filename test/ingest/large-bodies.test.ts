// A base64 body that decodes into a huge diff: reading and decoding it is
// linear in its size, however the base64 is laid out. (What analysis then does
// with one very long hunk is analyze/'s concern; see the i9 report.)

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseMail } from '../../src/mail/parse.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { raw } from '../helpers/unit.js';

/** A tree-wide rename as git format-patch writes it: one small hunk per file. */
function treeWideDiff(files: number): string {
  const out = ['Rename kestrel_lock() to kestrel_bank_lock() everywhere.\n\nSigned-off-by: Mira Tamarack <mira@tamarack.example>\n---\n'];
  for (let f = 0; f < files; f++) {
    const path = `drivers/gpio/kestrel/bank${f}.c`;
    out.push(
      `diff --git a/${path} b/${path}\nindex 1234567..89abcde 100644\n--- a/${path}\n+++ b/${path}\n@@ -10,3 +10,3 @@ static int bank${f}_get(struct gpio_chip *gc)\n \tstruct kestrel_gpio *kg = gpiochip_get_data(gc);\n-\tkestrel_lock(kg);\n+\tkestrel_bank_lock(kg);\n \treturn 0;\n`,
    );
  }
  return out.join('');
}

const base64Mail = (diff: string, layout: (b64: string) => string) =>
  [
    'From: Mira Tamarack <mira@tamarack.example>',
    'To: linux-gpio@vger.kernel.org',
    'Subject: [PATCH] gpio: kestrel: rename kestrel_lock()',
    'Date: Fri, 7 Jun 2024 11:15:40 +0200',
    'Message-ID: <20240607091540.1-1-mira@tamarack.example>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    layout(Buffer.from(diff).toString('base64')),
    '',
  ].join('\n');

describe('a base64 body that decodes into a huge diff', () => {
  const diff = treeWideDiff(30_000); // about 11 MB decoded, 15 MB encoded: just under the 16 MiB message limit
  for (const [what, layout] of [
    ['76 columns', (b: string) => b.replace(/.{76}/g, '$&\n')],
    ['one line', (b: string) => b],
    ['CRLF lines', (b: string) => b.replace(/.{76}/g, '$&\r\n')],
  ] as const) {
    it(`is decoded in linear time (${what})`, async () => {
      const t0 = Date.now();
      const m = await parseMail(raw(base64Mail(diff, layout)));
      const ms = Date.now() - t0;
      assert.ok(ms < 5_000, `took ${ms} ms`);
      assert.ok(m.body.startsWith('Rename kestrel_lock()'));
    });
  }

  it('gets a verdict from the CLI in time proportional to its size', () => {
    ensureDist();
    const path = join(tmpdir(), `ktriage-b64-${process.pid}.eml`);
    writeFileSync(
      path,
      base64Mail(treeWideDiff(8_000), (b) => b.replace(/.{76}/g, '$&\n')),
    );
    try {
      const t0 = Date.now();
      const r = runCli(['thread', path, '--no-index']);
      const ms = Date.now() - t0;
      assert.equal(r.code, 0, r.stderr);
      assert.ok(ms < 15_000, `took ${ms} ms`);
      assert.match(r.stdout, /drivers\/gpio\/kestrel\/bank0\.c/);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
