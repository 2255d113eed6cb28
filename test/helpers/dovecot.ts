// A throw-away Dovecot (dovecot-imapd, Debian 12) for the IMAP source tests:
// its own config, Maildirs, state and log in a temp dir, IMAP on a free
// loopback port, one password for any user. /etc/dovecot and the system
// service are never touched. As root, Dovecot refuses to run its login and
// mail processes as uid 0, so those run as the package's users and the
// Maildirs belong to nobody. Installed with apt-get when missing and root.

import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, chmodSync, closeSync, existsSync, openSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
const LMTPD = '/usr/lib/dovecot/lmtp';

export interface Dovecot {
  host: string;
  port: number;
  password: string;
  /** the LMTP listener on loopback, when started with `lmtp: true` */
  lmtpPort?: number;
  dir: string;
  /** stop the server (about 3 s: the master waits for its children); the files stay */
  stop(): Promise<void>;
  /** start it again on the same port with the same mail */
  start(): Promise<void>;
  /** deliver one message into a user's folder the way an MDA does (doveadm save: needs the server up) */
  save(user: string, folder: string, message: string | Buffer): void;
  /** drop one message file into a user's INBOX Maildir (new/), as a local MDA would while the server is down */
  dropIntoMaildir(user: string, message: string | Buffer): void;
  /** stop and remove everything */
  close(): Promise<void>;
  log(): string;
}

/** Is Dovecot installed (with its LMTP server, if asked)? Installs it with apt-get when root and it is missing. */
export function ensureDovecot(opts: { lmtp?: boolean } = {}): boolean {
  const there = () => existsSync(DOVECOT) && existsSync(DOVEADM) && (!opts.lmtp || existsSync(LMTPD));
  if (there()) return true;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'dovecot-imapd', ...(opts.lmtp ? ['dovecot-lmtpd'] : [])], { env, stdio: 'ignore' });
  return there();
}

export { freePort };

function greeted(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (d) => done(d.toString().startsWith('* OK')));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function idOf(name: string, db: 'passwd' | 'group'): number {
  return Number(execFileSync('getent', [db, name], { encoding: 'utf8' }).split(':')[2]);
}

function config(dir: string, port: number, password: string, lmtpPort?: number): string {
  const root = process.getuid?.() === 0;
  const me = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  const myGroup = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  const mailUid = root ? idOf('nobody', 'passwd') : process.getuid!();
  const mailGid = root ? idOf('nogroup', 'group') : process.getgid!();
  return `instance_name = ktriage-test-${port}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap${lmtpPort ? ' lmtp' : ''}
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me}
default_internal_group = ${root ? 'dovecot' : myGroup}
default_login_user = ${root ? 'dovenull' : me}
first_valid_uid = ${mailUid}
last_valid_uid = 0
first_valid_gid = ${mailGid}
mail_location = maildir:${dir}/mail/%n/Maildir
auth_username_format = %n
passdb {
  driver = static
  args = password=${password}
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
${
  lmtpPort
    ? `service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
`
    : ''
}`;
}

export async function startDovecot(opts: { password?: string; lmtp?: boolean } = {}): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-dovecot-'));
  const password = opts.password ?? 'list-reader-pw';
  const port = await freePort();
  const lmtpPort = opts.lmtp ? await freePort() : undefined;
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub), { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'run'), 0o755);
  if (process.getuid?.() === 0) chownSync(join(dir, 'mail'), idOf('nobody', 'passwd'), idOf('nogroup', 'group'));
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(conf, config(dir, port, password, lmtpPort));
  const pidFile = join(dir, 'run', 'master.pid');
  const log = () => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '');

  const start = async () => {
    // the daemon's children keep inherited pipes open (execFileSync would wait forever): its output goes to a file
    const out = openSync(join(dir, 'start.out'), 'a');
    try {
      const r = spawnSync(DOVECOT, ['-c', conf], { stdio: ['ignore', out, out] });
      if (r.status !== 0) throw new Error(`dovecot -c ${conf} failed: ${readFileSync(join(dir, 'start.out'), 'utf8').slice(-2000)}`);
    } finally {
      closeSync(out);
    }
    for (let i = 0; i < 200; i++) {
      if (await greeted(port)) return;
      await sleep(50);
    }
    throw new Error(`dovecot did not start on 127.0.0.1:${port}:\n${log().slice(-2000)}`);
  };
  const stop = async () => {
    if (!existsSync(pidFile)) return;
    const master = Number(readFileSync(pidFile, 'utf8').trim());
    spawnSync(DOVECOT, ['-c', conf, 'stop'], { stdio: 'ignore' });
    for (let i = 0; i < 200 && existsSync(pidFile); i++) await sleep(50);
    // a client's imap process outlives the master; a restart must drop its connection too
    // (they share the master's process group: this instance's processes only)
    try {
      if (master > 1) process.kill(-master, 'SIGKILL');
    } catch {
      // none left
    }
  };
  await start();
  // a test that fails before its after() hook must not leave a server running
  const onExit = () => spawnSync(DOVECOT, ['-c', conf, 'stop'], { stdio: 'ignore' });
  process.once('exit', onExit);
  return {
    host: '127.0.0.1',
    port,
    password,
    ...(lmtpPort ? { lmtpPort } : {}),
    dir,
    start,
    stop,
    save(user, folder, message) {
      execFileSync(DOVEADM, ['-c', conf, 'save', '-u', user, '-m', folder], { input: message, stdio: ['pipe', 'pipe', 'pipe'] });
    },
    dropIntoMaildir(user, message) {
      const maildir = join(dir, 'mail', user, 'Maildir');
      const owner = process.getuid?.() === 0 ? ([idOf('nobody', 'passwd'), idOf('nogroup', 'group')] as const) : undefined;
      for (const sub of ['', 'new', 'cur', 'tmp']) {
        mkdirSync(join(maildir, sub), { recursive: true });
        if (owner) chownSync(join(maildir, sub), ...owner);
      }
      const file = join(maildir, 'new', `${Date.now()}.M${Math.floor(Math.random() * 1e6)}P${process.pid}.ktriage-test`);
      writeFileSync(file, message);
      if (owner) chownSync(file, ...owner);
    },
    async close() {
      process.off('exit', onExit);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log,
  };
}
