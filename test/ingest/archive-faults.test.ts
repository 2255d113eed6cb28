// An archive server that misbehaves: each fault is one clear line and exit 1
// from `ktriage thread <msgid>`, never a stack trace or a hang. The server is a
// small node:http one in this process on a loopback port, scripted per path.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { KtriageError } from '../../src/core/errors.js';
import { archiveThreadMails } from '../../src/ingest/archive.js';
import { ensureDist } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';

const THREAD = readFileSync(join(REPO, 'test', 'fixtures', 'archive', 'larch-ic-thread.mbox'));
const THREAD_GZ = gzipSync(THREAD);
const ID = '20240108081402.11873-1-tomasz.wierzbicki@larchwood-dev.example';

/** 300 MiB of mbox text in 1.8 MB of gzip: past LIMITS.maxArchiveThreadBytes (256 MiB). */
function gzipBomb(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const g = createGzip({ level: 1 });
    const parts: Buffer[] = [];
    g.on('data', (c: Buffer) => parts.push(c));
    g.on('end', () => resolve(Buffer.concat(parts)));
    g.on('error', reject);
    const mib = Buffer.alloc(1024 * 1024, 'a'.repeat(1023) + '\n');
    g.write(`From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: A <a@example.org>\nSubject: [PATCH] x\nMessage-ID: <${ID}>\n\n`);
    for (let i = 0; i < 300; i++) g.write(mib);
    g.end();
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const e: NodeJS.ProcessEnv = { ...process.env, KTRIAGE_ARCHIVE: '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...env };
    delete e.KTRIAGE_DEBUG;
    execFile(process.execPath, [join(REPO, 'bin', 'ktriage.js'), ...args], { env: e, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('an archive server that misbehaves', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<Socket>();
  const routes = new Map<string, Handler>();
  let bomb: Buffer;

  before(async () => {
    ensureDist();
    bomb = await gzipBomb();
    server = createServer((req, res) => {
      const list = (req.url ?? '').split('/')[1] ?? '';
      const h = routes.get(list);
      if (h) h(req, res);
      else res.writeHead(404).end('not found');
    });
    server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const gz = (body: Buffer) => (_: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
    routes.set('good', gz(THREAD_GZ));
    routes.set('hang', () => undefined);
    routes.set('stall', (_, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': THREAD_GZ.length });
      res.write(THREAD_GZ.subarray(0, 20));
    });
    routes.set('trickle', (_, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      let i = 0;
      const t = setInterval(() => (i < THREAD_GZ.length ? res.write(THREAD_GZ.subarray(i, ++i)) : (clearInterval(t), res.end())), 50);
      res.on('close', () => clearInterval(t));
    });
    routes.set('html', (_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Service Unavailable</body></html>'));
    routes.set('gzhtml', gz(gzipSync('<!DOCTYPE html><html><body><p>hello</p></body></html>\n'.repeat(5))));
    routes.set('truncated', gz(THREAD_GZ.subarray(0, Math.floor(THREAD_GZ.length / 2))));
    routes.set('cut', (_, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': THREAD_GZ.length });
      res.write(THREAD_GZ.subarray(0, 100), () => res.socket?.destroy());
    });
    routes.set('bomb', (_, res) => res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': bomb.length }).end(bomb));
    routes.set('error', (_, res) => res.writeHead(503, { 'retry-after': '60' }).end('overloaded'));
    routes.set('to-file', (_, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    routes.set('loop', (req, res) => res.writeHead(301, { location: req.url ?? '/' }).end());
    // lore's /r/<id> sends the client to the list that holds the message
    routes.set('r', (req, res) => res.writeHead(302, { location: (req.url ?? '').replace(/^\/r\//, '/good/') }).end());
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const expectOneLine = (r: { code: number; stdout: string; stderr: string }, re: RegExp) => {
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^ktriage: [^\n]+\n$/);
    assert.match(r.stderr, re);
  };

  it('a well-behaved answer is read (a lore URL, asked of the --archive mirror), and a redirect like lore /r/ is followed', async () => {
    const fromMirror = await run(['thread', `${base}/x/${ID}/`, '--archive', `${base}/good`, '--no-index', '--format', 'json']);
    assert.equal(fromMirror.code, 0, fromMirror.stderr);
    assert.equal(JSON.parse(fromMirror.stdout).verdict, 'hides');
    const mails: string[] = [];
    for await (const m of archiveThreadMails({ base, list: 'r' }, ID)) mails.push(m.origin.path);
    assert.equal(mails.length, 3);
    assert.match(mails[0]!, /\/good\/.*\/t\.mbox\.gz$/, 'the origin names the URL that answered');
  });

  it('a server that never answers: timed out, within --timeout', async () => {
    const r = await run(['thread', ID, '--archive', `${base}/hang`, '--timeout', '0.5', '--no-index']);
    expectOneLine(r, /\/hang\/.*: the archive did not answer within 0\.5 s/);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });

  it('a server that stops sending halfway: timed out', async () => {
    const r = await run(['thread', ID, '--archive', `${base}/stall`, '--timeout', '0.5', '--no-index']);
    expectOneLine(r, /the archive stopped sending for 0\.5 s; the thread was not fully read/);
  });

  it('a server that trickles forever is cut at the total time limit', async () => {
    await assert.rejects(
      async () => {
        for await (const _ of archiveThreadMails({ base, list: 'trickle' }, ID, { totalTimeoutMs: 400 })) void _;
      },
      (e: unknown) => e instanceof KtriageError && e.code === 'E_NETWORK' && /did not finish answering within 0\.4 s/.test(e.message),
    );
  });

  it('garbage, an HTML page, a gzip of HTML: not a gzipped mbox', async () => {
    expectOneLine(await run(['thread', ID, '--archive', `${base}/html`, '--no-index']), /: the archive answered text\/html \(\d+ bytes\), not a gzipped mbox\n$/);
    expectOneLine(await run(['thread', ID, '--archive', `${base}/gzhtml`, '--no-index']), /gzhtml\/.*t\.mbox\.gz: the archive's answer is not an mbox \(a web page, but not a mail archive page\)\n$/);
  });

  it('a truncated gzip, and a connection closed before Content-Length', async () => {
    expectOneLine(await run(['thread', ID, '--archive', `${base}/truncated`, '--no-index']), /\/truncated\/.*t\.mbox\.gz: truncated gzip stream\n$/);
    expectOneLine(await run(['thread', ID, '--archive', `${base}/cut`, '--no-index']), /closed the connection before the thread was fully read\n$/);
  });

  it('a gzip bomb stops at the bound in limits.ts', async () => {
    const r = await run(['thread', ID, '--archive', `${base}/bomb`, '--no-index']);
    expectOneLine(r, /\/bomb\/.*t\.mbox\.gz: expands to more than 256 MiB; refusing to read further\n$/);
  });

  it('HTTP errors, a redirect to file://, a redirect loop', async () => {
    expectOneLine(await run(['thread', ID, '--archive', `${base}/error`, '--no-index']), /: the archive answered HTTP 503\n$/);
    expectOneLine(await run(['thread', ID, '--archive', `${base}/to-file`, '--no-index']), /: redirected to file:… \(file:\/\/\/etc\/passwd\); only http and https are followed\n$/);
    expectOneLine(await run(['thread', ID, '--archive', `${base}/loop`, '--no-index']), /: more than 5 redirects \(a loop\?\); stopped at /);
    expectOneLine(await run(['thread', ID, '--archive', `${base}/nothing`, '--no-index']), new RegExp(`^ktriage: no such message on that archive: <${ID.replace(/\./g, '\\.')}> \\(`));
  });

  it('an archive URL or input that is not http(s) is refused before anything is fetched', async () => {
    const r = await run(['thread', ID, '--archive', 'file:///srv/lore/all/%s', '--no-index']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ktriage: --archive: "file:\/\/\/srv\/lore\/all\/%s" is not an http or https URL\n$/);
    const u = await run(['thread', `file:///tmp/${ID}/t.mbox.gz`, '--no-index']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /^ktriage: file:\/\/\/tmp\/.*: only http and https archive URLs are read \(not file:\)\n$/);
    const t = await run(['thread', ID, '--archive', `${base}/good`, '--timeout', 'soon', '--no-index']);
    assert.equal(t.code, 2);
    assert.match(t.stderr, /--timeout must be a number of seconds/);
  });
});
