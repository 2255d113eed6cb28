// Bad input through the built CLI: one clear "ktriage: ..." line on stderr, a
// nonzero exit, nothing on stdout, never a stack trace, and bounded memory and
// time for inputs built to exhaust them (a 50 MB message, a gzip bomb).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { RULES } from '../src/analyze/rules/index.js';
import { ensureDist } from './helpers/index-cli.js';
import { makeTempDir } from './helpers/unit.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'ktriage.js');
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => {
  if (!existsSync(p)) return false;
  const v = spawnSync(p, ['--version'], { encoding: 'utf8' });
  return /GNU/.test(`${v.stdout}${v.stderr}`);
});
const MAX_RSS_KB = 300 * 1024;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** max RSS in KB when GNU time is available */
  rssKb?: number;
}

/** The CLI as users run it; under GNU time when `measure` and available. */
function ktriage(args: string[], opts: { measure?: boolean; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const rssFile = opts.measure && GNU_TIME ? join(tmp.dir, `rss-${process.hrtime.bigint()}.txt`) : undefined;
    const [cmd, argv] = rssFile ? [GNU_TIME!, ['-f', '%M', '-o', rssFile, process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, KTRIAGE_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let rssKb: number | undefined;
      if (rssFile && existsSync(rssFile)) {
        // GNU time writes "Command exited with non-zero status N" before the figure
        const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
        rssKb = /^\d+$/.test(last) ? Number(last) : undefined;
      }
      resolve({ code, stdout, stderr, ms: Date.now() - t0, rssKb });
    });
  });
}

/** The promise for bad input: exit nonzero, one "ktriage: " line, no stack, empty stdout. */
function assertRefused(r: Run, what: string, message?: RegExp): void {
  const ctx = `${what}: code=${r.code} stderr=${JSON.stringify(r.stderr.slice(0, 500))}`;
  assert.notEqual(r.code, 0, ctx);
  assert.notEqual(r.code, null, `${ctx} (killed: timeout)`);
  assert.notEqual(r.code, 70, `${ctx} (internal error)`);
  assert.equal(r.stdout, '', ctx);
  assert.ok(r.stderr.endsWith('\n'), ctx);
  const lines = r.stderr.slice(0, -1).split('\n');
  assert.equal(lines.length, 1, ctx);
  assert.match(lines[0]!, /^ktriage: \S/, ctx);
  assert.ok(!r.stderr.split('\n').some((l) => /^\s+at /.test(l)), ctx); // no stack frame
  assert.doesNotMatch(r.stderr, /internal error|TypeError|RangeError|ERR_/, ctx);
  if (message) assert.match(lines[0]!, message, ctx);
}

function assertBoundedMemory(r: Run, what: string, t: { diagnostic: (m: string) => void }): void {
  if (r.rssKb === undefined) {
    t.diagnostic('no GNU time: max RSS not checked');
    return;
  }
  t.diagnostic(`max RSS ${Math.round(r.rssKb / 1024)} MB, ${r.ms} ms`);
  assert.ok(r.rssKb < MAX_RSS_KB, `${what}: max RSS ${Math.round(r.rssKb / 1024)} MB`);
}

let tmp: Awaited<ReturnType<typeof makeTempDir>>;

const GOOD_EML = [
  'From: Ada Hacker <ada@example.org>',
  'To: linux-arm-kernel@lists.infradead.org',
  'Subject: [PATCH] arm: nommu: provide flush_tlb_kernel_range',
  'Date: Tue, 1 Mar 2022 10:00:00 +0000',
  'Message-ID: <20220301100000.1-1-ada@example.org>',
  '',
  'SMP+NOMMU fails to link:',
  '',
  "mm/percpu-vm.c:188: undefined reference to `flush_tlb_kernel_range'",
  '',
  'Signed-off-by: Ada Hacker <ada@example.org>',
  '',
].join('\n');

