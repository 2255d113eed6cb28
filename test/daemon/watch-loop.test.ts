// The watch loop in this process, over a Maildir: summaries in the outbox
// once per verdict, a "thanks" not judged again, a thread the engine throws
// on or whose worker dies becomes an error row while the loop goes on,
// poison messages are rows too, and /healthz and /metrics answer during a
// long triage. The config's validation, one line per error.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readConfigFile, validateConfig, WatchConfigSchema, type WatchConfig } from '../../src/daemon/config.js';
import { createLogger } from '../../src/daemon/log.js';
import { verdictMover } from '../../src/daemon/significance.js';
import { extractMessage } from '../../src/extract/message.js';
import { Watcher } from '../../src/daemon/watch.js';
import { parseMail } from '../../src/mail/parse.js';
import { REPO } from '../helpers/index-fixtures.js';
import { count, deliver, larchThread, outboxFiles, query, waitFor } from '../helpers/watch.js';

const tmp = mkdtempSync(join(tmpdir(), 'ktriage-watch-loop-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const FAULTY = new URL('../helpers/faulty-triage-worker.ts', import.meta.url);
const quiet = () => createLogger('silent');

let n = 0;
function setup(extra: Partial<WatchConfig> = {}): { dir: string; maildir: string; db: string; outbox: string; config: WatchConfig } {
  const dir = join(tmp, `case${n++}`);
  const maildir = join(dir, 'Maildir');
  const db = join(dir, 'store.sqlite');
  const outbox = join(dir, 'outbox');
  const config = WatchConfigSchema.parse({ sources: [`maildir:${maildir}`], db, outbox, index: { none: true }, ...extra });
  for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  return { dir, maildir, db, outbox, config };
}

async function once(config: WatchConfig, triageWorkerUrl?: URL): Promise<{ code: number; metrics: string }> {
  const w = await Watcher.open({ config, once: true, log: quiet(), ...(triageWorkerUrl ? { triageWorkerUrl } : {}) });
  const code = await w.run();
  return { code, metrics: await w.metrics.registry.metrics() };
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);

describe('the config file', () => {
  test('the example in data/ is valid', () => {
    const r = readConfigFile(join(REPO, 'data', 'ktriage-watch.example.json'));
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  });

  test('each error is one line naming its key; health only on loopback', () => {
    const r = validateConfig({ sources: [{ list: 'x' }], batch: 0, health: { port: 9464, host: '0.0.0.0' }, colour: 'blue' }, 'bot.json');
    assert.ok(!r.ok);
    assert.ok(r.errors.every((l) => !l.includes('\n') && l.startsWith('bot.json: ')));
    const text = r.errors.join('\n');
    assert.match(text, /sources\.0/);
    assert.match(text, /batch: /);
    assert.match(text, /health\.host: /);
    assert.match(text, /Unrecognized key.*colour/);
  });

  test('a file that is not JSON is one line', () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, '{ "sources": [');
    const r = readConfigFile(f);
    assert.ok(!r.ok);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!, /bad\.json: not valid JSON/);
  });
});

describe('what can change a verdict', () => {
  const mail = (body: string, subject = 'Re: [PATCH] bus: larch-ic: fix link error') =>
    parseMail({ bytes: Buffer.from(`From: A <a@example.com>\nSubject: ${subject}\nMessage-ID: <s${n++}@example.com>\nIn-Reply-To: <p@example.com>\n\n${body}\n`), origin: { kind: 'eml', path: 'x' } });
  test('a patch, a stance, a tester can; a thanks cannot', async () => {
    const mover = async (m: ReturnType<typeof mail>) => verdictMover(extractMessage(await m));
    assert.equal(await mover(mail('Thanks for looking into this.')), undefined);
    assert.equal(await mover(mail('Acked-by: Ola Brandt <ola@example.com>')), 'signal:acked');
    assert.equal(await mover(mail('Tested-by: Ola Brandt <ola@example.com>')), 'signal:tested');
    const patch = larchThread(900)[0]!;
    assert.equal(await mover(parseMail({ bytes: Buffer.from(patch), origin: { kind: 'eml', path: 'x' } })), 'patch');
  });
});

