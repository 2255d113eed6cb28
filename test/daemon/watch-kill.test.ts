// kill -9 of `ktriage watch --once` at random points of a replay, restarted
// each time until a run finishes: every message stored once, every thread
// judged, each thread's latest verdict the one an uninterrupted run reaches,
// its summary in the outbox, and no summary written twice (one file per posts
// row, one row per idempotency key). Replays: a generated one that always
// runs, the same posting over SMTP to a real receiver whose mail is counted, and 2,000 real messages of ../shared/bench/linux-kbuild-10k.mbox.gz
// when that file is present (read from there, copied only into a temp dir).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readMails } from '../../src/ingest/read.js';
import { ensureDist } from '../helpers/index-cli.js';
import { REPO } from '../helpers/index-fixtures.js';
import { count, deliver, larchThread, outboxFiles, query, spawnWatch } from '../helpers/watch.js';
import { startSink, type Sink } from '../helpers/smtp-sink.js';

const tmp = mkdtempSync(join(tmpdir(), 'ktriage-watch-kill-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(() => ensureDist());
const BENCH = join(REPO, '..', 'shared', 'bench', 'linux-kbuild-10k.mbox.gz');

/** a small seeded generator: the kill points of a failing run can be replayed */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
}

interface Run {
  db: string;
  outbox: string;
}

function configFor(dir: string, maildir: string, batch: number, smtpPort?: number): { config: string; run: Run } {
  const run = { db: join(dir, 'store.sqlite'), outbox: join(dir, 'outbox') };
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'watch.json');
  // with a receiver: the list allowed, no embargo, no rate limit to wait for
  const post = smtpPort
    ? {
        post: {
          smtp: { host: '127.0.0.1', port: smtpPort },
          embargoMinutes: 0,
          rate: { perHour: 100_000, perListPerHour: 100_000 },
          lists: { 'linux-arm-kernel.lists.infradead.org': { post: true } },
        },
      }
    : {};
  writeFileSync(config, JSON.stringify({ sources: [`maildir:${maildir}`], db: run.db, outbox: run.outbox, index: { none: true }, batch, logLevel: 'warn', ...post }));
  return { config, run };
}

async function runToEnd(config: string): Promise<void> {
  const w = spawnWatch(['--config', config, '--once']);
  const end = await w.exited;
  assert.equal(end.code, 0, w.log());
}

/** `kills` runs killed at random points (seeded), then one run to its end: how many kills landed before a run ended by itself */
async function killThenFinish(config: string, kills: number, seed: number): Promise<number> {
  const rnd = random(seed);
  let landed = 0;
  for (let k = 0; k < kills; k++) {
    const w = spawnWatch(['--config', config, '--once']);
    await new Promise((r) => setTimeout(r, 400 + rnd() * 2600));
    if (w.child.exitCode === null) {
      w.child.kill('SIGKILL');
      landed++;
    }
    await w.exited;
  }
  await runToEnd(config);
  return landed;
}

const latest = (db: string) =>
  query<{ thread_root: string; patch_id: string | null; verdict: string }>(
    db,
    'SELECT thread_root, patch_id, verdict FROM verdicts v WHERE id = (SELECT max(id) FROM verdicts w WHERE w.thread_root = v.thread_root) ORDER BY thread_root',
  );

/** `expected`: messages the store must hold (a real archive may hold the same message twice: the uninterrupted run's count) */
async function replay(name: string, maildir: string, expected: number | undefined, kills: number, seed: number, batch: number): Promise<void> {
  const ref = configFor(join(tmp, `${name}-ref`), maildir, batch);
  await runToEnd(ref.config);
  const messages = count(ref.run.db, 'SELECT count(*) AS n FROM messages');
  if (expected !== undefined) assert.equal(messages, expected);
  assert.ok(messages > 0);

  const killed = configFor(join(tmp, `${name}-killed`), maildir, batch);
  const landed = await killThenFinish(killed.config, kills, seed);
  const { db, outbox } = killed.run;
  const at = `seed ${seed}, ${landed} kills landed`;
  // every message once, every thread placed and judged
  assert.equal(count(db, 'SELECT count(*) AS n FROM messages'), messages, at);
  assert.equal(count(db, 'SELECT count(DISTINCT sha256) AS n FROM messages'), messages, at);
  assert.equal(count(db, 'SELECT count(*) AS n FROM messages WHERE threaded = 0'), 0, at);
  assert.equal(count(db, 'SELECT count(*) AS n FROM threads WHERE dirty = 1'), 0, at);
  assert.equal(count(db, 'SELECT count(*) AS n FROM threads'), count(ref.run.db, 'SELECT count(*) AS n FROM threads'), at);
  // the same verdict for every thread as without the kills
  const mine = latest(db);
  const theirs = new Map(latest(ref.run.db).map((r) => [r.thread_root, r]));
  const differ = mine
    .filter((r) => JSON.stringify(r) !== JSON.stringify(theirs.get(r.thread_root)))
    .map((r) => `${r.thread_root}: ${r.verdict} ${r.patch_id} vs ${JSON.stringify(theirs.get(r.thread_root))}`);
  assert.equal(mine.length, theirs.size, at);
  assert.deepEqual(differ, [], `${at}: latest verdicts differ from the uninterrupted run's`);
  // nothing written twice: one file per posts row, one row per key
  const posts = query<{ destination: string; idempotency_key: string }>(db, 'SELECT destination, idempotency_key FROM posts');
  assert.equal(new Set(posts.map((p) => p.idempotency_key)).size, posts.length, at);
  assert.deepEqual(outboxFiles(outbox), posts.map((p) => p.destination.split('/').pop()!).sort(), `${at}: outbox files and posts rows`);
  // nothing lost: every summary of the uninterrupted run's latest verdicts is there
  const refPosts = query<{ destination: string }>(
    ref.run.db,
    'SELECT p.destination FROM posts p JOIN verdicts v ON v.id = p.verdict WHERE v.id = (SELECT max(id) FROM verdicts w WHERE w.thread_root = v.thread_root)',
  );
  const have = new Set(outboxFiles(outbox));
  for (const p of refPosts) assert.ok(have.has(p.destination.split('/').pop()!), `${at}: ${p.destination} missing`);
  assert.equal(count(db, 'SELECT count(*) AS n FROM watch_errors'), count(ref.run.db, 'SELECT count(*) AS n FROM watch_errors'), at);
}

