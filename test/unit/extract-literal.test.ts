// src/extract/literal.ts: names read from mail matched as text, never as RegExp syntax.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callsName, escapeRegExp, wordAt, wordIn, wordSource } from '../../src/extract/literal.js';

describe('literal matching of names from mail', () => {
  it('escapeRegExp: a symbol that is RegExp syntax matches only itself', () => {
    for (const s of ['foo(', 'foo[', '(a+)+$', 'a.b', '.Lfoo$bar', 'x{2}', 'a|b', 'back\\slash']) {
      const re = new RegExp(escapeRegExp(s));
      assert.ok(re.test(`x ${s} y`), s);
    }
    assert.equal(new RegExp(escapeRegExp('a.b')).test('axb'), false);
  });

  it('wordIn: whole words only, what \\bname\\b means for identifiers', () => {
    assert.equal(wordIn('ret = brisa_get(dev);', 'brisa_get'), true);
    assert.equal(wordIn('ret = brisa_get_all(dev);', 'brisa_get'), false);
    assert.equal(wordIn('ret = __brisa_get(dev);', 'brisa_get'), false);
    assert.equal(wordIn('brisa_get', 'brisa_get'), true);
    assert.equal(wordIn('', 'x'), false);
    assert.equal(wordIn('anything', ''), false);
  });

  it('wordIn: a name that starts or ends with punctuation needs no boundary there', () => {
    assert.equal(wordIn('call foo(bar)', 'foo('), true);
    assert.equal(wordIn('x.Lfoo', '.Lfoo'), true);
    assert.equal(wordIn('ops[0]', 'ops['), true);
  });

  it('wordAt: the later occurrence when the first is inside a longer word', () => {
    assert.equal(wordAt('foobar foo', 'foo'), 7);
    assert.equal(wordAt('foo foo', 'foo', 1), 4);
  });

  it('wordSource: a whole-word pattern for a name, boundaries only at word characters', () => {
    assert.ok(new RegExp(`${wordSource('ret')}\\s*=`).test('\tret = 0;'));
    assert.ok(!new RegExp(`${wordSource('ret')}\\s*=`).test('\tpret = 0;'));
    assert.ok(new RegExp(wordSource('(a+)+$')).test('x (a+)+$ y'));
  });

  it('callsName: the name followed by its argument list', () => {
    assert.equal(callsName('\tdev_err (dev, "x");', 'dev_err'), true);
    assert.equal(callsName('\tdev_err_probe(dev, ret, "x");', 'dev_err'), false);
    assert.equal(callsName('\tx = dev_err;', 'dev_err'), false);
  });

  it('no time lost to a name and a text built to backtrack', () => {
    const text = 'a'.repeat(60_000) + '!';
    const t = performance.now();
    assert.equal(wordIn(text, '(a+)+$'), false);
    assert.equal(wordIn(text, 'a'.repeat(300)), false);
    assert.ok(performance.now() - t < 500);
  });
});
