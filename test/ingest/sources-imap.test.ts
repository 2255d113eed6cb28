// The IMAP source against a real Dovecot started by the test on a loopback
// port: ingest a folder, deliver more, ingest only the new; a recreated folder
// (new UIDVALIDITY); groups; IDLE delivery and a server restart mid-IDLE;
// wrong password, nothing listening, a connection cut mid-FETCH; and the CLI.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { KtriageError } from '../../src/core/errors.js';
import { readMails } from '../../src/ingest/read.js';
import { imapPassword, imapSource, netrcPassword, parseImapUrl, type ImapSourceOptions, type ImapTarget } from '../../src/ingest/sources/imap.js';
import type { SourceItem } from '../../src/ingest/sources/source.js';
import { ensureDovecot, freePort, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/imap/wren-spi.mbox');
const tmp = mkdtempSync(join(tmpdir(), 'ktriage-imap-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const messageId = (bytes: Buffer) => /^Message-ID:\s*(<[^>]+>)/im.exec(bytes.toString('latin1'))?.[1];
const mailIds = (items: SourceItem[]) => items.filter((i) => i.kind === 'mail').map((i) => (i.kind === 'mail' ? messageId(i.raw.bytes) : undefined));

async function fixtureMails(): Promise<string[]> {
  const out: string[] = [];
  for await (const m of readMails(FIXTURE)) out.push(m.bytes.toString('utf8'));
  return out;
}

/** a list mail of about `pad` bytes, Message-ID <gen-n@example.org> */
function generated(n: number, pad = 200): string {
  const body = `The FIFO depth differs on rev ${n}; this keeps the old value.\n`.repeat(Math.ceil(pad / 60));
  return `From: Dev ${n} <dev${n}@example.org>\nTo: linux-spi@vger.kernel.org\nSubject: [PATCH] spi: wren: note ${n}\nDate: Wed, 13 Mar 2024 10:00:00 +0000\nMessage-ID: <gen-${n}@example.org>\nList-Id: <linux-spi.vger.kernel.org>\n\n${body}`;
}

async function collect(it: AsyncIterable<SourceItem>): Promise<{ items: SourceItem[]; checkpoint: string | undefined }> {
  const items: SourceItem[] = [];
  for await (const i of it) items.push(i);
  return { items, checkpoint: items.at(-1)?.checkpoint };
}

async function waitFor(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP proxy to the server that cuts a connection once `cutAfter(n)` server bytes have passed (n = connection number). */
function cuttingProxy(port: number, cutAfter: (n: number) => number): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, connections: 0, close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))) };
  const server: Server = createServer((client) => {
    const limit = cutAfter(state.connections++);
    const upstream = createConnection({ host: '127.0.0.1', port });
    sockets.add(client).add(upstream);
    let passed = 0;
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => {
      passed += d.length;
      if (passed > limit) {
        client.destroy();
        upstream.destroy();
      } else client.write(d);
    });
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(state, { port: (server.address() as AddressInfo).port }))));
}

describe('imap:// URLs and passwords (no server)', () => {
  test('a URL names user, host, port and folder; a password in it is refused', () => {
    assert.deepEqual(parseImapUrl('imap://list-reader@mail.example.org:1143/lists/linux-spi'), { secure: false, host: 'mail.example.org', port: 1143, user: 'list-reader', folder: 'lists/linux-spi' });
    assert.deepEqual(parseImapUrl('imaps://me%40example.org@mail.example.org'), { secure: true, host: 'mail.example.org', port: 993, user: 'me@example.org', folder: 'INBOX' });
    assert.throws(
      () => parseImapUrl('imap://me:hunter2@mail.example.org/INBOX'),
      (e: KtriageError) => e.code === 'E_USAGE' && /process list/.test(e.message) && !e.message.includes('hunter2'),
    );
    assert.throws(() => parseImapUrl('imap://mail.example.org/INBOX'), /no user name/);
  });

  test('the password comes from KTRIAGE_IMAP_PASSWORD, else the netrc entry for host and user', () => {
    const t: ImapTarget = { secure: false, host: 'mail.example.org', port: 143, user: 'reader', folder: 'INBOX' };
    assert.equal(imapPassword(t, { KTRIAGE_IMAP_PASSWORD: 'from-env' }), 'from-env');
    const netrc = join(tmp, 'netrc');
    writeFileSync(
      netrc,
      'machine other.example.org login reader password wrong\nmachine mail.example.org\n  login someone-else password no\nmachine mail.example.org login reader password right-one\ndefault login x password y\n',
    );
    assert.equal(imapPassword(t, { KTRIAGE_NETRC: netrc }), 'right-one');
    assert.equal(netrcPassword('default password fallback', 'any.example.org', 'u'), 'fallback');
    assert.throws(
      () => imapPassword(t, { KTRIAGE_NETRC: join(tmp, 'none') }),
      (e: KtriageError) => e.code === 'E_USAGE' && /KTRIAGE_IMAP_PASSWORD/.test(e.message),
    );
  });
});

