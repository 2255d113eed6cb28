// The bot under load (issue 11): `ktriage watch` on a Dovecot folder while the
// real linux-kbuild sample is appended to it at a steady rate, with the
// whole-tree 6.1 index. What is measured, per message (keyed by Message-ID):
//   arrival  the bench's clock when Dovecot answered OK to the IMAP APPEND
//            (the message is in the folder; IDLE clients are told);
//   stored   messages.added_at in the daemon's store;
//   judged   the judgement of the thread the message is in, once the thread is
//            seen clean (threads.dirty = 0, polled every POLL_MS): its
//            thread_judgements.judged_at (written when the thread is judged, or
//            passed over because only a "thanks" arrived);
//   verdict  verdicts.judged_at when that judgement wrote a verdict row, and
//            posts.posted_at of the reply it put in the outbox.
// The daemon's RSS (VmRSS: all its threads share it) is sampled every second.
// Appends follow a schedule (message i at t0 + i/rate), several connections
// in turn, so a slow APPEND does not push the rest back.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { LIMITS } from '../src/core/limits.js';
import { splitMbox } from '../src/ingest/mbox.js';
import { readMessageId } from '../src/mail/msgid.js';
import { ensureDovecot, freePort, startDovecot } from '../test/helpers/dovecot.js';

export interface WatchBenchOptions {
  root: string;
  messages: number;
  /** messages per second */
  rate: number;
  samplePath: string;
  /** the whole-tree index, when built */
  indexPath: string | undefined;
  /** APPEND connections used in turn */
  connections: number;
  /** after the last APPEND, how long the daemon may take to store and judge everything */
  drainSeconds: number;
}

const POLL_MS = 100;
const TARGET_P99_MS = 2000;
const TARGET_RSS_MB = 300;
const SAMPLE = join('..', 'shared', 'bench', 'linux-kbuild-10k.mbox.gz');

interface Sent {
  key: string;
  raw: Buffer;
  scheduled: number;
  started?: number;
  arrival?: number;
}

interface Judged {
  seenAt: number;
  root: string;
  judgedAt: number | undefined;
  verdictId: number | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const ms = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);
const fmtS = (x: number | undefined): string => (x === undefined ? '-' : (x / 1000).toFixed(2));

function quantile(xs: number[], q: number): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  for await (const c of (path.endsWith('.gz') ? stream.pipe(createGunzip()) : stream) as AsyncIterable<Buffer>) yield c;
}

/** The header's Message-ID as the store keeps it (header_id), or a stand-in the store cannot match. */
function messageIdOf(raw: Buffer, i: number): string {
  const head = raw.subarray(0, Math.max(0, raw.indexOf('\n\n')) || raw.length).toString('latin1');
  const m = /^message-id:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(head);
  return (m && readMessageId(m[1]!.replace(/\r?\n[ \t]+/g, ' '))) ?? `<no-message-id-${i}@bench>`;
}

async function loadSample(path: string, n: number): Promise<Sent[]> {
  const out: Sent[] = [];
  for await (const raw of splitMbox(fileChunks(path), { maxMessageBytes: LIMITS.maxMessageBytes, skipOversize: true, label: path })) {
    out.push({ key: messageIdOf(raw, out.length), raw, scheduled: 0 });
    if (out.length >= n) break;
  }
  return out;
}

