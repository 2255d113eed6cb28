// splitThreads: a stream of list mail into its threads, by Message-ID links,
// and a reply without headers by its topic; no recursion, whatever the depth.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitThreads } from '../../src/mail/split-threads.js';
import { makeMessage } from '../helpers/unit.js';

const m = (id: string, subject: string, refs: string[] = []) =>
  makeMessage({ messageId: `<${id}>`, subject, references: refs.map((r) => `<${r}>`), inReplyTo: refs.length ? `<${refs[refs.length - 1]}>` : undefined });

describe('splitThreads', () => {
  it('groups by references, keeps unrelated mail apart, and joins a headerless reply by topic', () => {
    const threads = splitThreads([
      m('a', '[PATCH] foo: fix x'),
      m('b', '[PATCH] bar: fix y'),
      m('c', 'Re: [PATCH] foo: fix x', ['a']),
      m('d', 'Re: [PATCH] foo: fix x', ['a', 'c']),
      m('e', 'Re: [PATCH] bar: fix y'),
      m('f', 'Re: [PATCH] baz: lost parent', ['gone@x']),
      m('g', 'Re: [PATCH] baz: lost parent', ['gone@x']),
    ]);
    assert.deepEqual(
      threads.map((t) => t.map((x) => x.messageId.slice(1, -1)).join('')),
      ['acd', 'be', 'fg'],
    );
  });

  it('a chain 50,000 deep is one thread, split without recursion', () => {
    const chain = Array.from({ length: 50_000 }, (_, i) => m(`n${i}`, 'Re: [PATCH] deep', i ? [`n${i - 1}`] : []));
    const threads = splitThreads(chain.reverse());
    assert.equal(threads.length, 1);
    assert.equal(threads[0]!.length, 50_000);
  });
});
