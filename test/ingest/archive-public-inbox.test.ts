// `ktriage thread <msgid | lore URL>` against a real public-inbox-httpd serving
// a v2 inbox built from fixture mail (two threads): every form of the id
// resolves to the same thread, judged as the same thread read from a file;
// 404 is one line; b4 pointed at the same server sees the same messages.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { archiveThreadMails } from '../../src/ingest/archive.js';
import { parseMail } from '../../src/mail/parse.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';
import { ensureDebianPackage, startPublicInbox, type PublicInbox } from '../helpers/public-inbox.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'archive');
const THREAD = join(FIXTURES, 'larch-ic-thread.mbox');
const ROOT_ID = '20240108081402.11873-1-tomasz.wierzbicki@larchwood-dev.example';
const THREAD_IDS = [ROOT_ID, 'ZZvB3xk7Qa1m9sTe@greta-x1.example', 'reply/2-9c1e@larchwood-dev.example'].map((i) => `<${i}>`).sort();

const skipPi = ensureDebianPackage('public-inbox', 'public-inbox-httpd');
if (skipPi) process.stderr.write(`# skipping the public-inbox tests: ${skipPi}\n`);

/** No archive chosen by the machine running the tests: no KTRIAGE_ARCHIVE, no git config b4.midmask. */
const CLEAN_ENV = { KTRIAGE_ARCHIVE: '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_COUNT: '0' };

describe('thread by Message-ID from a public-inbox server', { skip: skipPi }, () => {
  let pi: PublicInbox;
  let fromFile: string;
  before(async () => {
    ensureDist();
    pi = await startPublicInbox([THREAD, join(FIXTURES, 'other-traffic.mbox')]);
    const r = runCli(['thread', THREAD, '--format', 'json', '--no-index'], { env: CLEAN_ENV });
    assert.equal(r.code, 0, r.stderr);
    fromFile = r.stdout;
  });
  after(async () => {
    await pi?.stop();
  });

  it('fetches exactly the thread, nothing of the other one on the list', async () => {
    const ids: string[] = [];
    for await (const raw of archiveThreadMails({ base: pi.server, list: pi.name }, ROOT_ID)) ids.push((await parseMail(raw)).messageId);
    assert.deepEqual(ids.sort(), THREAD_IDS);
  });

  it('every form of the id, with --archive, gives the verdict the file gives', () => {
    const enc = ROOT_ID.replace('@', '%40');
    const forms = [
      `<${ROOT_ID}>`,
      ROOT_ID,
      `id:${ROOT_ID}`,
      enc,
      `https://lore.kernel.org/r/${ROOT_ID}`,
      `https://lore.kernel.org/linux-arm-kernel/${ROOT_ID}/`,
      `https://lore.kernel.org/linux-arm-kernel/${ROOT_ID}/T/#u`,
      `https://lore.kernel.org/linux-arm-kernel/${enc}/t.mbox.gz`,
      // a reply's id names the same thread, its '/' encoded in URLs
      '<reply/2-9c1e@larchwood-dev.example>',
      `https://lore.kernel.org/linux-arm-kernel/reply%2F2-9c1e@larchwood-dev.example/`,
    ];
    for (const form of forms) {
      const r = runCli(['thread', form, '--archive', pi.inboxUrl, '--format', 'json', '--no-index'], { env: CLEAN_ENV });
      assert.equal(r.code, 0, `${form}: ${r.stderr}`);
      assert.equal(r.stderr, '', form);
      assert.equal(r.stdout, fromFile, form);
    }
  });

  it('the server comes from the URL itself, KTRIAGE_ARCHIVE, or b4.midmask', () => {
    const own = runCli(['thread', `${pi.inboxUrl}/${ROOT_ID}/T/#u`, '--format', 'json', '--no-index'], { env: CLEAN_ENV });
    assert.equal(own.code, 0, own.stderr);
    assert.equal(own.stdout, fromFile);
    const env = runCli(['thread', ROOT_ID, '--format', 'json', '--no-index'], { env: { ...CLEAN_ENV, KTRIAGE_ARCHIVE: `${pi.inboxUrl}/` } });
    assert.equal(env.code, 0, env.stderr);
    assert.equal(env.stdout, fromFile);
    const b4 = runCli(['thread', `<${ROOT_ID}>`, '--format', 'json', '--no-index'], {
      env: { ...CLEAN_ENV, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'b4.midmask', GIT_CONFIG_VALUE_0: `${pi.inboxUrl}/%s` },
    });
    assert.equal(b4.code, 0, b4.stderr);
    assert.equal(b4.stdout, fromFile);
  });

  it('text and markdown come out as for the file', () => {
    for (const format of ['text', 'markdown']) {
      const file = runCli(['thread', THREAD, '--format', format, '--no-index'], { env: CLEAN_ENV });
      const net = runCli(['thread', ROOT_ID, '--archive', pi.inboxUrl, '--format', format, '--no-index'], { env: CLEAN_ENV });
      assert.equal(net.code, 0, net.stderr);
      assert.equal(net.stdout, file.stdout, format);
    }
  });

  it('an unknown Message-ID: "no such message on that archive", one line, exit 1', () => {
    const r = runCli(['thread', '<nothing-here.42@nowhere.example>', '--archive', pi.inboxUrl, '--no-index'], { env: CLEAN_ENV });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `ktriage: no such message on that archive: <nothing-here.42@nowhere.example> (${pi.inboxUrl}/nothing-here.42@nowhere.example/t.mbox.gz)\n`);
  });

  it('a server that is not running: connection refused, one line', async () => {
    const r = runCli(['thread', ROOT_ID, '--archive', 'http://127.0.0.1:9/test', '--no-index'], { env: CLEAN_ENV });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ktriage: http:\/\/127\.0\.0\.1:9\/test\/.*\/t\.mbox\.gz: connection refused \(is the archive server running\?\)\n$/);
  });

  const skipB4 = skipPi ?? ensureDebianPackage('b4', 'b4');
  it('b4 mbox, pointed at the same server (b4.midmask), sees the same Message-IDs', { skip: skipB4 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'ktriage-b4-'));
    try {
      const env = {
        ...process.env,
        ...CLEAN_ENV,
        HOME: home,
        XDG_CACHE_HOME: join(home, 'cache'),
        GIT_CONFIG_COUNT: '3',
        GIT_CONFIG_KEY_0: 'b4.midmask',
        GIT_CONFIG_VALUE_0: `${pi.inboxUrl}/%s`,
        GIT_CONFIG_KEY_1: 'user.name',
        GIT_CONFIG_VALUE_1: 'Test Runner',
        GIT_CONFIG_KEY_2: 'user.email',
        GIT_CONFIG_VALUE_2: 'runner@example.org',
      };
      const r = spawnSync('b4', ['mbox', '-C', '-o', '-', ROOT_ID], { cwd: home, env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const b4Ids = [...r.stdout.matchAll(/^Message-ID:\s*(<[^>]+>)/gim)].map((m) => m[1]!).sort();
      const ours: string[] = [];
      for await (const raw of archiveThreadMails({ base: pi.server, list: pi.name }, ROOT_ID)) ours.push((await parseMail(raw)).messageId);
      assert.deepEqual(b4Ids, ours.sort());
      assert.deepEqual(b4Ids, THREAD_IDS);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