const messageIdOf = (raw: string) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';

/** Killed while it sends: every summary reaches the receiver, none twice but for a send a kill cut short (the same Message-ID again). */
async function replayWithReceiver(name: string, maildir: string, kills: number, seed: number, batch: number): Promise<void> {
  const sinks: Sink[] = [];
  try {
    const refSink = await startSink();
    sinks.push(refSink);
    const ref = configFor(join(tmp, `${name}-ref`), maildir, batch, refSink.port);
    await runToEnd(ref.config);
    // slow answers: a kill often lands while replies are being sent
    const sink = await startSink(0, { delayMs: 40 });
    sinks.push(sink);
    const killed = configFor(join(tmp, `${name}-killed`), maildir, batch, sink.port);
    const landed = await killThenFinish(killed.config, kills, seed);
    const { db } = killed.run;
    const at = `seed ${seed}, ${landed} kills landed, ${sink.received.length} received, ${sink.dataSeen} DATA`;
    if (process.env.KTRIAGE_KILL_VERBOSE) console.log(at);
    const sent = query<{ message_id: string; thread_root: string }>(db, "SELECT message_id, thread_root FROM posts WHERE status = 'sent'");
    assert.equal(count(db, "SELECT count(*) AS n FROM posts WHERE status = 'queued'"), 0, `${at}: nothing left queued`);
    assert.ok(sent.length > 0, at);
    const received = sink.received.map((r) => messageIdOf(r.raw));
    // what the store says went out is what arrived
    assert.deepEqual([...new Set(received)].sort(), sent.map((p) => p.message_id).sort(), at);
    // twice only where a kill cut a send short
    assert.ok(received.length - new Set(received).size <= landed, `${at}: ${received.length} received, ${new Set(received).size} distinct`);
    // nothing lost: every thread the uninterrupted run answered on the list is answered
    const refThreads = new Set(query<{ thread_root: string }>(ref.run.db, "SELECT thread_root FROM posts WHERE status = 'sent'").map((p) => p.thread_root));
    assert.deepEqual([...new Set(sent.map((p) => p.thread_root))].sort(), [...refThreads].sort(), at);
    assert.equal(new Set(refSink.received.map((r) => messageIdOf(r.raw))).size, refThreads.size, 'the uninterrupted run: one reply per thread');
  } finally {
    for (const s of sinks) await s.close();
  }
}

describe('watch survives kill -9', () => {
  test('a generated replay (100 threads, 400 messages), killed at random points', { timeout: 300_000 }, async () => {
    const maildir = join(tmp, 'generated', 'Maildir');
    for (let i = 0; i < 100; i++) for (const m of larchThread(i, { thanks: true })) deliver(maildir, m);
    await replay('generated', maildir, 400, 4, Number(process.env.KTRIAGE_KILL_SEED ?? Date.now() % 100_000), 50);
  });

  test('posting over SMTP (a real receiver), killed at random points: every reply arrives, none twice', { timeout: 300_000 }, async () => {
    const maildir = join(tmp, 'smtp', 'Maildir');
    for (let i = 0; i < 40; i++) for (const m of larchThread(1000 + i, { thanks: true })) deliver(maildir, m);
    await replayWithReceiver('smtp', maildir, 4, Number(process.env.KTRIAGE_KILL_SEED ?? Date.now() % 100_000), 20);
  });

  test('2,000 real messages of the kbuild bench archive, killed at random points', { timeout: 600_000, skip: existsSync(BENCH) ? false : `${BENCH} is not here` }, async () => {
    const maildir = join(tmp, 'kbuild', 'Maildir');
    let n = 0;
    for await (const m of readMails(BENCH)) {
      deliver(maildir, m.bytes);
      if (++n === 2000) break;
    }
    await replay('kbuild', maildir, undefined, 3, Number(process.env.KTRIAGE_KILL_SEED ?? Date.now() % 100_000), 200);
  });
});