before(async () => {
  ensureDist();
  tmp = await makeTempDir('ktriage-bad-input-');
  await writeFile(tmp.path('good.eml'), GOOD_EML);
  await writeFile(tmp.path('empty.eml'), '');
  await writeFile(tmp.path('blank.txt'), '\n  \n\t\n');
  const bin = randomBytes(8192);
  bin[0] = 0; // NUL first: never mistaken for gzip magic by chance
  await writeFile(tmp.path('random.bin'), bin);
  const mbox = `From mboxrd@z Thu Jan  1 00:00:00 1970\n${GOOD_EML}\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\n${GOOD_EML.replace('1-1-ada', '2-2-ada')}`;
  await writeFile(tmp.path('cut-midline.mbox'), mbox.slice(0, mbox.lastIndexOf('undefined reference')));
  await writeFile(tmp.path('cut-headers.mbox'), mbox.slice(0, mbox.lastIndexOf('Date:')));
  await writeFile(tmp.path('labels.csv'), 'id,file,verdict\n1,threads/a.mbox,fixes\n2,threads/b.mbox,hides\n');
  await writeFile(tmp.path('prose.txt'), 'We met at the station at noon. The train was late, so we walked along the river\nand talked about the weather, the garden and the neighbours.\n');
  await writeFile(tmp.path('corrupt.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3]), Buffer.from('this is not a deflate stream at all, just text')]));
  await mkdir(tmp.path('not-a-maildir', 'sub'), { recursive: true });
  await writeFile(tmp.path('not-a-maildir', 'a.eml'), GOOD_EML);
  await mkdir(tmp.path('eval-no-labels'), { recursive: true });
  await mkdir(tmp.path('eval-bad-json'), { recursive: true });
  await writeFile(tmp.path('eval-bad-json', 'labels.json'), '[{"id": 1, "file": "a.mbox", ');
  // a labeled set of one real-shaped fixture thread, read by eval with and without rules
  await mkdir(tmp.path('eval-one', 'threads'), { recursive: true });
  await writeFile(tmp.path('eval-one', 'threads', 'a.mbox'), readFileSync(join(ROOT, 'test', 'fixtures', 'threads', 'depends-on-broken-for-now.mbox')));
  await writeFile(tmp.path('eval-one', 'labels.json'), JSON.stringify([{ id: '001', file: 'threads/a.mbox', verdict: 'hides' }]));
  await mkdir(tmp.path('eval-bad-schema'), { recursive: true });
  await writeFile(
    tmp.path('eval-bad-schema', 'labels.json'),
    JSON.stringify([
      { id: 1, file: 'a.mbox', verdict: 'fixes' },
      { id: 2, verdict: 'hides' },
    ]),
  );
});

after(async () => {
  await tmp?.cleanup();
});

describe('ktriage thread: bad input gets one error line', () => {
  it('a good mail is accepted (the harness itself works)', async () => {
    const r = await ktriage(['thread', tmp.path('good.eml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.length > 0);
  });

  const cases: [string, string, RegExp][] = [
    ['an empty file', 'empty.eml', /empty/],
    ['a file of blank lines', 'blank.txt', /empty/],
    ['random bytes with NULs', 'random.bin', /binary/],
    ['an mbox cut mid-line', 'cut-midline.mbox', /truncated/],
    ['an mbox cut inside the headers', 'cut-headers.mbox', /truncated/],
    ['a CSV file', 'labels.csv', /not mail/],
    ['a paragraph of prose', 'prose.txt', /not mail/],
    ['a corrupt gzip', 'corrupt.gz', /gzip/],
    ['a directory that is not a Maildir', 'not-a-maildir', /not a Maildir/],
    ['a path that does not exist', 'no/such/file.mbox', /no such file/],
  ];
  for (const [what, file, message] of cases) {
    it(what, async () => {
      const path = tmp.path(file);
      const r = await ktriage(['thread', path]);
      assertRefused(r, what, message);
      assert.ok(r.stderr.includes(path), `names the input: ${r.stderr}`);
    });
  }

  it('a 50 MB single message is refused as too large, in bounded memory', async (t) => {
    const path = tmp.path('huge.eml');
    const line = Buffer.from('> ' + 'quoted text of a very long reply, '.repeat(3) + '\n');
    await pipeline(
      (async function* () {
        yield Buffer.from('From: Ada Hacker <ada@example.org>\nSubject: Re: [PATCH] big\nMessage-ID: <big@example.org>\n\n');
        for (let n = 0; n < (50 * 1024 * 1024) / line.length; n++) yield line;
      })(),
      createWriteStream(path),
    );
    assert.ok(statSync(path).size >= 50 * 1024 * 1024);
    const r = await ktriage(['thread', path], { measure: true });
    assertRefused(r, '50 MB message', /MiB|too large|larger/);
    assertBoundedMemory(r, '50 MB message', t);
  });

  it('the same 50 MB message inside an mbox', async (t) => {
    const path = tmp.path('huge.mbox');
    const line = Buffer.from('+\tpr_info("line of a very large patch bomb that nobody will ever review");\n');
    await pipeline(
      (async function* () {
        yield Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Ada Hacker <ada@example.org>\nSubject: [PATCH] big\n\n');
        for (let n = 0; n < (50 * 1024 * 1024) / line.length; n++) yield line;
        yield Buffer.from('\n');
      })(),
      createWriteStream(path),
    );
    const r = await ktriage(['thread', path], { measure: true });
    assertRefused(r, '50 MB mbox message', /MiB/);
    assertBoundedMemory(r, '50 MB mbox message', t);
  });

  for (const [what, head] of [
    ['a gzip bomb (mbox, >1 GiB expanded) is refused quickly', 'From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Ada Hacker <ada@example.org>\nSubject: [PATCH] bomb\n\n'],
    ['a gzip bomb (single message, >1 GiB expanded) is refused quickly', 'From: Ada Hacker <ada@example.org>\nSubject: [PATCH] bomb\nMessage-ID: <bomb@example.org>\n\n'],
  ] as const) {
    it(what, async (t) => {
      const path = tmp.path(`bomb-${head.startsWith('From ') ? 'mbox' : 'eml'}.gz`);
      // one gzip stream of 1.1 GiB of mail-like text, compressed as it is generated
      const chunk = Buffer.from('> > On Tue, Mar 01, 2022, someone wrote: this line repeats forever\n'.repeat(16384));
      const total = 1.1 * 1024 * 1024 * 1024;
      await pipeline(
        (async function* () {
          yield Buffer.from(head);
          for (let n = 0; n * chunk.length < total; n++) yield chunk;
        })(),
        createGzip({ level: 1 }),
        createWriteStream(path),
      );
      assert.ok(statSync(path).size < 32 * 1024 * 1024, 'the bomb is small on disk');
      const r = await ktriage(['thread', path], { measure: true, timeoutMs: 20_000 });
      assertRefused(r, what, /MiB/);
      assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
      assertBoundedMemory(r, what, t);
    });
  }
});

describe('ktriage: usage errors exit 2', () => {
  // One "ktriage: " line, the usage folded into it.
  const assertUsage = (r: Run, what: string) => {
    const ctx = `${what}: code=${r.code} stderr=${JSON.stringify(r.stderr)}`;
    assert.equal(r.code, 2, ctx);
    assert.equal(r.stdout, '', ctx);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, ctx);
    assert.match(lines[0]!, /^ktriage: \S/, ctx);
    assert.ok(!r.stderr.split('\n').some((l) => /^\s+at /.test(l)), ctx); // no stack frame
  };

  it('thread without an argument', async () => {
    assertUsage(await ktriage(['thread']), 'no argument');
  });

  it('thread with a bad --format', async () => {
    const r = await ktriage(['thread', tmp.path('good.eml'), '--format', 'yaml']);
    assertUsage(r, 'bad --format');
    assert.match(r.stderr, /--format must be one of text, markdown, json, email \(got "yaml"\)/);
  });

  it('thread with an unknown option', async () => {
    assertUsage(await ktriage(['thread', tmp.path('good.eml'), '--frobnicate']), 'unknown option');
  });
});

describe('ktriage eval: bad label sets', () => {
  it('a directory without labels.json', async () => {
    assertRefused(await ktriage(['eval', tmp.path('eval-no-labels')]), 'no labels.json', /labels\.json/);
  });

  it('a labels.json that is not JSON', async () => {
    assertRefused(await ktriage(['eval', tmp.path('eval-bad-json')]), 'bad JSON', /not valid JSON/);
  });

  it('--without-rule names a rule that does not exist', async () => {
    assertRefused(await ktriage(['eval', tmp.path('eval-one'), '--without-rule', 'no-such-rule']), 'unknown rule', /no rule named "no-such-rule"/);
  });

  it('--without-rule leaves the named rules out of the verdict', async () => {
    const all = await ktriage(['eval', tmp.path('eval-one'), '--format', 'json']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(JSON.parse(all.stdout).correct, 1, 'the fixture is judged hides with every rule');
    const rules = RULES.map((r) => r.name);
    const without = await ktriage(['eval', tmp.path('eval-one'), '--format', 'json', ...rules.flatMap((r) => ['--without-rule', r])]);
    assert.equal(without.code, 0, without.stderr);
    assert.equal(JSON.parse(without.stdout).correct, 0, 'with every rule left out, nothing says hides');
  });

  it('a reader that closes the pipe early (eval | head) ends it quietly, no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'eval', tmp.path('eval-one')], { cwd: ROOT, env: { ...process.env, KTRIAGE_DEBUG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the read end gone before ktriage writes a line
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });

  it('a labels.json entry without its file', async () => {
    assertRefused(await ktriage(['eval', tmp.path('eval-bad-schema')]), 'bad schema', /entry 1\.file/);
  });
});
