// Running `ktriage watch` (the built CLI) from the daemon tests, and the mail
// they feed it: threads made from a fixture under fresh Message-IDs.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO } from './index-fixtures.js';

export const LARCH = join(REPO, 'test', 'fixtures', 'archive', 'larch-ic-thread.mbox');

export interface WatchProcess {
  child: ChildProcess;
  /** stderr so far (pino JSON lines) */
  log(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnWatch(args: string[], env: Record<string, string> = {}): WatchProcess {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete e.KTRIAGE_INDEX;
  delete e.KTRIAGE_DEBUG;
  const child = spawn(process.execPath, [join(REPO, 'bin', 'ktriage.js'), 'watch', ...args], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, log: () => err, exited };
}

export async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The outbox's summaries (not a .tmp a kill left behind). */
export function outboxFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];
}

export function query<T>(db: string, sql: string): T[] {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

export const count = (db: string, sql: string): number => {
  try {
    return (query<{ n: number }>(db, sql)[0]?.n ?? 0) as number;
  } catch {
    return 0;
  }
};

/** The larch-ic thread (a patch that hides a link error, a NAK, the author's answer) as thread `i`: every Message-ID and the subject made its own. */
export function larchThread(i: number, opts: { thanks?: boolean } = {}): string[] {
  const text = readFileSync(LARCH, 'utf8')
    .replace(/<([^<>@\s]+)@/g, `<$1.t${i}@`)
    .replace(/larch-ic/g, `larch-ic${i}`);
  const mails = text
    .split(/^From mboxrd@z .*\n/m)
    .filter((m) => m.trim())
    .map((m) => m.replace(/^>(>*From )/gm, '$1'));
  if (opts.thanks) {
    const root = /^Message-ID: (<[^>]+>)/m.exec(mails[0]!)![1];
    mails.push(
      [
        'From: Ola Brandt <ola.brandt@example.com>',
        'To: linux-arm-kernel@lists.infradead.org',
        `Subject: Re: [PATCH] bus: larch-ic${i}: fix link error without CONFIG_SMP`,
        'Date: Tue, 09 Jan 2024 08:00:00 +0100',
        `Message-ID: <thanks.t${i}@example.com>`,
        `In-Reply-To: ${root}`,
        `References: ${root}`,
        'List-Id: <linux-arm-kernel.lists.infradead.org>',
        '',
        'Thanks for looking into this.',
        '',
      ].join('\n'),
    );
  }
  return mails;
}

let seq = 0;
/** Deliver one message into a Maildir's new/ (as an MDA would: tmp/ then rename is not needed for a test that writes before reading). */
export function deliver(maildir: string, message: string | Buffer): void {
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  writeFileSync(join(maildir, 'new', `${Date.now()}.${process.pid}_${String(seq++).padStart(6, '0')}.ktriage-test`), message);
}