describe('the loop', () => {
  test('--once: one summary per thread; a second pass adds none; a thanks is stored but the thread not judged again, an ack is', async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) for (const m of larchThread(i)) deliver(s.maildir, m);
    const first = await once(s.config);
    assert.equal(first.code, 0);
    assert.equal(outboxFiles(s.outbox).length, 3);
    assert.equal(metric(first.metrics, 'ktriage_threads_triaged_total'), 3);
    assert.equal(metric(first.metrics, 'ktriage_verdicts_total'), 3);
    const second = await once(s.config);
    assert.equal(metric(second.metrics, 'ktriage_threads_triaged_total'), 0);
    deliver(s.maildir, larchThread(1, { thanks: true }).at(-1)!);
    const third = await once(s.config);
    assert.equal(metric(third.metrics, 'ktriage_messages_in_total'), 1);
    assert.equal(metric(third.metrics, 'ktriage_threads_triaged_total'), 0);
    assert.equal(metric(third.metrics, 'ktriage_threads_not_rejudged_total'), 1);
    assert.equal(count(s.db, 'SELECT count(*) AS n FROM threads WHERE dirty = 1'), 0);
    assert.equal(outboxFiles(s.outbox).length, 3);
    assert.equal(count(s.db, 'SELECT count(*) AS n FROM posts'), 3);
    // a review's stance can move the verdict: that thread is judged again
    const thanks = larchThread(1, { thanks: true }).at(-1)!;
    deliver(s.maildir, thanks.replace('<thanks.t1@', '<ack.t1@').replace('Thanks for looking into this.', 'Acked-by: Ola Brandt <ola.brandt@example.com>'));
    const fourth = await once(s.config);
    assert.equal(metric(fourth.metrics, 'ktriage_threads_triaged_total'), 1);
    assert.equal(metric(fourth.metrics, 'ktriage_threads_not_rejudged_total'), 0);
    assert.equal(count(s.db, 'SELECT count(*) AS n FROM threads WHERE dirty = 1'), 0);
    // the summary is the reply under the patch, named from the key's hash
    const eml = readFileSync(join(s.outbox, outboxFiles(s.outbox)[0]!), 'utf8');
    assert.match(eml, /^In-Reply-To: <20240108081402\.11873-1-tomasz\.wierzbicki\.t\d@larchwood-dev\.example>$/m);
    assert.match(outboxFiles(s.outbox)[0]!, /^[0-9a-f]{32}\.eml$/);
  });

  test('a thread the engine throws on, and one whose worker dies twice: error rows, and the other threads are judged', async () => {
    const s = setup();
    const rename = (i: number, word: string) => larchThread(i).map((m) => m.replace(/fix link error/g, `${word} fix link error`));
    for (const m of rename(10, 'engine-throws')) deliver(s.maildir, m);
    for (const m of rename(11, 'worker-dies')) deliver(s.maildir, m);
    for (const m of larchThread(12)) deliver(s.maildir, m);
    const r = await once(s.config, FAULTY);
    assert.equal(r.code, 0);
    const errors = query<{ stage: string; thread_root: string; detail: string; at: string }>(s.db, 'SELECT stage, thread_root, detail, at FROM watch_errors ORDER BY id');
    assert.equal(errors.length, 2, JSON.stringify(errors));
    assert.ok(errors.every((e) => e.stage === 'triage' && e.thread_root && e.at));
    assert.match(errors.map((e) => e.detail).join('\n'), /the engine tripped/);
    assert.match(errors.map((e) => e.detail).join('\n'), /worker exited .*twice on this thread/);
    assert.equal(metric(r.metrics, 'ktriage_triage_worker_restarts_total'), 2);
    assert.equal(outboxFiles(s.outbox).length, 1);
    assert.equal(count(s.db, 'SELECT count(*) AS n FROM threads WHERE dirty = 1'), 0);
  });

  test('triageWorkerHeapMb: a worker that outgrows its heap is restarted, its thread an error row, the daemon and the other threads go on', async () => {
    const s = setup({ triageWorkerHeapMb: 64 });
    for (const m of larchThread(13).map((m) => m.replace(/fix link error/g, 'heap-hog fix link error'))) deliver(s.maildir, m);
    for (const m of larchThread(14)) deliver(s.maildir, m);
    const r = await once(s.config, FAULTY);
    assert.equal(r.code, 0);
    const errors = query<{ stage: string; detail: string }>(s.db, 'SELECT stage, detail FROM watch_errors');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    // (without the cap the hog answers that it held everything it asked for)
    assert.doesNotMatch(errors[0]!.detail, /no heap cap/);
    assert.match(errors[0]!.detail, /twice on this thread/);
    assert.equal(metric(r.metrics, 'ktriage_triage_worker_restarts_total'), 2);
    assert.equal(outboxFiles(s.outbox).length, 1);
  });

  test('a thread that outgrows the heap cap is judged on its second try, in a roomier worker; the next thread is capped again', async () => {
    const s = setup({ triageWorkerHeapMb: 64 });
    for (const m of larchThread(15).map((m) => m.replace(/fix link error/g, 'needs-room fix link error'))) deliver(s.maildir, m);
    for (const m of larchThread(16).map((m) => m.replace(/fix link error/g, 'tell-heap-cap fix link error'))) deliver(s.maildir, m);
    const r = await once(s.config, FAULTY);
    assert.equal(r.code, 0);
    assert.equal(metric(r.metrics, 'ktriage_triage_worker_restarts_total'), 1);
    const verdicts = query<{ root: string }>(s.db, 'SELECT thread_root AS root FROM verdicts');
    assert.deepEqual(
      verdicts.map((v) => /\.t(\d+)@/.exec(v.root)?.[1]),
      ['15'],
    );
    const errors = query<{ detail: string }>(s.db, 'SELECT detail FROM watch_errors');
    assert.deepEqual(
      errors.map((e) => e.detail),
      ['heap cap 64 MB'],
    );
  });

  test('poison messages (binary, unparseable, over the size limit) are error rows; the rest is stored and judged', async () => {
    const s = setup();
    deliver(s.maildir, Buffer.concat([Buffer.from('From: x@example.com\nSubject: bin\n\n'), Buffer.alloc(4096, 0)]));
    deliver(s.maildir, Buffer.concat([Buffer.from('From: y@example.com\nSubject: huge\nMessage-ID: <huge@example.com>\n\n'), Buffer.alloc(17 * 1024 * 1024, 'a\n')]));
    for (const m of larchThread(20)) deliver(s.maildir, m);
    const r = await once(s.config);
    assert.equal(r.code, 0);
    const errors = query<{ stage: string; detail: string }>(s.db, 'SELECT stage, detail FROM watch_errors');
    assert.equal(errors.length, 2, JSON.stringify(errors));
    assert.match(errors.map((e) => e.detail).join('\n'), /larger than/);
    assert.equal(count(s.db, 'SELECT count(*) AS n FROM messages'), 3);
    assert.equal(outboxFiles(s.outbox).length, 1);
  });

  test('a thread that takes seconds in one worker does not hold up the next thread: with one worker it does', { timeout: 90_000 }, async () => {
    const order = async (workers: number): Promise<string[]> => {
      const s = setup({ triageWorkers: workers });
      // the slow thread is older (judged first); the quick one arrives behind it
      for (const m of larchThread(40).map((x) => x.replace(/fix link error/g, 'slow-triage fix link error'))) deliver(s.maildir, m);
      for (const m of larchThread(41)) deliver(s.maildir, m);
      assert.equal((await once(s.config, FAULTY)).code, 0);
      return query<{ root: string }>(s.db, 'SELECT thread_root AS root FROM verdicts ORDER BY judged_at, id').map((r) => /\.t(\d+)@/.exec(r.root)?.[1] ?? r.root);
    };
    assert.deepEqual(await order(2), ['41', '40']);
    assert.deepEqual(await order(1), ['40', '41']);
  });

  test('/healthz and /metrics answer while a thread takes seconds to judge', { timeout: 60_000 }, async () => {
    const s = setup({ health: { port: 0, host: '127.0.0.1' } });
    for (const m of larchThread(30).map((x) => x.replace(/fix link error/g, 'slow-triage fix link error'))) deliver(s.maildir, m);
    const w = await Watcher.open({ config: s.config, once: false, log: quiet(), triageWorkerUrl: FAULTY });
    const running = w.run();
    try {
      await waitFor('the slow thread in the worker', () => w.healthStatus().judging !== null, 20_000);
      const base = `http://127.0.0.1:${w.healthPort}`;
      for (let i = 0; i < 3; i++) {
        const t0 = Date.now();
        const h = await fetch(`${base}/healthz`);
        assert.equal(h.status, 200);
        const body = (await h.json()) as { ok: boolean; judging: string | null };
        assert.equal(body.ok, true);
        assert.match(body.judging ?? '', /larch-ic30|t30/);
        const m = await (await fetch(`${base}/metrics`)).text();
        assert.match(m, /^ktriage_messages_in_total\{source="[^"]+"\} 3$/m);
        assert.match(m, /^ktriage_source_lag_seconds\{source="[^"]+"\} /m);
        assert.ok(Date.now() - t0 < 1000, `answered in ${Date.now() - t0} ms`);
      }
      await waitFor('the summary', () => outboxFiles(s.outbox).length === 1, 20_000);
    } finally {
      await w.stop('test over');
      await running;
    }
  });
});
