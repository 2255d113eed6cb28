// kill -9 in the middle of `ktriage ingest`, then the rerun: every message is
// stored exactly once, every one threaded, as if the first run had finished.
// The archive is written by the test (many small threads of list mail).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { REPO } from '../helpers/index-fixtures.js';
import { ensureDist } from '../helpers/index-cli.js';

const THREADS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'ktriage-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));
before(() => ensureDist());

/** THREADS threads of a patch and a reply each, as a list archive holds them. */
function archive(): string {
  const out: string[] = [];
  for (let i = 0; i < THREADS; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + i * 600_000);
    const patch = `<20240101.${i}-1-dev${i % 17}@example.org>`;
    out.push(
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      `From: Dev ${i % 17} <dev${i % 17}@example.org>`,
      'To: linux-iio@vger.kernel.org',
      `Subject: [PATCH] iio: adc: part${i}: drop an unused variable`,
      `Date: ${day.toUTCString()}`,
      `Message-ID: ${patch}`,
      'List-Id: <linux-iio.vger.kernel.org>',
      '',
      `The variable count in part${i}_read() is set and never read.`,
      '',
      `Signed-off-by: Dev ${i % 17} <dev${i % 17}@example.org>`,
      '---',
      `diff --git a/drivers/iio/adc/part${i}.c b/drivers/iio/adc/part${i}.c`,
      `--- a/drivers/iio/adc/part${i}.c`,
      `+++ b/drivers/iio/adc/part${i}.c`,
      '@@ -10,3 +10,2 @@ static int read(void)',
      ' {',
      '-\tint count = 0;',
      ' \treturn 0;',
      '',
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'From: Reviewer <rev@example.com>',
      'To: linux-iio@vger.kernel.org',
      `Subject: Re: [PATCH] iio: adc: part${i}: drop an unused variable`,
      `Date: ${new Date(day.getTime() + 60_000).toUTCString()}`,
      `Message-ID: <reply.${i}@example.com>`,
      `In-Reply-To: ${patch}`,
      `References: ${patch}`,
      'List-Id: <linux-iio.vger.kernel.org>',
      '',
      'Applied, thanks.',
      '',
    );
  }
  return out.join('\n');
}

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
}

function storedSoFar(db: string): number {
  try {
    return count(db, 'SELECT count(*) AS n FROM messages');
  } catch {
    return 0;
  }
}

/** The built CLI, with more time than runCli gives: the whole suite shares two cores. */
function ingest(mbox: string, db: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'ktriage.js'), 'ingest', mbox, '--db', db, '--batch', '50', '--no-index'], { encoding: 'utf8', timeout: 150_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('ingest survives kill -9', () => {
  test('killed mid-way, then rerun: every message stored exactly once', { timeout: 400_000 }, async () => {
    const mbox = join(dir, 'list.mbox');
    writeFileSync(mbox, archive());
    const db = join(dir, 'killed.sqlite');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'ktriage.js'), 'ingest', mbox, '--db', db, '--batch', '50', '--no-index'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // wait until some batches are committed, then kill it without warning
    let seen = 0;
    for (let i = 0; i < 600 && seen < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = storedSoFar(db);
    }
    child.kill('SIGKILL');
    await exited;
    const atKill = storedSoFar(db);
    assert.ok(atKill >= 300 && atKill < 2 * THREADS, `killed mid-way (${atKill} of ${2 * THREADS} stored)`);

    const rerun = ingest(mbox, db);
    assert.equal(rerun.code, 0, rerun.stderr);
    // the rerun resumed at the checkpoint: it read only what the killed run had not committed
    const read = Number(/: (\d+) read/.exec(rerun.stdout)?.[1]);
    assert.equal(read, 2 * THREADS - atKill, rerun.stdout);
    assert.match(rerun.stdout, / 0 already stored,/);

    assert.equal(count(db, 'SELECT count(*) AS n FROM messages'), 2 * THREADS);
    assert.equal(count(db, 'SELECT count(DISTINCT header_id) AS n FROM messages'), 2 * THREADS);
    assert.equal(count(db, 'SELECT count(DISTINCT sha256) AS n FROM messages'), 2 * THREADS);
    assert.equal(count(db, 'SELECT count(*) AS n FROM messages WHERE threaded = 0'), 0);
    assert.equal(count(db, 'SELECT count(*) AS n FROM threads'), THREADS);
    assert.equal(count(db, 'SELECT count(*) AS n FROM threads WHERE message_count <> 2'), 0);
    assert.equal(count(db, 'SELECT count(*) AS n FROM thread_messages'), 2 * THREADS);
    assert.equal(count(db, 'SELECT count(*) AS n FROM threads WHERE dirty = 1'), 0);
    assert.equal(count(db, 'SELECT count(*) AS n FROM verdicts'), THREADS);

    // and a third run has nothing to do
    const third = ingest(mbox, db);
    assert.match(third.stdout, /: 0 read, 0 new, 0 already stored, 0 skipped; 0 threads changed, 0 judged/);
  });
});
