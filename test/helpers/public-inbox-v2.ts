// A real public-inbox v2 inbox on disk for the source tests, built in a temp
// dir with Debian's public-inbox: public-inbox-init -V2, the library's
// mbox importer, public-inbox-mda for a live delivery, public-inbox-learn rm
// (a removal commit) and public-inbox-purge (a history rewrite), and
// public-inbox-httpd on a free loopback port. PI_CONFIG, PI_DIR and HOME
// point into the temp dir; nothing else is touched.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage } from './public-inbox.js';
import { answers, freePort } from './net.js';

export { ensureDebianPackage };

const IMPORT_PERL = `
use strict;
use PublicInbox::Config;
use PublicInbox::InboxWritable;
my ($name, @files) = @ARGV;
my $ibx = PublicInbox::Config->new->lookup_name($name) or die "no inbox $name\\n";
$ibx = PublicInbox::InboxWritable->new($ibx);
for my $f (@files) { open my $fh, '<', $f or die "$f: $!\\n"; $ibx->import_mbox($fh, 'mboxrd'); }
`;

export interface InboxV2Fixture {
  root: string;
  /** the inbox directory (holding git/0.git) */
  dir: string;
  address: string;
  importMboxes(files: string[]): void;
  /** deliver one message as a list server would */
  deliver(eml: string | Buffer): void;
  /** public-inbox-learn rm: a removal commit (`d`, no `m`) */
  remove(eml: string | Buffer): void;
  /** public-inbox-purge: history rewritten without the message */
  purge(eml: string | Buffer): void;
  git(args: string[]): string;
  serve(): Promise<{ url: string; stop(): Promise<void> }>;
  cleanup(): Promise<void>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string | Buffer): string {
  const r = spawnSync(cmd, args, { env, input, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0] ?? ''} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().slice(0, 500)}`);
  return r.stdout;
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise<void>((r) => c.once('exit', () => r()));
  c.kill('SIGTERM');
  const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

/** The reason to skip, when public-inbox cannot be had. */
export function publicInboxMissing(): string | undefined {
  return ensureDebianPackage('public-inbox', 'public-inbox-init');
}

export function createInboxV2(mboxes: string[], name = 'test'): InboxV2Fixture {
  const root = mkdtempSync(join(tmpdir(), 'ktriage-piv2-'));
  const dir = join(root, 'inboxes', name);
  const address = `${name}@example.org`;
  const env: NodeJS.ProcessEnv = { ...process.env, PI_CONFIG: join(root, 'config'), PI_DIR: join(root, '.public-inbox'), HOME: root, ORIGINAL_RECIPIENT: address };
  const servers: ChildProcess[] = [];
  try {
    run('public-inbox-init', ['-V2', '-L', 'basic', name, dir, `http://127.0.0.1/${name}`, address], env);
    // public-inbox-mda would call spamc otherwise
    run('git', ['config', '-f', join(root, 'config'), 'publicinboxmda.spamcheck', 'none'], env);
    if (mboxes.length) run('perl', ['-e', IMPORT_PERL, name, ...mboxes], env);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  return {
    root,
    dir,
    address,
    importMboxes: (files) => void run('perl', ['-e', IMPORT_PERL, name, ...files], env),
    deliver: (eml) => void run('public-inbox-mda', ['--no-precheck'], env, eml),
    remove: (eml) => void run('public-inbox-learn', ['rm', '--all'], env, eml),
    purge: (eml) => void run('public-inbox-purge', ['--all'], env, eml),
    git: (args) => run('git', ['--git-dir', join(dir, 'git', '0.git'), ...args], env).trim(),
    async serve() {
      for (let attempt = 0; attempt < 5; attempt++) {
        const port = await freePort();
        const log = join(root, 'httpd.log');
        const c = spawn('public-inbox-httpd', ['-W', '0', '-l', `http://127.0.0.1:${port}`, `--stdout=${log}`, `--stderr=${log}`], { env, stdio: 'ignore' });
        const deadline = Date.now() + 15_000;
        while (c.exitCode === null && Date.now() < deadline && !(await answers(port))) await new Promise((r) => setTimeout(r, 25));
        if (c.exitCode === null && Date.now() < deadline) {
          servers.push(c);
          return { url: `http://127.0.0.1:${port}/${name}/`, stop: () => stopChild(c) };
        }
        await stopChild(c);
      }
      throw new Error('public-inbox-httpd did not start');
    },
    async cleanup() {
      await Promise.all(servers.map(stopChild));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
