// gzip input: a corrupt stream is one error line (it used to leave the CLI
// waiting for a 'drain' that never came: exit 13, nothing said); a bomb is
// refused within seconds and nothing inflates or reads after the refusal; a
// reader that stops early leaves no file open.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { readMails } from '../../src/ingest/read.js';
import { ensureDist } from '../helpers/index-cli.js';
import { makeTempDir, rejectsWithCode } from '../helpers/unit.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ktriage.js');

/** A series of plausible patch mails, large enough that zlib fills its buffers before the damage. */
function bigMbox(messages: number): Buffer {
  const parts: string[] = [];
  for (let n = 0; n < messages; n++) {
    const lines: string[] = [];
    for (let l = 0; l < 60; l++)
      lines.push(`+\tregmap_update_bits(priv->map, KESTREL_GPIO_CTRL(${n}), BIT(${l % 32}), val << ${l % 32}); /* ${createHash('sha1').update(`${n}.${l}`).digest('hex')} */`);
    parts.push(
      `From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Mira Tamarack <mira@tamarack.example>\nSubject: [PATCH ${n + 1}/${messages}] gpio: kestrel: bank ${n}\n` +
        `Date: Thu, 6 Jun 2024 09:30:02 +0200\nMessage-ID: <20240606073002.${n}-1-mira@tamarack.example>\n\n` +
        `diff --git a/drivers/gpio/gpio-kestrel.c b/drivers/gpio/gpio-kestrel.c\n--- a/drivers/gpio/gpio-kestrel.c\n+++ b/drivers/gpio/gpio-kestrel.c\n@@ -1,1 +1,61 @@\n ctx\n${lines.join('\n')}\n\n`,
    );
  }
  return Buffer.from(parts.join(''));
}

const gzipOf = (plain: Buffer) => gzipSync(plain, { level: 6 });

/** An mbox whose one message is an endless line of 'a's: 64 MiB from about 64 KiB (the CLI test below goes to 1 GiB). */
function bombOfOneLine(): Buffer {
  const head = Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Ada Hacker <ada@example.org>\nSubject: [PATCH] bomb\n\n');
  return gzipSync(Buffer.concat([head, Buffer.alloc(64 << 20, 0x61)]), { level: 9 });
}

function run(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KTRIAGE_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

const openFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined);

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let corruptMid: string;

before(async () => {
  ensureDist();
  tmp = await makeTempDir('ktriage-gzip-');
  const gz = gzipOf(bigMbox(400));
  assert.ok(gz.length > 300_000, `compressed size ${gz.length}`);
  // a damaged block well past zlib's first buffers
  for (let i = 200_000; i < 200_400; i++) gz[i] = 0x55;
  corruptMid = tmp.path('corrupt-mid.mbox.gz');
  await writeFile(corruptMid, gz);
});

after(async () => {
  await tmp?.cleanup();
});

describe('a corrupt gzip settles with one error line', () => {
  it('corrupt in the middle, after zlib has filled its buffers: exit 1 and one line (was exit 13, silent)', async () => {
    const r = await run(['thread', corruptMid, '--no-index']);
    assert.equal(r.code, 1, `exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^ktriage: .*corrupt-mid\.mbox\.gz: (not a valid gzip stream|truncated gzip stream).*\n$/);
    assert.equal(r.stderr.split('\n').length, 2);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });

  it('readMails rejects with E_GZIP, and the file is closed', async () => {
    const before = openFds();
    for (let n = 0; n < 3; n++) {
      const t0 = Date.now();
      await rejectsWithCode(
        (async () => {
          for await (const _ of readMails(corruptMid)) void _;
        })(),
        'E_GZIP',
      );
      assert.ok(Date.now() - t0 < 5_000);
    }
    await new Promise((r) => setTimeout(r, 100));
    if (before !== undefined) assert.equal(openFds(), before, 'a file descriptor is left open');
  });

  it('a truncated gzip is E_TRUNCATED', async () => {
    const path = tmp.path('cut.mbox.gz');
    const gz = gzipOf(bigMbox(20));
    await writeFile(path, gz.subarray(0, gz.length >> 1));
    await rejectsWithCode(
      (async () => {
        for await (const _ of readMails(path)) void _;
      })(),
      'E_TRUNCATED',
    );
  });
});

describe('a gzip bomb is torn down at the cap', () => {
  it('one endless line: refused at the input cap in seconds (was 13-24 s joining the line chunk by chunk), then nothing runs on', async () => {
    const path = tmp.path('bomb-one-line.gz');
    await writeFile(path, bombOfOneLine());
    const before = openFds();
    const t0 = Date.now();
    const err = await rejectsWithCode(
      (async () => {
        for await (const _ of readMails(path, { maxInputBytes: 32 * 1048576 })) void _;
      })(),
      'E_TOO_LARGE',
    );
    const ms = Date.now() - t0;
    assert.match(err.message, /expands to more than 32 MiB/);
    assert.ok(ms < 5_000, `refused after ${ms} ms`);
    // within a second of the refusal: no inflating, no reading
    await new Promise((r) => setTimeout(r, 200));
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 500));
    const cpu = process.cpuUsage(cpu0);
    assert.ok(cpu.user + cpu.system < 200_000, `still busy after the refusal: ${JSON.stringify(cpu)} µs`);
    if (before !== undefined) assert.equal(openFds(), before, 'the bomb file is left open');
  });

  it('a reader that stops after the first message closes the file and stops zlib', async () => {
    const path = tmp.path('series.mbox.gz');
    await writeFile(path, gzipOf(bigMbox(400)));
    const before = openFds();
    for (let n = 0; n < 5; n++) {
      for await (const m of readMails(path)) {
        assert.equal(m.origin.index, 0);
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    if (before !== undefined) assert.equal(openFds(), before, 'files left open by readers that stopped');
  });

  it('the CLI: a 1 GiB bomb of one line is refused in one line, well within 10 s', async () => {
    const path = tmp.path('bomb-cli.gz');
    const head = Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Ada Hacker <ada@example.org>\nSubject: [PATCH] bomb\n\n');
    // 1 GiB of one byte, compressed as it is generated
    const chunk = Buffer.alloc(1 << 20, 0x61);
    await pipeline(
      (async function* () {
        yield head;
        for (let n = 0; n < 1024; n++) yield chunk;
      })(),
      createGzip({ level: 1 }),
      createWriteStream(path),
    );
    const r = await run(['thread', path, '--no-index'], 30_000);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^ktriage: .*bomb-cli\.gz: expands to more than 256 MiB; refusing to read further\n$/);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
  });
});