/** VmRSS (kB), and its anonymous part (heaps, SQLite's caches) apart from mapped files. */
function rssKb(pid: number): { kb: number; anonKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const kb = field('VmRSS');
    return Number.isNaN(kb) ? undefined : { kb, anonKb: field('RssAnon') };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of each thread of a process, by thread id, with its name (/proc/PID/task). */
function threadCpu(pid: number): Map<number, { name: string; s: number }> {
  const out = new Map<number, { name: string; s: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, s: (Number(f[11]) + Number(f[12])) / 100 }); // utime, stime in USER_HZ (100)
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** how long nothing new may be stored and nothing be dirty before the store counts as settled */
const QUIET_MS = 3000;

/** Polls the daemon's store (read-only, WAL: never in the writer's way) for the messages whose thread is judged. */
class StoreWatcher {
  private db: Database.Database | undefined;
  readonly judged = new Map<number, Judged>();
  private low = 1;
  stored = 0;
  dirty = 0;

  constructor(private readonly path: string) {}

  poll(): void {
    if (!this.db) {
      if (!existsSync(this.path)) return;
      try {
        this.db = new Database(this.path, { readonly: true, fileMustExist: true });
        this.db.pragma('busy_timeout = 1000');
      } catch {
        this.db = undefined;
        return;
      }
    }
    const db = this.db;
    const now = Date.now();
    let rows: { mid: number; root: string; judgedAt: string | null; vid: number | null }[];
    try {
      rows = db
        .prepare(
          `SELECT m.id AS mid, t.root_id AS root, tj.judged_at AS judgedAt,
             (SELECT max(v.id) FROM verdicts v WHERE v.thread_root = t.root_id) AS vid
           FROM messages m JOIN thread_messages tm ON tm.message = m.id JOIN threads t ON t.id = tm.thread
           LEFT JOIN thread_judgements tj ON tj.root_id = t.root_id
           WHERE m.id >= ? AND t.dirty = 0`,
        )
        .all(this.low) as typeof rows;
      this.stored = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      this.dirty = (db.prepare('SELECT count(*) AS n FROM threads WHERE dirty = 1').get() as { n: number }).n;
    } catch {
      return; // the schema is being made: next time
    }
    for (const r of rows) {
      if (this.judged.has(r.mid)) continue;
      this.judged.set(r.mid, { seenAt: now, root: r.root, judgedAt: ms(r.judgedAt), verdictId: r.vid ?? undefined });
    }
    const ids = db.prepare('SELECT id FROM messages WHERE id >= ? ORDER BY id').pluck().all(this.low) as number[];
    const firstOpen = ids.find((id) => !this.judged.has(id));
    this.low = firstOpen ?? (ids.at(-1) ?? this.low - 1) + 1;
  }

  /** Every stored message judged, nothing dirty. */
  settled(expected: number): boolean {
    return this.stored >= expected && this.dirty === 0 && this.judged.size >= this.stored;
  }

  /**
   * Settled, and nothing new stored for `quietMs`: a Message-ID used twice is stored twice,
   * so the count of distinct ones is reached before the last messages are in.
   * Returns when it first settled for good, or undefined.
   */
  settledFor(expected: number, quietMs: number, now = Date.now()): number | undefined {
    if (this.stored !== this.lastStored) {
      this.lastStored = this.stored;
      this.storedChangedAt = now;
      this.settledAt = undefined;
    }
    if (!this.settled(expected)) {
      this.settledAt = undefined;
      return undefined;
    }
    this.settledAt ??= now;
    return now - this.storedChangedAt >= quietMs && now - this.settledAt >= quietMs ? this.settledAt : undefined;
  }
  private lastStored = -1;
  private storedChangedAt = 0;
  private settledAt: number | undefined;

  close(): void {
    this.db?.close();
  }
}

/** `rel` under this checkout, else under the main checkout (this one may be a git worktree): the first that exists. */
function inCheckouts(root: string, rel: string): string | undefined {
  const common = spawnSync('git', ['-C', root, 'rev-parse', '--path-format=absolute', '--git-common-dir'], { encoding: 'utf8' }).stdout.trim();
  return [resolve(root, rel), ...(common ? [resolve(dirname(common), rel)] : [])].find((p) => existsSync(p));
}

/** Appends every message on the schedule over `conns` connections in turn; resolves when the last APPEND is answered. */
async function appendAll(sent: Sent[], conns: ImapFlow[], rate: number, folder: string): Promise<void> {
  const free = [...conns];
  const waiting: ((c: ImapFlow) => void)[] = [];
  const take = () => (free.length ? Promise.resolve(free.shift()!) : new Promise<ImapFlow>((r) => waiting.push(r)));
  const give = (c: ImapFlow) => (waiting.length ? waiting.shift()!(c) : free.push(c));
  const inFlight: Promise<void>[] = [];
  const t0 = Date.now() + 200;
  sent.forEach((s, i) => (s.scheduled = t0 + (i * 1000) / rate));
  for (const s of sent) {
    await sleep(s.scheduled - Date.now());
    const c = await take();
    s.started = Date.now();
    inFlight.push(
      c.append(folder, s.raw).then(
        () => {
          s.arrival = Date.now();
          give(c);
        },
        (e: Error) => {
          give(c);
          throw new Error(`APPEND of ${s.key} failed: ${e.message}`);
        },
      ),
    );
  }
  await Promise.all(inFlight);
}

export async function runWatchBench(o: WatchBenchOptions, log: (s: string) => void = console.log): Promise<{ ok: boolean }> {
  log(`== The bot under load (issue 11): ${o.messages.toLocaleString('en-US')} real messages appended to a Dovecot folder at ${o.rate} msg/s while \`ktriage watch\` IDLEs on it`);
  if (!existsSync(o.samplePath)) {
    log(`watch: ${o.samplePath} not present; skipped (FAIL)`);
    return { ok: false };
  }
  if (!ensureDovecot()) {
    log('watch: dovecot is not installed (apt-get install dovecot-imapd); skipped (FAIL)');
    return { ok: false };
  }
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: o.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const commit = spawnSync('git', ['-C', o.root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).stdout.trim();
  log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}); ktriage at ${commit || '?'}`);
  const work = mkdtempSync(join(tmpdir(), 'ktriage-bench-watch-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: join(work, 'xdg'), XDG_CACHE_HOME: join(work, 'xdg-cache') };
  delete env.KTRIAGE_INDEX;
  delete env.KTRIAGE_DEBUG;
  if (o.indexPath) log(`index: ${o.indexPath} (whole tree, linux-source-6.1)`);
  else
    log(
      'index: .bench-cache/index/linux-dir.sqlite is not built (`npm run bench -- --only index` builds it from /usr/src/linux-source-6.1.tar.xz): ' +
        'FALLING BACK to the bundled index (a subset: Kconfig and MAINTAINERS); the figures below are not the target run',
    );

  const sent = await loadSample(o.samplePath, o.messages);
  const keys = new Set(sent.map((s) => s.key));
  log(`sample: ${relative(o.root, o.samplePath)}: the first ${sent.length} messages (${keys.size} distinct Message-IDs, ${sent.filter((s) => s.key.endsWith('@bench>')).length} without one)`);

  const dc = await startDovecot({ password: 'bench-pw' });
  const db = join(work, 'store.sqlite');
  const outbox = join(work, 'outbox');
  const healthPort = await freePort();
  const config = join(work, 'watch.json');
  // KTRIAGE_BENCH_TRIAGE_WORKERS: the daemon's triageWorkers (its default when unset), to compare one worker with several
  const workers = {
    ...(process.env.KTRIAGE_BENCH_TRIAGE_WORKERS ? { triageWorkers: Number(process.env.KTRIAGE_BENCH_TRIAGE_WORKERS) } : {}),
    // KTRIAGE_BENCH_TRIAGE_HEAP_MB: the daemon's triageWorkerHeapMb
    ...(process.env.KTRIAGE_BENCH_TRIAGE_HEAP_MB ? { triageWorkerHeapMb: Number(process.env.KTRIAGE_BENCH_TRIAGE_HEAP_MB) } : {}),
  };
  writeFileSync(config, JSON.stringify({ index: o.indexPath ? { path: o.indexPath } : {}, health: { port: healthPort }, logLevel: process.env.KTRIAGE_BENCH_LOG_LEVEL ?? 'info', ...workers }));
  log(`daemon: triageWorkers ${workers.triageWorkers ?? 'default'}, triageWorkerHeapMb ${workers.triageWorkerHeapMb ?? 'default'}`);
  const daemonLog = join(work, 'watch.log');
  const logFd = openSync(daemonLog, 'w');
  const url = `imap://bench@127.0.0.1:${dc.port}/INBOX`;
  // KTRIAGE_BENCH_NODE_ARGS: node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes
  const nodeArgs = (process.env.KTRIAGE_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(o.root, 'bin', 'ktriage.js'), 'watch', url, '--config', config, '--db', db, '--outbox', outbox], {
    cwd: o.root,
    env: { ...env, KTRIAGE_IMAP_PASSWORD: dc.password },
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const pid = child.pid!;
  const readLog = () => readFileSync(daemonLog, 'utf8');
  const rss: { t: number; kb: number; anonKb: number; load: number; cpu: number }[] = [];
  let cpu = new Map<number, { name: string; s: number }>();
  const store = new StoreWatcher(db);
  let rssTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  const conns: ImapFlow[] = [];
  try {
    for (let i = 0; !readLog().includes('"msg":"watching"'); i++) {
      if (child.exitCode !== null || i > 600) throw new Error(`the daemon did not start:\n${readLog().slice(-2000)}`);
      await sleep(100);
    }
    const tStart = Date.now();
    rssTimer = setInterval(() => {
      const mem = rssKb(pid);
      const now = threadCpu(pid);
      if (now.size) cpu = new Map([...cpu, ...now]); // a thread that ended keeps its last figure
      if (mem) rss.push({ t: Date.now() - tStart, ...mem, load: loadavg()[0]!, cpu: [...cpu.values()].reduce((a, x) => a + x.s, 0) });
    }, 1000);
    pollTimer = setInterval(() => store.poll(), POLL_MS);
    for (let i = 0; i < o.connections; i++) {
      const c = new ImapFlow({ host: dc.host, port: dc.port, secure: false, auth: { user: 'bench', pass: dc.password }, logger: false, disableAutoIdle: true });
      c.on('error', () => {});
      await c.connect();
      conns.push(c);
    }
    const load0 = loadavg();
    await appendAll(sent, conns, o.rate, 'INBOX');
    const tAppended = Date.now();
    const lag = sent.map((s) => s.started! - s.scheduled);
    const answered = sent.map((s) => s.arrival! - s.started!);
    const span = (sent.at(-1)!.arrival! - sent[0]!.arrival!) / 1000;
    log(
      `appended: ${sent.length} messages by IMAP APPEND over ${o.connections} connections in turn, in ${span.toFixed(1)} s (${((sent.length - 1) / span).toFixed(1)} msg/s); ` +
        `start behind schedule p50 ${quantile(lag, 0.5)!.toFixed(0)} ms, max ${Math.max(...lag).toFixed(0)} ms; APPEND answered p50 ${quantile(answered, 0.5)!.toFixed(0)} ms, p99 ${quantile(answered, 0.99)!.toFixed(0)} ms`,
    );
    const deadline = Date.now() + o.drainSeconds * 1000;
    let settledAt: number | undefined;
    while ((settledAt = store.settledFor(keys.size, QUIET_MS)) === undefined && Date.now() < deadline && child.exitCode === null) await sleep(200);
    const drained = ((settledAt ?? Date.now()) - tAppended) / 1000;
    store.poll();
    clearInterval(pollTimer);
    clearInterval(rssTimer);
    const load1 = loadavg();
    const metrics = await fetch(`http://127.0.0.1:${healthPort}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    child.kill('SIGTERM');
    const code = await exited;
    return report({ o, log, sent, keys, db, store, rss, cpu: { pid, threads: cpu }, metrics, drained, load: [load0, load1], code, daemonLog: readLog() });
  } finally {
    clearInterval(pollTimer);
    clearInterval(rssTimer);
    store.close();
    for (const c of conns) await c.logout().catch(() => {});
    if (child.exitCode === null) child.kill('SIGKILL');
    await dc.close();
    if (process.env.KTRIAGE_BENCH_KEEP) log(`kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

interface ReportInput {
  o: WatchBenchOptions;
  log: (s: string) => void;
  sent: Sent[];
  keys: Set<string>;
  db: string;
  store: StoreWatcher;
  rss: { t: number; kb: number; anonKb: number; load: number; cpu: number }[];
  cpu: { pid: number; threads: Map<number, { name: string; s: number }> };
  metrics: string;
  drained: number;
  load: number[][];
  code: number | null;
  daemonLog: string;
}

function report(r: ReportInput): { ok: boolean } {
  const { log, sent, store } = r;
  const d = new Database(r.db, { readonly: true });
  let ok = true;
  try {
    const rows = d.prepare('SELECT id, header_id AS hid, added_at AS addedAt FROM messages').all() as { id: number; hid: string; addedAt: string }[];
    const byKey = new Map<string, { id: number; addedAt: number }[]>();
    for (const m of rows) byKey.set(m.hid, [...(byKey.get(m.hid) ?? []), { id: m.id, addedAt: Date.parse(m.addedAt) }]);
    const verdicts = new Map((d.prepare('SELECT id, judged_at AS at, verdict FROM verdicts').all() as { id: number; at: string; verdict: string }[]).map((v) => [v.id, v]));
    const posts = new Map((d.prepare('SELECT verdict, posted_at AS at FROM posts').all() as { verdict: number; at: string }[]).map((p) => [p.verdict, Date.parse(p.at)]));
    const threads = (d.prepare('SELECT count(*) AS n, sum(dirty) AS dirty FROM threads').get() as { n: number; dirty: number | null }) ?? { n: 0, dirty: 0 };
    const errors = d.prepare('SELECT stage, count(*) AS n FROM watch_errors GROUP BY stage').all() as { stage: string; n: number }[];

    const toStored: number[] = [];
    const toJudged: number[] = [];
    const storedToJudged: number[] = [];
    const toVerdict: number[] = [];
    const toOutbox: number[] = [];
    const judgedOfVerdict: number[] = [];
    let missing = 0;
    let unjudged = 0;
    const seen = new Set<string>();
    for (const s of sent) {
      if (seen.has(s.key)) continue; // a repeated Message-ID: the first arrival is the one measured
      seen.add(s.key);
      const m = byKey.get(s.key)?.[0];
      if (!m) {
        missing++;
        continue;
      }
      const a = s.arrival!;
      toStored.push(m.addedAt - a);
      const j = store.judged.get(m.id);
      if (!j) {
        unjudged++;
        continue;
      }
      const judgedAt = j.judgedAt !== undefined && j.judgedAt >= m.addedAt ? j.judgedAt : j.seenAt;
      toJudged.push(judgedAt - a);
      storedToJudged.push(judgedAt - m.addedAt);
      const v = j.verdictId !== undefined ? verdicts.get(j.verdictId) : undefined;
      const vAt = v ? Date.parse(v.at) : undefined;
      if (v && vAt! >= m.addedAt) {
        toVerdict.push(vAt! - a);
        judgedOfVerdict.push(judgedAt - a);
        const p = posts.get(v.id);
        if (p !== undefined) toOutbox.push(p - a);
      }
    }
    const noId = sent.filter((s) => s.key.endsWith('@bench>')).length;
    const line = (what: string, xs: number[]) =>
      log(
        `  ${what.padEnd(58)} ${String(xs.length).padStart(6)}  p50 ${fmtS(quantile(xs, 0.5)).padStart(6)} s  p99 ${fmtS(quantile(xs, 0.99)).padStart(6)} s  max ${fmtS(quantile(xs, 1)).padStart(6)} s`,
      );
    log('latency from arrival (APPEND answered), per distinct Message-ID:');
    line('→ stored (messages.added_at), all', toStored);
    line('→ thread judged (thread_judgements.judged_at), all', toJudged);
    line('  of which stored → thread judged', storedToJudged);
    line('→ verdict row (verdicts.judged_at), messages that made one', toVerdict);
    line('→ outbox (posts.posted_at), messages whose verdict was posted', toOutbox);

    const maxKb = Math.max(0, ...r.rss.map((x) => x.kb));
    log(`RSS of the daemon (VmRSS, all threads), sampled every second: max ${(maxKb / 1024).toFixed(0)} MB`);
    log('  minute   min MB  mean MB   max MB  of which anon (max)  daemon CPU (cores)  load(1m) max');
    const byMin = new Map<number, typeof r.rss>();
    for (const x of r.rss) byMin.set(Math.floor(x.t / 60_000), [...(byMin.get(Math.floor(x.t / 60_000)) ?? []), x]);
    for (const [k, b] of byMin) {
      const kb = b.map((x) => x.kb);
      const mb = (x: number) => (x / 1024).toFixed(0).padStart(8);
      const cores = b.length > 1 ? (b.at(-1)!.cpu - b[0]!.cpu) / ((b.at(-1)!.t - b[0]!.t) / 1000) : 0;
      log(
        `  ${String(k).padStart(6)} ${mb(Math.min(...kb))} ${mb(kb.reduce((s, x) => s + x, 0) / kb.length)} ${mb(Math.max(...kb))} ${mb(Math.max(...b.map((x) => x.anonKb))).padStart(20)} ${cores.toFixed(2).padStart(19)} ${Math.max(
          ...b.map((x) => x.load),
        )
          .toFixed(2)
          .padStart(13)}`,
      );
    }
    const main = r.cpu.threads.get(r.cpu.pid)?.s ?? 0;
    const others = [...r.cpu.threads.entries()].filter(([tid]) => tid !== r.cpu.pid).sort((a, b) => b[1].s - a[1].s);
    const rest = others.slice(1).reduce((a, [, x]) => a + x.s, 0);
    log(
      `daemon CPU by thread: main ${main.toFixed(1)} s; busiest other (the triage worker) ${others[0]?.[1].s.toFixed(1) ?? 0} s ("${others[0]?.[1].name ?? '?'}"); the other ${others.length - 1} threads ${rest.toFixed(1)} s`,
    );
    const metric = (name: string): number => {
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm');
      let sum = 0;
      for (const x of r.metrics.matchAll(m)) sum += Number(x[1]);
      return sum;
    };
    const triaged = metric('ktriage_threads_triaged_total');
    log(
      `daemon: ${triaged} threads triaged (mean ${((metric('ktriage_triage_seconds_sum') / Math.max(1, triaged)) * 1000).toFixed(0)} ms in the worker), ` +
        `${metric('ktriage_threads_not_rejudged_total')} passed over (only harmless replies), ${metric('ktriage_verdicts_total')} verdict rows, ${posts.size} outbox posts; ` +
        `worker restarts ${metric('ktriage_triage_worker_restarts_total')}; exit on SIGTERM ${r.code}`,
    );
    log(
      `main thread's V8 heap at the end (from /metrics): used ${(metric('ktriage_nodejs_heap_size_used_bytes') / 2 ** 20).toFixed(0)} MB of ${(metric('ktriage_nodejs_heap_size_total_bytes') / 2 ** 20).toFixed(0)} MB; ` +
        `external ${(metric('ktriage_nodejs_external_memory_bytes') / 2 ** 20).toFixed(0)} MB; ` +
        `the triage worker's: used ${(metric('ktriage_triage_worker_memory_bytes\\{kind="heapUsed"\\}') / 2 ** 20).toFixed(0)} MB of ${(metric('ktriage_triage_worker_memory_bytes\\{kind="heapTotal"\\}') / 2 ** 20).toFixed(0)} MB; external ${(metric('ktriage_triage_worker_memory_bytes\\{kind="external"\\}') / 2 ** 20).toFixed(0)} MB`,
    );
    log(`load average (1, 5, 15 min): before the appends ${r.load[0]!.map((x) => x.toFixed(2)).join(' ')}, at the end ${r.load[1]!.map((x) => x.toFixed(2)).join(' ')}`);
    const distinct = r.keys.size - noId;
    log(
      `lost: ${missing} of ${distinct} distinct Message-IDs not in the store${noId ? ` (${noId} messages without a Message-ID not matched)` : ''}; ${unjudged} stored but never seen judged; ` +
        `${threads.n} threads, ${threads.dirty ?? 0} left unjudged; error rows ${errors.length ? errors.map((e) => `${e.stage} ${e.n}`).join(', ') : 'none'}; drained ${r.drained.toFixed(1)} s after the last APPEND`,
    );
    const errLines = r.daemonLog.split('\n').filter((l) => /"level":50/.test(l));
    if (errLines.length) log(`daemon error lines: ${errLines.length}; first: ${errLines[0]!.slice(0, 300)}`);

    const check = (what: string, pass: boolean) => {
      ok &&= pass;
      log(`${what}: ${pass ? 'PASS' : 'FAIL'}`);
    };
    const p99v = quantile(toOutbox.length ? toOutbox : toVerdict, 0.99);
    const p99all = quantile(toJudged, 0.99);
    check(`p99 arrival → outbox ${fmtS(p99v)} s (target < ${TARGET_P99_MS / 1000} s)`, p99v !== undefined && p99v < TARGET_P99_MS);
    check(`p99 arrival → thread judged, all messages ${fmtS(p99all)} s (target < ${TARGET_P99_MS / 1000} s)`, p99all !== undefined && p99all < TARGET_P99_MS);
    check(`max RSS ${(maxKb / 1024).toFixed(0)} MB (target < ${TARGET_RSS_MB} MB)`, maxKb > 0 && maxKb < TARGET_RSS_MB * 1024);
    check('nothing lost (every message stored, every thread judged)', missing === 0 && unjudged === 0 && !threads.dirty);
    log(`watch overall: ${ok ? 'PASS' : 'FAIL'}`);
  } finally {
    d.close();
  }
  return { ok };
}

export function defaultWatchOptions(root: string, quick: boolean): WatchBenchOptions {
  return {
    root,
    messages: quick ? 1000 : 10_000,
    rate: 50,
    samplePath: inCheckouts(root, SAMPLE) ?? resolve(root, SAMPLE),
    indexPath: inCheckouts(root, join('.bench-cache', 'index', 'linux-dir.sqlite')),
    connections: 8,
    drainSeconds: quick ? 300 : 900,
  };
}
