// src/report/email.ts: the verdict as a reply; header values come from mail and
// must not be able to add headers, and non-ASCII goes out as RFC 2047 words.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { renderEmail } from '../../src/report/email.js';
import { makeMessage } from '../helpers/unit.js';

const PATCH_BODY = [
  'Building with CONFIG_FOO=n fails:',
  '',
  "  ld: drivers/foo/core.o: in function `foo_probe':",
  "  core.c:(.text+0x10): undefined reference to `bar_get'",
  '',
  'Signed-off-by: Ada Hacker <ada@example.org>',
  '---',
  'diff --git a/drivers/foo/Kconfig b/drivers/foo/Kconfig',
  '--- a/drivers/foo/Kconfig',
  '+++ b/drivers/foo/Kconfig',
  '@@ -1,3 +1,4 @@',
  ' config FOO_CORE',
  ' \ttristate "foo"',
  '+\tdepends on BAR',
  ' \thelp',
  '',
].join('\n');

function emailFor(from: { name: string; address: string }, subject: string, cc = [{ name: 'List', address: 'list@vger.example.org' }]): { headers: string[]; text: string } {
  const v = triageMessages([makeMessage({ messageId: '<p1@example.org>', subject, from, cc, body: PATCH_BODY })]);
  const text = renderEmail(v, { from: 'ktriage <bot@example.org>', now: new Date('2026-01-02T03:04:05Z') });
  const head = text.slice(0, text.indexOf('\n\n'));
  return {
    headers: head
      .split('\n')
      .filter((l) => !/^[ \t]/.test(l))
      .map((l) => l.split(':')[0]!),
    text,
  };
}

describe('renderEmail', () => {
  it('a CR/LF in a sender name or subject does not start a header of its own', () => {
    const { headers, text } = emailFor({ name: 'Evil\r\nBcc: victim@example.com', address: 'evil@example.org' }, '[PATCH] foo: x\r\nSubject: pwned');
    assert.deepEqual(
      headers.filter((h) => /^(Bcc|Subject)$/i.test(h)),
      ['Subject'],
    );
    assert.doesNotMatch(text, /\r/);
    assert.doesNotMatch(text.slice(0, text.indexOf('\n\n')), /^Subject: pwned/m);
  });

  it('non-ASCII names and subjects are RFC 2047 encoded words that decode back', () => {
    const { text } = emailFor({ name: 'Jürgen Groß', address: 'jg@example.de' }, '[PATCH] foo: drop the ­µ-delay — again');
    const head = text.slice(0, text.indexOf('\n\n'));
    assert.match(head, /^[\x00-\x7f]*$/, 'headers must be ASCII');
    // white space between adjacent encoded words is not part of the text (RFC 2047 6.2)
    const decode = (s: string) => s.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?B\?([^?]+)\?=/g, (_m, b: string) => Buffer.from(b, 'base64').toString('utf8'));
    const unfolded = head.replace(/\n[ \t]+/g, ' ');
    assert.match(decode(/^To: (.*)$/m.exec(unfolded)![1]!), /Jürgen Groß <jg@example\.de>/);
    assert.equal(decode(/^Subject: (.*)$/m.exec(unfolded)![1]!), 'Re: [PATCH] foo: drop the ­µ-delay — again');
  });

  it('the sender is neither To nor Cc, whatever the case of the address', () => {
    const { text } = emailFor({ name: 'Bot', address: 'BOT@example.org' }, '[PATCH] foo: y', [{ name: 'Bot', address: 'bot@EXAMPLE.org' }]);
    assert.doesNotMatch(text, /^(To|Cc):/m);
  });
});
