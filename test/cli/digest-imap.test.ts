// The digest delivered for real and read back: `ktriage digest --to` sends over
// SMTP to smtp-server in this process, which hands each message on over LMTP to
// a throw-away Dovecot (dovecot-lmtpd), the way an MTA delivers; imapflow then
// reads the INBOX of each recipient: multipart/alternative with the chart as an
// inline image by cid, Auto-Submitted, and a Message-ID that is the same for
// the same window and recipient (a second store sending again), different for
// another recipient or window. Skips without Dovecot's IMAP and LMTP servers.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ImapFlow, type MessageStructureObject } from 'imapflow';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { runDigest } from '../../src/cli/digest.js';
import { ensureDist, runCli } from '../helpers/index-cli.js';
import { ensureDovecot, freePort, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { DIGEST_THREADS, DIGEST_WINDOW } from '../helpers/digest-store.js';

const have = ensureDovecot({ lmtp: true });
if (!have) console.log('# skipping the IMAP delivery test: no dovecot-imapd and dovecot-lmtpd (apt-get install them, or run the tests as root)');

const NOW = new Date('2026-12-07T06:00:00Z');
const FROM = 'ktriage <digest@bot.example.org>';

describe('the digest delivered into Dovecot, read back over IMAP', { skip: !have }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-digest-imap-'));
  let dovecot: Dovecot;
  let smtp: SMTPServer;
  let smtpUrl = '';
  const relayed: string[] = [];

  before(async () => {
    ensureDist();
    for (const db of ['a.sqlite', 'b.sqlite'])
      for (const t of DIGEST_THREADS) {
        const r = runCli(['ingest', t, '--db', join(dir, db)]);
        assert.equal(r.code, 0, r.stderr);
      }
    dovecot = await startDovecot({ lmtp: true });
    const lmtp = nodemailer.createTransport({ host: '127.0.0.1', port: dovecot.lmtpPort!, lmtp: true, ignoreTLS: true } as object);
    // the receiving MTA: accept over SMTP, deliver over LMTP, answer only once delivered
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
          lmtp.sendMail({ envelope, raw: Buffer.concat(chunks) }).then(
            () => (relayed.push(...envelope.to), cb()),
            (e: Error) => cb(e),
          );
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((res) => smtp.listen(port, '127.0.0.1', res));
    smtpUrl = `smtp://127.0.0.1:${port}`;
  });
  after(async () => {
    await new Promise<void>((res) => (smtp ? smtp.close(() => res()) : res()));
    await dovecot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function digest(db: string, args: string[]): Promise<string> {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const code = await runDigest(['--db', join(dir, db), '--from', FROM, '--smtp', smtpUrl, ...args], sink, NOW);
    assert.equal(code, 0);
    return out;
  }

  async function inbox(user: string) {
    const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: dovecot.password }, logger: false });
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      const out: { envelope: { messageId?: string; subject?: string }; bodyStructure: MessageStructureObject; headers: string; source: Buffer }[] = [];
      for await (const m of client.fetch('1:*', { envelope: true, bodyStructure: true, headers: true, source: true }))
        out.push({ envelope: m.envelope!, bodyStructure: m.bodyStructure!, headers: m.headers!.toString(), source: m.source! });
      return out;
    } finally {
      await client.logout();
    }
  }

  const leaves = (s: MessageStructureObject): MessageStructureObject[] => (s.childNodes?.length ? s.childNodes.flatMap(leaves) : [s]);

  it('each recipient gets one mail: text and HTML alternatives, the chart inline by cid, Auto-Submitted', async () => {
    const sent = await digest('a.sqlite', [...DIGEST_WINDOW, '--to', 'maint@example.org', '--to', 'lists-bot@example.org']);
    assert.match(sent, /^sent to maint@example\.org, lists-bot@example\.org/);
    assert.deepEqual(relayed, ['maint@example.org', 'lists-bot@example.org']);
    for (const user of ['maint', 'lists-bot']) {
      const got = await inbox(user);
      assert.equal(got.length, 1, user);
      const m = got[0]!;
      assert.match(m.envelope.subject ?? '', /^\[ktriage\] weekly digest 213 days to 2024-06-30$/);
      assert.equal(m.bodyStructure.type, 'multipart/alternative');
      const parts = leaves(m.bodyStructure);
      assert.deepEqual(
        parts.map((p) => p.type),
        ['text/plain', 'text/html', 'image/png'],
      );
      const png = parts[2]!;
      assert.equal(png.id, '<digest-chart@ktriage>');
      assert.equal(png.disposition, 'inline');
      // the HTML part that refers to it is its sibling in a multipart/related
      const related = m.bodyStructure.childNodes!.find((c) => c.type === 'multipart/related');
      assert.ok(related, 'multipart/related around the HTML and its image');
      assert.match(m.source.toString('latin1'), /src=3D"cid:digest-chart@ktriage"|src="cid:digest-chart@ktriage"/);
      assert.match(m.headers, /^Auto-Submitted: auto-generated\r?$/m);
      assert.match(m.headers, /^Delivered-To: /m, 'delivered by Dovecot, not saved by hand');
    }
  });

  it('Message-ID: the same for the same window and recipient, another for another recipient or window', async () => {
    const first = (await inbox('maint'))[0]!.envelope.messageId!;
    const other = (await inbox('lists-bot'))[0]!.envelope.messageId!;
    assert.match(first, /^<ktriage-digest-.+@bot\.example\.org>$/);
    assert.notEqual(first, other);
    // a second store (another host, a rebuilt database) sends the same window to the same address: the same id
    await digest('b.sqlite', [...DIGEST_WINDOW, '--to', 'maint@example.org']);
    // and a different window to the same address
    await digest('a.sqlite', ['--week', '2024-W10', '--to', 'maint@example.org']);
    const ids = (await inbox('maint')).map((m) => m.envelope.messageId!);
    assert.equal(ids.length, 3);
    assert.equal(ids[1], first);
    assert.notEqual(ids[2], first);
  });

  it('the same window to the same recipient from the same store is not delivered twice', async () => {
    const again = await digest('a.sqlite', [...DIGEST_WINDOW, '--to', 'maint@example.org']);
    assert.match(again, /^nothing sent; already sent for /);
    assert.equal((await inbox('maint')).length, 3);
  });
});