const haveDovecot = ensureDovecot();

describe('the IMAP source against Dovecot', { skip: haveDovecot ? false : 'dovecot-imapd is not installed (run as root to let the test install it)' }, () => {
  let dc: Dovecot;
  let users = 0;
  before(async () => {
    dc = await startDovecot();
  });
  after(async () => {
    await dc?.close();
  });
  const newUser = () => `reader${users++}`;
  const target = (user: string, folder = 'INBOX', port = dc.port): ImapTarget => ({ secure: false, host: dc.host, port, user, folder });
  const open = (user: string, opts: Partial<ImapSourceOptions> & { folder?: string; port?: number; notices?: string[] } = {}) =>
    imapSource(target(user, opts.folder, opts.port), { password: dc.password, notice: (l) => opts.notices?.push(l), backoffMs: 100, ...opts });
  async function client(user: string): Promise<ImapFlow> {
    const c = new ImapFlow({ host: dc.host, port: dc.port, secure: false, auth: { user, pass: dc.password }, logger: false, disableAutoIdle: true });
    await c.connect();
    return c;
  }
  async function append(user: string, folder: string, mails: string[]): Promise<void> {
    const c = await client(user);
    try {
      if (folder !== 'INBOX') await c.mailboxCreate(folder).catch(() => {});
      for (const m of mails) await c.append(folder, m);
    } finally {
      await c.logout();
    }
  }

  test('a folder is read whole, then only the mail delivered since; a rerun at the end reads nothing', async () => {
    const user = newUser();
    const mails = await fixtureMails();
    await append(user, 'INBOX', mails.slice(0, 2));
    const src = open(user);
    const first = await collect(src.pull(undefined));
    assert.deepEqual(mailIds(first.items), ['<202403110602.Wr3nXq9B-lkp@intel.com>', '<20240311084051.11872-1-mholt@example.org>']);
    const item = first.items[1]!;
    assert.equal(item.kind === 'mail' && item.raw.origin.kind, 'imap');
    assert.match(item.kind === 'mail' ? item.raw.bytes.toString() : '', /\+#include <linux\/io-64-nonatomic-lo-hi.h>/);
    await append(user, 'INBOX', mails.slice(2));
    const second = await collect(src.pull(first.checkpoint));
    assert.deepEqual(mailIds(second.items), ['<Ze8D3qL0aPv1n2Xc@finisterre.example.org>', '<20240312142033.4410-1-porlik@example.net>']);
    const third = await collect(src.pull(second.checkpoint));
    assert.equal(third.items.length, 0);
  });

  test('many messages come in groups bounded by count and bytes, once each, in UID order', async () => {
    const user = newUser();
    await append(
      user,
      'INBOX',
      Array.from({ length: 23 }, (_, n) => generated(n, n % 5 === 0 ? 3000 : 200)),
    );
    const r = await collect(open(user, { groupMessages: 4, groupBytes: 2000 }).pull(undefined));
    assert.deepEqual(
      mailIds(r.items),
      Array.from({ length: 23 }, (_, n) => `<gen-${n}@example.org>`),
    );
    const uids = r.items.map((i) => JSON.parse(i.checkpoint).uid as number);
    assert.deepEqual(
      uids,
      [...uids].sort((a, b) => a - b),
    );
    assert.equal(new Set(uids).size, 23);
  });

  test('a recreated folder (new UIDVALIDITY) is read again from the start, said in one line', async () => {
    const user = newUser();
    const mails = await fixtureMails();
    await append(user, 'lists/spi', mails.slice(0, 2));
    const notices: string[] = [];
    const src = open(user, { folder: 'lists/spi', notices });
    const first = await collect(src.pull(undefined));
    assert.equal(first.items.length, 2);
    const c = await client(user);
    await c.mailboxDelete('lists/spi');
    await c.mailboxCreate('lists/spi');
    await c.logout();
    await append(user, 'lists/spi', [mails[0]!, mails[3]!]);
    const again = await collect(src.pull(first.checkpoint));
    assert.notEqual(JSON.parse(again.checkpoint!).uidValidity, JSON.parse(first.checkpoint!).uidValidity);
    assert.deepEqual(mailIds(again.items), ['<202403110602.Wr3nXq9B-lkp@intel.com>', '<20240312142033.4410-1-porlik@example.net>']);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, /UIDVALIDITY changed .* reading it again from the start/);
  });

  test('wrong password, nothing listening, no such folder: one clear error each, not retried', async () => {
    const user = newUser();
    await append(user, 'INBOX', [generated(1)]);
    await assert.rejects(
      collect(imapSource(target(user), { password: 'not-it' }).pull(undefined)),
      (e: KtriageError) => e.code === 'E_USAGE' && /login refused for "reader\d+"/.test(e.message) && !e.message.includes('not-it'),
    );
    const port = await freePort();
    const t0 = Date.now();
    await assert.rejects(collect(open(user, { port }).pull(undefined)), (e: KtriageError) => e.code === 'E_IO' && /connection refused/.test(e.message));
    assert.ok(Date.now() - t0 < 3000);
    await assert.rejects(collect(open(user, { folder: 'lists/none' }).pull(undefined)), (e: KtriageError) => e.code === 'E_NOT_FOUND' && /no folder "lists\/none"/.test(e.message));
  });

  test('a connection cut mid-FETCH is reconnected; every message arrives once', async () => {
    const user = newUser();
    await append(
      user,
      'INBOX',
      Array.from({ length: 30 }, (_, n) => generated(n, 4000)),
    );
    // the first connection dies after ~40 KB of answers: inside the FETCH of the second group
    const proxy = await cuttingProxy(dc.port, (n) => (n === 0 ? 40_000 : Infinity));
    const notices: string[] = [];
    try {
      const r = await collect(open(user, { port: proxy.port, groupMessages: 5, notices }).pull(undefined));
      assert.deepEqual(
        mailIds(r.items),
        Array.from({ length: 30 }, (_, n) => `<gen-${n}@example.org>`),
      );
      assert.equal(proxy.connections, 2);
      assert.equal(notices.length, 1);
      assert.match(notices[0]!, /reconnecting in/);
    } finally {
      await proxy.close();
    }
  });

  test('a server that keeps cutting: pull gives up in one error, and its last checkpoint resumes with nothing lost or repeated', async () => {
    const user = newUser();
    await append(
      user,
      'INBOX',
      Array.from({ length: 30 }, (_, n) => generated(n, 4000)),
    );
    // the first connection gets two groups through, the later ones die before their first group
    let cut = true;
    const proxy = await cuttingProxy(dc.port, (n) => (!cut ? Infinity : n === 0 ? 50_000 : 8_000));
    const seen: SourceItem[] = [];
    try {
      await assert.rejects(
        (async () => {
          for await (const i of open(user, { port: proxy.port, groupMessages: 5, retries: 2 }).pull(undefined)) seen.push(i);
        })(),
        (e: KtriageError) => e.code === 'E_IO' && /connection/.test(e.message),
      );
      assert.ok(seen.length > 0 && seen.length < 30, `${seen.length} items before giving up`);
      // the same server again (the checkpoint names it), now without cuts
      cut = false;
      const rest = await collect(open(user, { port: proxy.port }).pull(seen.at(-1)!.checkpoint));
      assert.deepEqual(
        [...mailIds(seen), ...mailIds(rest.items)],
        Array.from({ length: 30 }, (_, n) => `<gen-${n}@example.org>`),
      );
    } finally {
      await proxy.close();
    }
  });

  test('watch: mail delivered while idling arrives in seconds; a server restart mid-IDLE loses and repeats nothing', { timeout: 60_000 }, async () => {
    const user = newUser();
    dc.save(user, 'INBOX', generated(100));
    const notices: string[] = [];
    const ac = new AbortController();
    const got: SourceItem[] = [];
    const src = open(user, { notices, maxBackoffMs: 1000 });
    const done = (async () => {
      for await (const i of src.watch(undefined, { signal: ac.signal })) got.push(i);
    })();
    try {
      await waitFor('the mail already there', () => got.length === 1, 10_000);
      await new Promise((r) => setTimeout(r, 500)); // idling now
      const t0 = Date.now();
      dc.save(user, 'INBOX', generated(101));
      await waitFor('mail delivered during IDLE', () => got.length === 2, 5_000);
      assert.ok(Date.now() - t0 < 5_000);

      await dc.stop();
      try {
        dc.dropIntoMaildir(user, generated(102)); // delivered while the server is down
      } finally {
        await dc.start();
      }
      dc.save(user, 'INBOX', generated(103));
      await waitFor('the mail from around the restart', () => got.length >= 4, 20_000);
      await new Promise((r) => setTimeout(r, 500));
      // the file dropped while the server was down gets its UID when Dovecot next scans new/: order may vary
      assert.deepEqual(
        mailIds(got).sort(),
        [100, 101, 102, 103].map((n) => `<gen-${n}@example.org>`),
      );
      assert.ok(
        notices.some((l) => /reconnecting in/.test(l)),
        notices.join('\n'),
      );
    } finally {
      ac.abort();
      await done;
    }
  });

  describe('through the CLI', () => {
    before(() => ensureDist());
    const url = (user: string) => `imap://${user}@127.0.0.1:${dc.port}/INBOX`;
    const countMessages = (db: string) => {
      const d = new Database(db, { readonly: true });
      try {
        return (d.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      } finally {
        d.close();
      }
    };

    test('ktriage ingest imap://…: the folder, then only the new; the password from the environment or a netrc file', async () => {
      const user = newUser();
      const mails = await fixtureMails();
      await append(user, 'INBOX', mails.slice(0, 3));
      const db = join(tmp, 'cli.sqlite');
      const env = { KTRIAGE_IMAP_PASSWORD: dc.password };
      const r = runCli(['ingest', url(user), '--db', db, '--no-index'], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ingest imap:\/\/reader\d+@127\.0\.0\.1:\d+\/INBOX: 3 read, 3 new, 0 already stored, 0 skipped; 1 threads changed, 1 judged/);
      await append(user, 'INBOX', mails.slice(3));
      const netrc = join(tmp, 'cli-netrc');
      writeFileSync(netrc, `machine 127.0.0.1 login ${user} password ${dc.password}\n`, { mode: 0o600 });
      const again = runCli(['ingest', url(user), '--db', db, '--no-index'], { env: { KTRIAGE_NETRC: netrc } });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /: 1 read, 1 new, 0 already stored/);
      assert.equal(countMessages(db), 4);
      const none = runCli(['ingest', url(user), '--db', db, '--no-index'], { env });
      assert.match(none.stdout, /: 0 read, 0 new/);
    });

    test('wrong password and nothing listening: one line, nonzero, nothing stored', async () => {
      const user = newUser();
      const db = join(tmp, 'cli-bad.sqlite');
      for (const [r, pattern] of [
        [runCli(['ingest', url(user), '--db', db, '--no-index'], { env: { KTRIAGE_IMAP_PASSWORD: 'not-it' } }), /login refused/],
        [runCli(['ingest', `imap://${user}@127.0.0.1:${await freePort()}/INBOX`, '--db', db, '--no-index'], { env: { KTRIAGE_IMAP_PASSWORD: 'x' } }), /connection refused/],
        [runCli(['ingest', url(user), '--db', db, '--no-index'], { env: { KTRIAGE_NETRC: join(tmp, 'absent'), HOME: tmp } }), /no password: set KTRIAGE_IMAP_PASSWORD/],
      ] as const) {
        assert.notEqual(r.code, 0);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, /^ktriage: /);
        assert.match(r.stderr, pattern);
      }
    });
  });
});
