// Backfill speed (issue 10, item 5): `ktriage ingest` of the real linux-kbuild
// sample into a fresh store, against two peers measured in the same run:
//   (a) mailparser's simpleParser over every message, in this process, one
//       message after another (the file split by splitMbox, as in `ingest`);
//   (b) `node bin/ktriage.js ingest FILE --db <fresh store> --no-judge`, a child
//       process, wall time; the same with KTRIAGE_PARSE_WORKERS=0 (parseMail in
//       the main thread: the before of the worker pool); and with judging
//       (--no-index), for the record;
//   (c) `public-inbox-index -L basic --no-fsync` rebuilding the index of a v2
//       inbox holding the same mail (imported once with the library, cached in
//       .bench-cache; each run removes msgmap and xap15 and indexes afresh).
// Ratios, not absolute rates, are the targets: the machine is shared and noisy.
// Each row also tells the CPU seconds it used (all threads; a child's from
// /proc's waited-for-children times): on a loaded machine wall time says how
// many cores a run got as much as how much work it did.

import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { simpleParser } from 'mailparser';
import { LIMITS } from '../src/core/limits.js';
import { splitMbox } from '../src/ingest/mbox.js';

export interface BackfillOptions {
  runs: number;
  /** skip the judged ingest (slow; it is only for the record) */
  judge: boolean;
  realPath: string;
  cacheDir: string;
  root: string;
}

const LEAN = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true } as const;
/** public-inbox 1.9 (Debian) ships no mbox import command: its library's import_mbox does it. */
const PI_IMPORT = [
  '-MPublicInbox::Config',
  '-MPublicInbox::InboxWritable',
  '-e',
  'my $i = PublicInbox::Config->new->lookup_name($ARGV[0]) or die "no inbox\\n"; open my $fh, "<", $ARGV[1] or die "$!\\n"; PublicInbox::InboxWritable->new($i)->import_mbox($fh, "mboxrd")',
];
let sink = 0;

interface Timed {
  messages: number;
  ms: number;
  /** CPU time, user + system, all threads */
  cpuMs?: number;
  note?: string;
  failed?: string;
}

