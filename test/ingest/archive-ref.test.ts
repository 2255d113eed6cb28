// How `ktriage thread <arg>` reads its argument: file, stdin or Message-ID (bare
// or in a lore URL), and which archive it then asks.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KtriageError } from '../../src/core/errors.js';
import { chooseInbox, classifyInput, parseArchive, threadMboxUrl } from '../../src/ingest/archive-ref.js';

const ID = '20240108081402.11873-1-tomasz.wierzbicki@larchwood-dev.example';
const none = () => false;

function idOf(arg: string): string {
  const r = classifyInput(arg, none);
  assert.equal(r.kind, 'message-id', arg);
  return (r as { messageId: string }).messageId;
}

describe('classifyInput', () => {
  it('every form b4 accepts names the same Message-ID', () => {
    const forms = [
      `<${ID}>`,
      ID,
      ` ${ID}\n`,
      `id:${ID}`,
      `rfc822msgid:${ID}`,
      ID.replace('@', '%40'),
      `https://lore.kernel.org/r/${ID}`,
      `https://lore.kernel.org/linux-arm-kernel/${ID}/`,
      `https://lore.kernel.org/linux-arm-kernel/${ID}/T/#u`,
      `https://lore.kernel.org/linux-arm-kernel/${ID}/t.mbox.gz`,
      `https://lore.kernel.org/all/${ID.replace('@', '%40')}/raw`,
      `https://lore.kernel.org/linux-arm-kernel/%3C${ID.replace('@', '%40')}%3E/`,
      `http://127.0.0.1:8080/test/${ID}/T/#m1234`,
      `https://patchwork.kernel.org/project/linux-arm-kernel/patch/${ID}/`,
    ];
    for (const f of forms) assert.equal(idOf(f), ID, f);
  });

  it('an encoded "/" inside an id stays inside it', () => {
    assert.equal(idOf('https://lore.kernel.org/linux-mm/reply%2F2-9c1e@larchwood-dev.example/'), 'reply/2-9c1e@larchwood-dev.example');
  });

  it('a URL carries its own server and list; /r/ and a missing list mean "all"', () => {
    const at = (arg: string) => (classifyInput(arg, none) as { inbox?: unknown }).inbox;
    assert.deepEqual(at(`https://lore.kernel.org/linux-mm/${ID}/T/#u`), { base: 'https://lore.kernel.org', list: 'linux-mm' });
    assert.deepEqual(at(`https://lore.kernel.org/r/${ID}`), { base: 'https://lore.kernel.org', list: 'all' });
    assert.deepEqual(at(`https://lore.example.net/${ID}`), { base: 'https://lore.example.net', list: 'all' });
    assert.deepEqual(at(`http://127.0.0.1:8080/pi/test/${ID}/`), { base: 'http://127.0.0.1:8080/pi', list: 'test' });
    assert.equal(at(`https://patchwork.kernel.org/project/linux-arm-kernel/patch/${ID}/`), undefined);
  });

  it('an existing file wins over any reading as an id; "-" is stdin; no "@" is a file name', () => {
    assert.deepEqual(
      classifyInput(ID, (p) => p === ID),
      { kind: 'file', path: ID },
    );
    assert.deepEqual(classifyInput('-', none), { kind: 'stdin' });
    assert.deepEqual(classifyInput('thread.mbox', none), { kind: 'file', path: 'thread.mbox' });
  });

  it('refuses other schemes and URLs or ids that name no message, in one line', () => {
    for (const bad of ['file:///etc/passwd', 'ftp://lore.kernel.org/all/a@b/', 'https://lore.kernel.org/linux-mm/', 'https://lore.kernel.org/all/bad%zz@x/', '<a b@c>', `${'x'.repeat(1000)}@y`]) {
      assert.throws(
        () => classifyInput(bad, none),
        (e: unknown) => e instanceof KtriageError && e.code === 'E_USAGE' && !e.message.includes('\n'),
        bad,
      );
    }
  });
});

describe('choosing the archive', () => {
  const url = { inbox: { base: 'https://lore.kernel.org', list: 'linux-mm' } };
  it('--archive, then KTRIAGE_ARCHIVE, then the URL, then b4.midmask, then lore', () => {
    const midmask = () => 'http://mirror.example:8080/lkml/%s';
    assert.deepEqual(chooseInbox(url, { flag: 'http://127.0.0.1:1/test', env: 'http://e.example/x', midmask }).inbox, { base: 'http://127.0.0.1:1', list: 'test' });
    assert.deepEqual(chooseInbox(url, { env: 'http://e.example/x/', midmask }).inbox, { base: 'http://e.example', list: 'x' });
    assert.deepEqual(chooseInbox(url, { midmask }).inbox, url.inbox);
    assert.deepEqual(chooseInbox({}, { midmask }).inbox, { base: 'http://mirror.example:8080', list: 'lkml' });
    assert.deepEqual(chooseInbox({}, {}), { inbox: { base: 'https://lore.kernel.org', list: 'all' }, from: 'the default archive' });
  });

  it('archive specs: a midmask, an inbox URL, a bare server', () => {
    assert.deepEqual(parseArchive('https://lore.kernel.org/all/%s', 'x'), { base: 'https://lore.kernel.org', list: 'all' });
    assert.deepEqual(parseArchive('https://lore.kernel.org/r/%s', 'x'), { base: 'https://lore.kernel.org', list: 'all' });
    assert.deepEqual(parseArchive('https://lore.kernel.org', 'x'), { base: 'https://lore.kernel.org', list: 'all' });
    assert.deepEqual(parseArchive('http://127.0.0.1:8080/mirror/linux-mm/', 'x'), { base: 'http://127.0.0.1:8080/mirror', list: 'linux-mm' });
    for (const bad of ['file:///srv/lore/%s', 'lore.kernel.org', 'https://lore.kernel.org/all/?q=x']) {
      assert.throws(
        () => parseArchive(bad, '--archive'),
        (e: unknown) => e instanceof KtriageError && e.code === 'E_USAGE' && /^--archive: /.test(e.message),
        bad,
      );
    }
  });

  it('the thread URL escapes the id as one path segment', () => {
    assert.equal(threadMboxUrl({ base: 'https://lore.kernel.org', list: 'all' }, ID), `https://lore.kernel.org/all/${ID}/t.mbox.gz`);
    assert.equal(threadMboxUrl({ base: 'http://h', list: 'test' }, 'a/b?c#d@e'), 'http://h/test/a%2Fb%3Fc%23d@e/t.mbox.gz');
  });
});
