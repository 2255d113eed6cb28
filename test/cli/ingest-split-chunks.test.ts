// The mbox splitter takes the lines between "From " lines as blocks (the
// backfill's speed): wherever the read chunks end, it splits the same messages
// as it did line by line, "From " lines in bodies, CRLF files and caps included.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitMbox, type MboxOptions } from '../../src/ingest/mbox.js';

const FROM = 'From mboxrd@z Thu Jan  1 00:00:00 1970';

async function split(text: string, size: number, opts: MboxOptions = {}): Promise<string[]> {
  const data = Buffer.from(text, 'latin1');
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
  }
  const out: string[] = [];
  for await (const m of splitMbox(chunks(), opts)) out.push(m.toString('latin1'));
  return out;
}

const SIZES = [1, 2, 3, 5, 6, 7, 11, 64, 1 << 20];

describe('splitMbox in chunks of any size', () => {
  test('"From " lines in a body, quoted or not, stay in the body; a blank line before a separator is dropped', async () => {
    const text = [FROM, 'Subject: one', '', 'From here on, nothing.', 'From me', '>From you', '', FROM, 'Subject: two', '', 'body', '', ''].join('\n');
    for (const size of SIZES) {
      assert.deepEqual(await split(text, size), ['Subject: one\n\nFrom here on, nothing.\nFrom me\nFrom you\n', 'Subject: two\n\nbody\n'], `chunks of ${size}`);
    }
  });

  test('a separator after a non-blank line splits only when a header follows', async () => {
    const text = [FROM, 'Subject: one', '', 'text', FROM, 'not a header', FROM, 'Subject: two', '', 'x', ''].join('\n');
    for (const size of SIZES) {
      assert.deepEqual(await split(text, size), [`Subject: one\n\ntext\n${FROM}\nnot a header\n`, 'Subject: two\n\nx\n'], `chunks of ${size}`);
    }
  });

  test('CRLF lines and leading blank lines', async () => {
    const text = `\r\n${FROM}\r\nSubject: a\r\n\r\nbody\r\n\r\n${FROM}\r\nSubject: b\r\n\r\nend\r\n`;
    for (const size of SIZES) {
      assert.deepEqual(await split(text, size), ['Subject: a\r\n\r\nbody\r\n', 'Subject: b\r\n\r\nend\r\n'], `chunks of ${size}`);
    }
  });

  test('a message over the cap is skipped with its full size, the next one kept', async () => {
    const big = 'x'.repeat(120);
    const text = [FROM, 'Subject: big', '', big, big, '', FROM, 'Subject: small', '', 'ok', ''].join('\n');
    for (const size of SIZES) {
      const skipped: [number, number][] = [];
      const got = await split(text, size, { maxMessageBytes: 200, skipOversize: true, onSkip: (i, bytes) => skipped.push([i, bytes]) });
      assert.deepEqual(got, ['Subject: small\n\nok\n'], `chunks of ${size}`);
      assert.deepEqual(skipped, [[0, FROM.length + 1 + 'Subject: big\n\n'.length + 2 * (big.length + 1) + 1]], `chunks of ${size}`);
      await assert.rejects(split(text, size, { maxMessageBytes: 200 }), /larger than/);
    }
  });

  test('a file cut mid-line is refused', async () => {
    for (const size of SIZES) await assert.rejects(split(`${FROM}\nSubject: a\n\nbody without end`, size), /truncated/);
  });
});
