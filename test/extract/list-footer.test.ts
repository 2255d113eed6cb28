// src/mail/quirks.ts: a list footer is cut only where it ends the body, so a
// "... mailing list" line of the mail's own text cannot take a diff with it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extractMessage } from '../../src/extract/message.js';
import { parseMail } from '../../src/mail/parse.js';
import { cleanBody } from '../../src/mail/quirks.js';
import { raw } from '../helpers/unit.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'mail', 'extract');
const load = (name: string) => parseMail(raw(readFileSync(join(fixtures, name)), name));

describe('list footers', () => {
  it('a changelog line "linux-brisa mailing list" followed by the diff keeps the diff (footer-line-before-diff.eml)', async () => {
    const msg = await load('footer-line-before-diff.eml');
    assert.match(msg.body, /^linux-brisa mailing list$/m);
    const [patch] = extractMessage(msg).patches;
    assert.equal(patch?.source, 'inline');
    assert.deepEqual(
      patch.files.map((f) => f.newPath),
      ['MAINTAINERS'],
    );
    assert.deepEqual(
      patch.files[0]!.hunks[0]!.lines.filter((l) => l.kind !== 'ctx').map((l) => l.text),
      ['L:\tnetdev@vger.kernel.org', 'L:\tlinux-brisa@lists.brisa.example'],
    );
  });

  it('the Mailman footer after a patch is cut and the diff before it is whole (mailman-footer-after-patch.eml)', async () => {
    const msg = await load('mailman-footer-after-patch.eml');
    assert.doesNotMatch(msg.body, /mailing list|listinfo/);
    const [patch] = extractMessage(msg).patches;
    assert.deepEqual(
      patch?.files.map((f) => [f.newPath, f.hunks.length, f.hunks[0]!.truncated]),
      [['arch/arm/mach-corvid/Kconfig', 1, false]],
    );
  });

  it('a "... mailing list" line with more than a footer of text after it is not a footer', () => {
    const body = [
      'Questions about the port go to the',
      'linux-corvid mailing list',
      'and not to me:',
      'I read it daily,',
      'answer there,',
      'and keep',
      'an archive',
      'of the',
      'threads',
      'going',
      'back',
      'years.',
      '',
    ].join('\n');
    assert.equal(cleanBody(body), body);
  });
});
