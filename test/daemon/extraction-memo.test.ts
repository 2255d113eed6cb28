// The triage worker remembers what each message says across judgements of a
// growing thread: the verdicts must be the ones a fresh reading gives, the
// engine must not change a remembered extraction, and the memory stays bounded.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { triageMessages } from '../../src/analyze/triage.js';
import { loadMessages } from '../../src/cli/load.js';
import type { Extraction, Message } from '../../src/core/types.js';
import { ExtractionMemo } from '../../src/daemon/extraction-memo.js';
import { extractMessage } from '../../src/extract/message.js';

const SERIES = join(import.meta.dirname, '..', 'fixtures', 'series');

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('ExtractionMemo', () => {
  for (const file of readdirSync(SERIES).filter((f) => f.endsWith('.mbox'))) {
    it(`judging ${file} as it grows gives the fresh verdicts, and touches no remembered extraction`, async () => {
      const messages = await loadMessages(join(SERIES, file));
      assert.ok(messages.length >= 2);
      // frozen: a rule that wrote into an extraction would throw here (ES modules are strict)
      const memo = new ExtractionMemo(undefined, (m) => deepFreeze(extractMessage(m)));
      for (let n = 1; n <= messages.length; n++) {
        const prefix = messages.slice(0, n);
        const fresh = triageMessages(prefix);
        const remembered = triageMessages(prefix, { extract: memo.extract });
        assert.deepEqual(remembered, fresh, `${file}, first ${n} messages`);
      }
      // every message read once; each later judgement found the earlier ones
      assert.equal(memo.misses, messages.length);
      assert.ok(memo.hits >= (messages.length * (messages.length - 1)) / 2, `hits ${memo.hits}`);
    });
  }

  const msg = (id: string, body: string): Message => ({ ...({} as Message), messageId: id, subject: 's', body });
  const stub = (m: Message) => ({ messageId: m.messageId }) as Extraction;

  it('drops the least recently used past its count', () => {
    const memo = new ExtractionMemo({ entries: 2, bodyChars: 1000 }, stub);
    const [a, b, c] = ['<a>', '<b>', '<c>'].map((id) => msg(id, 'x'));
    memo.extract(a!);
    memo.extract(b!);
    memo.extract(a!); // a is now the most recent
    memo.extract(c!); // b goes
    assert.equal(memo.size, 2);
    const misses = memo.misses;
    memo.extract(a!);
    memo.extract(c!);
    assert.equal(memo.misses, misses);
    memo.extract(b!);
    assert.equal(memo.misses, misses + 1);
  });

  it('keeps the text behind it under its allowance, and does not keep a message bigger than all of it', () => {
    const memo = new ExtractionMemo({ entries: 100, bodyChars: 10 }, stub);
    memo.extract(msg('<a>', '12345'));
    memo.extract(msg('<b>', '12345'));
    assert.equal(memo.size, 2);
    memo.extract(msg('<c>', '123'));
    assert.equal(memo.size, 2); // <a> made room
    memo.extract(msg('<huge>', 'x'.repeat(11)));
    assert.equal(memo.size, 2);
  });

  it('tells apart two messages under one Message-ID with other content', () => {
    const memo = new ExtractionMemo(undefined, stub);
    memo.extract(msg('<a>', 'one body'));
    memo.extract(msg('<a>', 'another body'));
    assert.equal(memo.misses, 2);
  });
});
