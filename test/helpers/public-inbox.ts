// A real public-inbox (Debian's `public-inbox`, the software behind lore) for
// the tests: a v2 inbox built in a temp dir from fixture mboxes, served by
// public-inbox-httpd on a free loopback port, stopped and removed after.
// Nothing outside the temp dir is touched (PI_CONFIG, PI_DIR and HOME point
// into it). When the package is missing it is installed with apt-get if we
// are root; otherwise the caller gets a reason to skip.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answers, freePort } from './net.js';

export interface PublicInbox {
  /** http://127.0.0.1:PORT */
  server: string;
  /** http://127.0.0.1:PORT/<name> */
  inboxUrl: string;
  name: string;
  root: string;
  stop(): Promise<void>;
}

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** apt-get install when root and missing; the reason to skip when it cannot be had. */
export function ensureDebianPackage(pkg: string, command: string): string | undefined {
  if (have(command)) return undefined;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !have('apt-get')) return `${command} missing (Debian package ${pkg}; run as root to let the tests install it)`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', pkg], { env, stdio: 'ignore', timeout: 600_000 }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore', timeout: 600_000 });
    install();
  }
  return have(command) ? undefined : `${command} missing and apt-get could not install ${pkg}`;
}

// public-inbox 1.9 has no mbox import command; its library does it (V2Writable
// indexes while importing), as upstream's scripts/import_vger_from_mbox.
const IMPORT_PERL = `
use strict;
use PublicInbox::Config;
use PublicInbox::InboxWritable;
my ($name, @files) = @ARGV;
my $ibx = PublicInbox::Config->new->lookup_name($name) or die "no inbox $name\\n";
$ibx = PublicInbox::InboxWritable->new($ibx);
for my $f (@files) { open my $fh, '<', $f or die "$f: $!\\n"; $ibx->import_mbox($fh, 'mboxrd'); }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().slice(0, 500)}`);
}

/** Build the inbox `name` from `mboxes` and serve it; throws when the server cannot start. */
export async function startPublicInbox(mboxes: string[], name = 'test', address = `${name}@example.org`): Promise<PublicInbox> {
  const root = mkdtempSync(join(tmpdir(), 'ktriage-pi-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PI_CONFIG: join(root, 'config'), PI_DIR: join(root, '.public-inbox'), HOME: root };
  let child: ChildProcess | undefined;
  try {
    // -L basic: the overview database (Message-ID lookup, threading) without Xapian; all t.mbox.gz needs
    run('public-inbox-init', ['-V2', '-L', 'basic', name, join(root, 'inboxes', name), `http://127.0.0.1/${name}`, address], env);
    run('perl', ['-e', IMPORT_PERL, name, ...mboxes], env);
    const log = join(root, 'httpd.log');
    // a port found free may be taken before httpd binds it: try a few
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const c = spawn('public-inbox-httpd', ['-W', '0', '-l', `http://127.0.0.1:${port}`, `--stdout=${log}`, `--stderr=${log}`], { env, stdio: 'ignore' });
      let exited = false;
      c.once('exit', () => (exited = true));
      const deadline = Date.now() + 15_000;
      while (!exited && Date.now() < deadline && !(await answers(port))) await sleep(25);
      if (!exited && Date.now() < deadline) {
        child = c;
        const server = `http://127.0.0.1:${port}`;
        return { server, inboxUrl: `${server}/${name}`, name, root, stop: () => stop(c, root) };
      }
      if (!exited) c.kill('SIGKILL');
    }
    let why = '';
    try {
      why = readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ');
    } catch {
      /* no log */
    }
    throw new Error(`public-inbox-httpd did not start (${why || 'no log'})`);
  } catch (e) {
    if (!child) rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

/** SIGTERM (httpd drains for ~2 s), SIGKILL if it has not gone after 10 s; then the temp dir goes. */
async function stop(c: ChildProcess, root: string): Promise<void> {
  if (c.exitCode === null && c.signalCode === null) {
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  rmSync(root, { recursive: true, force: true });
}