const rate = (t: Timed): number => (t.messages / t.ms) * 1000;
const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtS = (ms: number): string => (ms / 1000).toFixed(2);

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (undefined elsewhere). */
function childrenCpuMs(): number | undefined {
  try {
    // fields after the ")" of the command name: cutime and cstime are the 14th and 15th
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const src = path.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  for await (const c of src as AsyncIterable<Buffer>) yield c;
}

/** (a) simpleParser over every message, one after another, in this process. */
async function mailparserPass(path: string): Promise<Timed> {
  let messages = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const buf of splitMbox(fileChunks(path), { maxMessageBytes: LIMITS.maxMessageBytes, skipOversize: true, label: path })) {
    const parsed = await simpleParser(buf, LEAN);
    sink += parsed.attachments.length; // used, so the parse cannot be optimised away
    messages++;
  }
  const c = process.cpuUsage(c0);
  return { messages, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

/** (b) the CLI as a user runs it, into a fresh store; the count is the CLI's own "N read". */
function ktriagePass(o: BackfillOptions, judge: boolean, env: NodeJS.ProcessEnv = process.env): Timed {
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-backfill-'));
  try {
    const args = ['bin/ktriage.js', 'ingest', o.realPath, '--db', join(dir, 'store.db'), judge ? '--no-index' : '--no-judge'];
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: o.root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    const c1 = childrenCpuMs();
    const cpuMs = c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined;
    const summary = r.stdout.trim().split('\n').pop() ?? '';
    const read = /: (\d+) read,/.exec(summary);
    if (r.status !== 0 || !read) return { messages: 0, ms, failed: `exit ${r.status}: ${(r.stderr || summary).trim().split('\n').pop()}` };
    return { messages: Number(read[1]), ms, cpuMs, note: summary.replace(/^.*?: /, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** The v2 inbox of (c), imported once with public-inbox's own library and kept in .bench-cache. */
function piInbox(o: BackfillOptions, log: (s: string) => void): { env: NodeJS.ProcessEnv; inbox: string } | string {
  const base = join(o.cacheDir, 'backfill-pi');
  const inbox = join(base, 'inbox');
  const env = { ...process.env, HOME: base, PI_CONFIG: join(base, 'config'), PI_DIR: join(base, '.public-inbox') };
  const done = join(base, 'imported');
  if (existsSync(done)) return { env, inbox };
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const mbox = join(base, 'sample.mbox');
  log(`  public-inbox: importing the sample into a v2 inbox (once; cached in ${relative(o.root, base)})`);
  const steps: [string, string[]][] = [
    ['sh', ['-c', `gzip -dc "$0" > "$1"`, o.realPath, mbox]],
    ['public-inbox-init', ['-V2', '-L', 'basic', 'bench', inbox, 'http://127.0.0.1/bench', 'bench@example.org']],
    ['git', ['config', '-f', env.PI_CONFIG, 'publicinboxmda.spamcheck', 'none']],
    ['perl', [...PI_IMPORT, 'bench', mbox]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) return `${cmd} failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`;
  }
  rmSync(mbox, { force: true });
  writeFileSync(done, new Date().toISOString() + '\n');
  return { env, inbox };
}

/** (c) a fresh basic index of the inbox: remove msgmap and xap15, run public-inbox-index; the count is msgmap's. */
function piPass(pi: { env: NodeJS.ProcessEnv; inbox: string }): Timed {
  for (const f of ['msgmap.sqlite3', 'msgmap.sqlite3-journal', 'xap15']) rmSync(join(pi.inbox, f), { recursive: true, force: true });
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync('public-inbox-index', ['-L', 'basic', '--no-fsync', pi.inbox], { env: pi.env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  const c1 = childrenCpuMs();
  const cpuMs = c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined;
  if (r.status !== 0) return { messages: 0, ms, failed: `exit ${r.status}: ${r.stderr.trim().split('\n').pop()}` };
  const q = spawnSync('perl', ['-MDBI', '-e', 'print DBI->connect("dbi:SQLite:dbname=$ARGV[0]","","")->selectrow_array("SELECT COUNT(*) FROM msgmap")', join(pi.inbox, 'msgmap.sqlite3')], {
    encoding: 'utf8',
  });
  const n = Number(q.stdout.trim());
  return { messages: n > 0 ? n : 0, ms, cpuMs, failed: n > 0 ? undefined : `cannot count msgmap rows: ${q.stderr.trim()}` };
}

export async function runBackfillBench(o: BackfillOptions, log: (s: string) => void = console.log): Promise<{ ok: boolean }> {
  log('== Backfill into the store (issue 10, item 5): ktriage ingest vs mailparser alone vs public-inbox-index -L basic');
  if (!existsSync(o.realPath)) {
    log(`backfill: ${o.realPath} not present; skipped (FAIL)`);
    return { ok: false };
  }
  const b0 = performance.now();
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: o.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const commit = spawnSync('git', ['-C', o.root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout.trim();
  log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}); ktriage at ${commit || '?'} (npm run build ${fmtS(performance.now() - b0)} s)`);
  log(`file: ${relative(o.root, o.realPath)}; runs: ${o.runs} (median reported); mailparser options: ${Object.keys(LEAN).join(', ')}`);

  const piAvailable = has('public-inbox-index') && has('public-inbox-init');
  const pi = piAvailable ? piInbox(o, log) : 'public-inbox is not installed (apt-get install public-inbox)';
  if (typeof pi === 'string') log(`public-inbox-index: skipped: ${pi}`);

  const rows: Record<string, Timed[]> = { mailparser: [], 'ktriage --no-judge': [], 'ktriage 1 thread': [], 'ktriage judged': [], 'public-inbox-index': [] };
  for (let run = 1; run <= o.runs; run++) {
    const line = (name: string, t: Timed): void => {
      rows[name]!.push(t);
      log(
        `  run ${run}: ${name.padEnd(19)} ${t.failed ? `FAILED ${t.failed}` : `${fmtInt(t.messages)} msgs in ${fmtS(t.ms)} s (${fmtInt(rate(t))} msg/s${t.cpuMs !== undefined ? `, ${fmtS(t.cpuMs)} s CPU` : ''})${t.note ? `: ${t.note}` : ''}`}`,
      );
    };
    line('mailparser', await mailparserPass(o.realPath));
    line('ktriage --no-judge', ktriagePass(o, false));
    // the same with parseMail in the main thread (no worker pool): the before/after of the pool, in one run
    line('ktriage 1 thread', ktriagePass(o, false, { ...process.env, KTRIAGE_PARSE_WORKERS: '0' }));
    if (o.judge) line('ktriage judged', ktriagePass(o, true));
    if (typeof pi !== 'string') line('public-inbox-index', piPass(pi));
  }

  const med = (name: string): number | undefined => {
    const ok = rows[name]!.filter((t) => !t.failed);
    return ok.length ? median(ok.map(rate)) : undefined;
  };
  log('');
  for (const name of Object.keys(rows)) {
    const m = med(name);
    const ok = rows[name]!.filter((t) => !t.failed);
    const cpu = ok.flatMap((t) => (t.cpuMs === undefined ? [] : [t.cpuMs]));
    if (m !== undefined) log(`${name.padEnd(19)} ${fmtInt(m).padStart(6)} msg/s (median of ${ok.length}${cpu.length ? `; CPU ${fmtS(median(cpu))} s` : ''})`);
  }
  const kt = med('ktriage --no-judge');
  const mp = med('mailparser');
  const pix = med('public-inbox-index');
  let ok = kt !== undefined && mp !== undefined;
  if (kt !== undefined && mp !== undefined) {
    const r = kt / mp;
    ok &&= r >= 1;
    log(`ratio ktriage --no-judge / mailparser alone = ${r.toFixed(2)} ${r >= 1 ? 'PASS' : 'FAIL'} (target >= 1.0)`);
  }
  if (kt !== undefined && pix !== undefined) {
    const r = kt / pix;
    ok &&= r > 1;
    log(`ratio ktriage --no-judge / public-inbox-index -L basic = ${r.toFixed(2)} ${r > 1 ? 'PASS' : 'FAIL'} (target > 1.0)`);
  } else log('ratio ktriage / public-inbox-index: not measured (public-inbox skipped or failed)');
  log(`backfill overall: ${ok ? 'PASS' : 'FAIL'}`);
  return { ok };
}

/** ../shared/bench beside the checkout; from a git worktree, beside the main checkout. */
function samplePath(root: string): string {
  const beside = (dir: string): string => resolve(dir, '..', 'shared', 'bench', 'linux-kbuild-10k.mbox.gz');
  const common = spawnSync('git', ['-C', root, 'rev-parse', '--path-format=absolute', '--git-common-dir'], { encoding: 'utf8' }).stdout.trim();
  const candidates = [beside(root), ...(common ? [beside(dirname(common))] : [])];
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

export function defaultBackfillOptions(root: string, quick: boolean): BackfillOptions {
  return {
    runs: 1,
    judge: !quick,
    realPath: samplePath(root),
    cacheDir: resolve(root, '.bench-cache'),
    root,
  };
}
